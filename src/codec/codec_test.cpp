// codec_test.cpp — behaviour of the codec layer that the differential tests (tests/whatwg_diff)
// cannot see: labels, error policies, streaming equivalence, BOM handling, round trips of every
// index entry through its own encoder.
#include <gtest/gtest.h>

#include <random>

#include "codec/test_bytes.h"
#include "ungarble/codec.h"

using namespace ungarble;
using namespace std::string_view_literals;

namespace {
using codec_test::bytes;
std::string dec(std::string_view in, const char* enc, const char* mode = "replace") {
  return decode(in, find_encoding(enc)->id, *DecodeErrors::parse(mode)).text;
}
}  // namespace

TEST(Labels, WhatwgLabelsResolveCaseInsensitively) {
  EXPECT_EQ(find_encoding("  LATIN1 ")->name, "windows-1252");
  EXPECT_EQ(find_encoding("Shift_JIS")->name, "shift_jis");
  EXPECT_EQ(find_encoding("gb2312")->name, "gbk");
  EXPECT_EQ(find_encoding("utf8")->name, "utf-8");
  EXPECT_EQ(find_encoding("iso-2022-kr")->name, "replacement");
  EXPECT_EQ(find_encoding("unicode")->name, "utf-16le");
  EXPECT_EQ(find_encoding("x-iso-8859-1")->id, EncodingId::iso_8859_1);
  EXPECT_EQ(find_encoding("cp437")->id, EncodingId::ibm437);
  EXPECT_EQ(find_encoding("nonsense"), nullptr);
  EXPECT_EQ(find_encoding(""), nullptr);
}

TEST(Labels, LooseSpellingsAndSuggestions) {
  EXPECT_EQ(find_encoding("UTF_8")->name, "utf-8");
  EXPECT_EQ(find_encoding("ShiftJIS")->name, "shift_jis");
  EXPECT_EQ(find_encoding("windows1251")->name, "windows-1251");
  EXPECT_EQ(closest_label("windows-12522"), "windows-1252");
  EXPECT_EQ(closest_label("shiftjs"), "shiftjis");
}

TEST(Labels, EveryEncodingHasItsNameAsLabel) {
  for (const Encoding& e : all_encodings()) {
    ASSERT_NE(find_encoding(e.name), nullptr) << e.name;
    EXPECT_EQ(find_encoding(e.name)->id, e.id) << e.name;
  }
  EXPECT_EQ(all_encodings().size(), kEncodingCount);
}

TEST(Decode, KnownCharacters) {
  EXPECT_EQ(dec(bytes({0xC4, 0xE3, 0xBA, 0xC3}), "gbk"), "你好");
  EXPECT_EQ(dec(bytes({0x80}), "gbk"), "€");
  EXPECT_EQ(dec(bytes({0x81, 0x30, 0x81, 0x30}), "gb18030"), "\u0080");
  EXPECT_EQ(dec(bytes({0x84, 0x31, 0xA4, 0x39}), "gb18030"), "\uFFFF");
  EXPECT_EQ(dec(bytes({0x90, 0x30, 0x81, 0x30}), "gb18030"), "\U00010000");
  EXPECT_EQ(dec(bytes({0xA4, 0x40}), "big5"), "一");
  EXPECT_EQ(dec(bytes({0x88, 0x62}), "big5"), "\u00CA\u0304");
  EXPECT_EQ(dec(bytes({0x82, 0xA0}), "shift_jis"), "あ");
  EXPECT_EQ(dec(bytes({0xA4, 0xA2}), "euc-jp"), "あ");
  EXPECT_EQ(dec(bytes({0x8F, 0xB0, 0xA1}), "euc-jp"), "丂");
  EXPECT_EQ(dec(bytes({0xB0, 0xA1}), "euc-kr"), "가");
  EXPECT_EQ(dec("\x1b$B$\"\x1b(B!", "iso-2022-jp"), "あ!");
  EXPECT_EQ(dec(bytes({0x80, 0x9F}), "windows-1252"), "€Ÿ");
  EXPECT_EQ(dec(bytes({0x80, 0x9F}), "x-iso-8859-1"), "\u0080\u009F");
  EXPECT_EQ(dec(bytes({0xC1}), "koi8-r"), "а");
  EXPECT_EQ(dec(bytes({0x80}), "cp437"), "Ç");
  EXPECT_EQ(dec(bytes({0x82, 0xA0}), "cp932"), "あ");
  EXPECT_EQ(dec(bytes({0x80}), "x-user-defined"), "\uF780");
  EXPECT_EQ(dec(bytes({0x3D, 0xD8, 0x00, 0xDE}), "utf-16le"), "😀");
  EXPECT_EQ(dec("abc", "replacement"), "\uFFFD");
  EXPECT_EQ(dec("", "replacement"), "");
}

