// utf32_test.cpp — UTF-32LE/BE: labels, decoding with each error policy (one error per invalid
// 4-byte unit, one for a unit cut by the end), BOM policies, streaming in any chunking, and
// encode/decode round trips over every plane.
#include <gtest/gtest.h>

#include <random>

#include "codec/test_bytes.h"
#include "ungarble/codec.h"

using namespace ungarble;
using namespace std::string_view_literals;

namespace {
using codec_test::bytes;
constexpr EncodingId LE = EncodingId::utf_32le, BE = EncodingId::utf_32be;
}  // namespace

TEST(Utf32, Labels) {
  EXPECT_EQ(find_encoding("UTF-32")->id, LE);
  EXPECT_EQ(find_encoding("utf-32le")->id, LE);
  EXPECT_EQ(find_encoding("utf_32_le")->id, LE);
  EXPECT_EQ(find_encoding("UCS-4LE")->id, LE);
  EXPECT_EQ(find_encoding("utf-32be")->id, BE);
  EXPECT_EQ(find_encoding("UTF32BE")->id, BE);
  EXPECT_EQ(find_encoding("ucs-4")->id, BE);  // iconv's UCS-4 is big-endian
  EXPECT_EQ(encoding(LE).name, "utf-32le");
  EXPECT_EQ(encoding(BE).kind, EncodingKind::utf);
  EXPECT_FALSE(encoding(LE).ascii_compatible);
  EXPECT_FALSE(encoding(BE).whatwg);
}

TEST(Utf32, DecodesEveryPlane) {
  EXPECT_EQ(decode(bytes({'A', 0, 0, 0, 0xE9, 0, 0, 0}), LE).text, "Aé");
  EXPECT_EQ(decode(bytes({0, 0, 0, 'A', 0, 0, 0x20, 0xAC}), BE).text, "A€");
  EXPECT_EQ(decode(bytes({0x00, 0xF6, 0x01, 0x00}), LE).text, "\U0001F600");
  EXPECT_EQ(decode(bytes({0x00, 0x10, 0xFF, 0xFF}), BE).text, "\U0010FFFF");
  EXPECT_EQ(decode(""sv, LE).text, "");
}

TEST(Utf32, OneErrorPerInvalidUnitAndForACutTail) {
  // Above U+10FFFF, a surrogate, then a valid unit: two errors, the valid one kept.
  std::string in = bytes({0x00, 0x00, 0x11, 0x00, 0x00, 0xD8, 0x00, 0x00, 'x', 0, 0, 0});
  DecodeResult r = decode(in, LE);
  EXPECT_EQ(r.text, "\uFFFD\uFFFDx");
  EXPECT_EQ(r.errors, 2u);
  // 1–3 trailing bytes are one error.
  for (int k = 1; k <= 3; ++k) {
    std::string t = bytes({'o', 0, 0, 0, 'k', 0, 0, 0}) + std::string(static_cast<std::size_t>(k), 'z');
    r = decode(t, LE);
    EXPECT_EQ(r.text, "ok\uFFFD") << k;
    EXPECT_EQ(r.errors, 1u);
  }
  // Strict: stops at the first bad unit and reports its offset.
  r = decode(bytes({'a', 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 'b', 0, 0, 0}), LE, {DecodeErrorMode::strict});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error_offset, 4u);
  EXPECT_EQ(r.text, "a");
  // The other policies.
  std::string bad = bytes({0, 0, 0, 'a', 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 'b'});
  EXPECT_EQ(decode(bad, BE, {DecodeErrorMode::question}).text, "a?b");
  EXPECT_EQ(decode(bad, BE, {DecodeErrorMode::ignore}).text, "ab");
  EXPECT_EQ(decode(bad, BE, {DecodeErrorMode::fallback, EncodingId::windows_1252}).text, "aÿÿÿÿb");
}