TEST(Decode, Utf8MaximalSubparts) {
  // WHATWG: one U+FFFD per maximal subpart.
  EXPECT_EQ(dec(bytes({0xF0, 0x9F, 0x98}), "utf-8"), "\uFFFD");
  EXPECT_EQ(dec(bytes({0xF0, 0x9F, 0x41}), "utf-8"), "\uFFFDA");
  EXPECT_EQ(dec(bytes({0xE0, 0x80, 0x80}), "utf-8"), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(dec(bytes({0xED, 0xA0, 0x80}), "utf-8"), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(dec(bytes({0xC0, 0xAF}), "utf-8"), "\uFFFD\uFFFD");
  EXPECT_EQ(dec(bytes({0xF4, 0x90, 0x80, 0x80}), "utf-8"), "\uFFFD\uFFFD\uFFFD\uFFFD");
}

TEST(Decode, MultiByteResynchronisation) {
  // An ASCII trail byte is read again; a non-ASCII one is part of the error.
  EXPECT_EQ(dec(bytes({0x81, 0x41 - 1}), "euc-kr"), "\uFFFD@");
  EXPECT_EQ(dec(bytes({0xA4, 0x20}), "big5"), "\uFFFD ");
  EXPECT_EQ(dec(bytes({0x81, 0x30, 0x81, 0x20}), "gb18030"), "\uFFFD0\uFFFD ");
  EXPECT_EQ(dec(bytes({0x82}), "shift_jis"), "\uFFFD");
  EXPECT_EQ(dec("\x1b(", "iso-2022-jp"), "\uFFFD(");
}

TEST(ErrorModes, EachPolicyOnOneMalformedSequence) {
  // GBK: a lead byte before a space (the space is read again), then FF (never valid).
  std::string in = std::string("a") + bytes({0xC4}) + " b" + bytes({0xFF});
  EXPECT_EQ(dec(in, "gbk", "replace"), "a\uFFFD b\uFFFD");
  EXPECT_EQ(dec(in, "gbk", "question"), "a? b?");
  EXPECT_EQ(dec(in, "gbk", "ignore"), "a b");
  EXPECT_EQ(dec(in, "gbk", "fallback:windows-1252"), "aÄ bÿ");
  auto r = decode(in, EncodingId::gbk, *DecodeErrors::parse("strict"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_offset, 1u);
  EXPECT_EQ(r.text, "a");
}

TEST(ErrorModes, FallbackIsWhatLenientReadersDo) {
  // UTF-8 where valid, else each byte as windows-1252.
  std::string in = "caf\xC3\xA9 caf\xE9";
  EXPECT_EQ(dec(in, "utf-8", "fallback:windows-1252"), "café café");
  EXPECT_EQ(dec(bytes({0xF0, 0x9F, 0x98}), "utf-8", "fallback:windows-1252"), "ðŸ˜");
}

TEST(ErrorModes, NamesRoundTrip) {
  for (const char* s : {"strict", "replace", "question", "ignore", "fallback:windows-1251",
                        "fallback:x-iso-8859-1"}) {
    auto p = DecodeErrors::parse(s);
    ASSERT_TRUE(p) << s;
    EXPECT_EQ(p->name(), s);
    EXPECT_EQ(DecodeErrors::parse(p->name()), p);
  }
  std::string why;
  EXPECT_FALSE(DecodeErrors::parse("fallback:gbk", &why));
  EXPECT_NE(why.find("single-byte"), std::string::npos);
  EXPECT_FALSE(DecodeErrors::parse("fallback:nope", &why));
  EXPECT_FALSE(DecodeErrors::parse("loud", &why));
  for (const char* s : {"strict", "replace", "ignore", "ncr"})
    EXPECT_EQ(EncodeErrors::parse(s)->name(), s);
}

TEST(Encode, ErrorPolicies) {
  EXPECT_EQ(encode("a€b", EncodingId::gbk).bytes, std::string("a\x80" "b"));
  EXPECT_EQ(encode("a€b", EncodingId::gb18030).bytes, bytes({'a', 0xA2, 0xE3, 'b'}));
  auto strict = encode("ab☃c", EncodingId::windows_1252);
  EXPECT_FALSE(strict.ok);
  EXPECT_EQ(strict.error_offset, 2u);
  EXPECT_EQ(encode("ab☃c", EncodingId::windows_1252, {EncodeErrorMode::replace}).bytes, "ab?c");
  EXPECT_EQ(encode("ab☃c", EncodingId::windows_1252, {EncodeErrorMode::ignore}).bytes, "abc");
  EXPECT_EQ(encode("ab☃c", EncodingId::windows_1252, {EncodeErrorMode::ncr}).bytes, "ab&#9731;c");
  // ISO-2022-JP switches back to ASCII before a reference.
  EXPECT_EQ(encode("あ☃", EncodingId::iso_2022_jp, {EncodeErrorMode::ncr}).bytes,
            "\x1b$B$\"\x1b(B&#9731;");
  EXPECT_EQ(encode("\x1b", EncodingId::iso_2022_jp, {EncodeErrorMode::ncr}).bytes, "&#65533;");
  // Invalid UTF-8 input is an error, never silently encoded.
  EXPECT_FALSE(encode("a\xFF", EncodingId::utf_8).ok);
}

TEST(Encode, SingleBytePagesEncodePieceByPiece) {
  // Single-byte pages take a table-lookup fast path that hands over to the general loop at the
  // first character it does not take: the result must be the pieces' results put together,
  // whatever the mix of ASCII, mapped, unmapped and ill-formed input, in every error mode.
  const char* pool[] = {"a", " ", "é", "€", "Ж", "ё", "ß", "‰", "\u0081", "\u00A0", "中", "☃", "😀",
                        "\uE000", "\uFFFD", "\xFF", "\xE2\x82", "\xC3", "\xED\xA0\x80", "ı", "Ÿ"};
  std::mt19937 rng(3);
  for (EncodingId id : {EncodingId::windows_1252, EncodingId::windows_1251, EncodingId::iso_8859_2,
                        EncodingId::koi8_r, EncodingId::ibm866, EncodingId::macintosh}) {
    for (auto mode : {EncodeErrorMode::strict, EncodeErrorMode::replace, EncodeErrorMode::ignore,
                      EncodeErrorMode::ncr}) {
      for (int t = 0; t < 300; ++t) {
        std::string text, expected;
        bool ok = true;
        std::size_t first_error = 0, errors = 0;
        const int len = static_cast<int>(rng() % 12);
        for (int k = 0; k < len; ++k) {
          // An ill-formed piece is followed by ASCII, so that it stays one error on its own.
          std::string piece = pool[rng() % std::size(pool)];
          if (static_cast<unsigned char>(piece.back()) >= 0x80 && !is_valid_utf8(piece)) piece += "x";
          EncodeResult one = encode(piece, id, {mode});
          if (!one.ok && ok) ok = false, first_error = text.size() + one.error_offset;
          errors += one.errors;
          expected += one.bytes;
          text += piece;
        }
        EncodeResult all = encode(text, id, {mode});
        ASSERT_EQ(all.ok, ok) << encoding(id).name << " " << text;
        ASSERT_EQ(all.errors > 0, errors > 0) << encoding(id).name << " " << text;
        if (!ok) {
          ASSERT_EQ(all.error_offset, first_error) << encoding(id).name << " " << text;
        }
        if (mode != EncodeErrorMode::strict) {
          ASSERT_EQ(all.bytes, expected) << encoding(id).name << " " << text;
        }
      }
    }
  }
}

TEST(Stream, ChunkedEqualsWhole) {
  std::mt19937 rng(7);
  for (EncodingId id : {EncodingId::utf_8, EncodingId::gb18030, EncodingId::big5,
                        EncodingId::iso_2022_jp, EncodingId::utf_16le, EncodingId::euc_jp,
                        EncodingId::shift_jis, EncodingId::cp949}) {
    for (int t = 0; t < 200; ++t) {
      std::string in(rng() % 40, '\0');
      for (char& c : in) c = static_cast<char>(rng() % 4 == 0 ? 0x1B + rng() % 0x20 : rng());
      auto whole = decode(in, id, {}, BomPolicy::keep);
      for (auto bom : {BomPolicy::keep, BomPolicy::strip, BomPolicy::sniff}) {
        auto ref = decode(in, id, {}, bom);
        StreamDecoder d(id, {}, bom);
        std::string out;
        std::size_t i = 0;
        while (i < in.size()) {
          std::size_t k = std::min<std::size_t>(in.size() - i, rng() % 4);
          d.feed({reinterpret_cast<const std::uint8_t*>(in.data()) + i, k}, false, out);
          i += k;
        }
        d.feed({}, true, out);
        ASSERT_EQ(out, ref.text) << encoding(id).name << " t=" << t;
        ASSERT_EQ(d.errors(), ref.errors);
      }
      (void)whole;
    }
  }
}

TEST(Bom, Policies) {
  std::string in = "\xEF\xBB\xBFhi";
  EXPECT_EQ(decode(in, EncodingId::utf_8).text, "hi");
  EXPECT_EQ(decode(in, EncodingId::utf_8, {}, BomPolicy::keep).text, "\uFEFFhi");
  EXPECT_EQ(decode(in, EncodingId::windows_1252).text, "ï»¿hi");
  auto sniffed = decode(in, EncodingId::windows_1252, {}, BomPolicy::sniff);
  EXPECT_EQ(sniffed.text, "hi");
  EXPECT_EQ(sniffed.used, EncodingId::utf_8);
  EXPECT_EQ(decode("\xFF\xFEh\0"sv, EncodingId::gbk, {}, BomPolicy::sniff).text, "h");
}

TEST(RoundTrip, EveryMappedCharacterOfEveryEncoding) {
  // Decode every 1- and 2-byte sequence; whatever decodes to one character without error must
  // encode back to bytes that decode to the same character.
  for (const Encoding& e : all_encodings()) {
    if (e.id == EncodingId::replacement || e.id == EncodingId::iso_2022_jp) continue;
    if (e.id == EncodingId::utf_32le || e.id == EncodingId::utf_32be) continue;  // utf32_test.cpp
    std::size_t checked = 0;
    for (int a = 0; a < 256; ++a)
      for (int b = -1; b < 256; ++b) {
        std::string in = b < 0 ? bytes({a}) : bytes({a, b});
        auto d = decode(in, e.id, {DecodeErrorMode::strict}, BomPolicy::keep);
        if (!d.ok || d.text.empty()) continue;
        auto en = encode(d.text, e.id);
        if (!en.ok) {
          // The standard's decoders accept a few things its encoders deliberately never emit.
          bool documented =
              (e.id == EncodingId::big5 && a < 0xA1) ||                       // HKSCS
              ((e.id == EncodingId::gbk || e.id == EncodingId::gb18030) &&
               d.text == "\uE5E5") ||                                           // GB18030-2022
              ((e.id == EncodingId::shift_jis) && d.text >= "\uE000" && d.text < "\uF900");
          ASSERT_TRUE(documented) << e.name << " " << a << " " << b;
          continue;
        }
        ASSERT_EQ(decode(en.bytes, e.id, {}, BomPolicy::keep).text, d.text) << e.name;
        ++checked;
      }
    EXPECT_GT(checked, 128u) << e.name;
  }
}

TEST(PostSteps, NormalizationAndC1) {
  EXPECT_EQ(normalize("e\u0301", Normalization::nfc), "é");
  EXPECT_EQ(normalize("é", Normalization::nfd), "e\u0301");
  EXPECT_EQ(normalize("ﬁ", Normalization::nfkc), "fi");
  EXPECT_EQ(strip_c1_controls("a\u0080b\u009Fc\u00A0"), "abc\u00A0");
}