TEST(Utf32, BomPolicies) {
  std::string le = bytes({0xFF, 0xFE, 0, 0, 'h', 0, 0, 0, 'i', 0, 0, 0});
  std::string be = bytes({0, 0, 0xFE, 0xFF, 0, 0, 0, 'h', 0, 0, 0, 'i'});
  EXPECT_EQ(decode(le, LE).text, "hi");  // strip (the default) drops its own BOM
  EXPECT_EQ(decode(be, BE).text, "hi");
  EXPECT_EQ(decode(le, LE, {}, BomPolicy::keep).text, "\uFEFFhi");
  // A BOM of the other order is not stripped: it is a non-character there.
  EXPECT_EQ(decode(be, LE).errors, 3u);
  // sniff: a UTF-32 BOM chooses the byte order of a UTF-32 decoder…
  DecodeResult r = decode(be, LE, {}, BomPolicy::sniff);
  EXPECT_EQ(r.text, "hi");
  EXPECT_EQ(r.used, BE);
  // …while for any other encoding WHATWG sniffing reads FF FE as UTF-16LE, as browsers do.
  r = decode(le, EncodingId::windows_1252, {}, BomPolicy::sniff);
  EXPECT_EQ(r.used, EncodingId::utf_16le);
  // A UTF-16 BOM that is not the start of a UTF-32 one is left to WHATWG sniffing.
  r = decode(bytes({0xFF, 0xFE, 'h', 0}), LE, {}, BomPolicy::sniff);
  EXPECT_EQ(r.used, EncodingId::utf_16le);
  EXPECT_EQ(r.text, "h");
}

TEST(Utf32, StreamingInAnyChunkingEqualsWhole) {
  std::mt19937 rng(32);
  for (int round = 0; round < 200; ++round) {
    std::string in;
    if (round % 2) in = bytes({0xFF, 0xFE, 0, 0});
    std::size_t n = rng() % 40;
    for (std::size_t i = 0; i < n; ++i) in.push_back(static_cast<char>(rng() % 4 ? rng() % 3 : rng()));
    for (EncodingId id : {LE, BE})
      for (BomPolicy bp : {BomPolicy::strip, BomPolicy::keep, BomPolicy::sniff}) {
        DecodeResult whole = decode(in, id, {}, bp);
        StreamDecoder sd(id, {}, bp);
        std::string out;
        for (std::size_t i = 0; i < in.size();) {
          std::size_t k = std::min<std::size_t>(in.size() - i, 1 + rng() % 5);
          sd.feed({reinterpret_cast<const std::uint8_t*>(in.data() + i), k}, false, out);
          i += k;
        }
        sd.feed({}, true, out);
        ASSERT_EQ(out, whole.text) << round;
        ASSERT_EQ(sd.errors(), whole.errors) << round;
      }
  }
}

TEST(Utf32, EncodeRoundTripsEveryPlane) {
  std::string text = "A\u00E9\u20AC\uFFFD\U0001F600\U0010FFFD";
  EncodeResult le = encode(text, LE), be = encode(text, BE);
  ASSERT_TRUE(le.ok);
  EXPECT_EQ(le.bytes.size(), 24u);
  EXPECT_EQ(le.bytes.substr(0, 8), bytes({'A', 0, 0, 0, 0xE9, 0, 0, 0}));
  EXPECT_EQ(be.bytes.substr(16, 4), bytes({0x00, 0x01, 0xF6, 0x00}));
  EXPECT_EQ(decode(le.bytes, LE).text, text);
  EXPECT_EQ(decode(be.bytes, BE).text, text);
  // Invalid UTF-8 in the input is an error of the input, as for every encoder.
  EncodeResult bad = encode("a\xFF" "b", LE, {EncodeErrorMode::replace});
  EXPECT_EQ(bad.errors, 1u);
  EXPECT_EQ(decode(bad.bytes, LE).text, "a?b");
  // Every scalar value in a stride.
  for (char32_t c = 0; c <= 0x10FFFF; c += 0x101) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string u;
    if (c < 0x80) u = std::string(1, static_cast<char>(c));
    else if (c < 0x800) u = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    else if (c < 0x10000)
      u = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
           static_cast<char>(0x80 | (c & 0x3F))};
    else
      u = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
           static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    for (EncodingId id : {LE, BE}) {
      EncodeResult e = encode(u, id);
      ASSERT_TRUE(e.ok);
      ASSERT_EQ(e.bytes.size(), 4u);
      ASSERT_EQ(decode(e.bytes, id, {DecodeErrorMode::strict}, BomPolicy::keep).text, u);
    }
  }
}
