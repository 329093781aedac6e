// detect_test.cpp — charset detection on text the test writes itself (short sentences in each
// language, encoded with ungarble::encode), with and without the shipped models.
#include "ungarble/detect.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "cli/cmd_detect.h"
#include "ungarble/codec.h"
#include "ungarble/model.h"

namespace ungarble {
namespace {

std::string enc(std::string_view utf8, EncodingId id) {
  EncodeResult r = encode(utf8, id);
  EXPECT_TRUE(r.ok) << encoding(id).name;
  return r.bytes;
}

const ModelSet* shipped() {
  static ModelSet* set = [] {
    auto* s = new ModelSet;
    s->load_dir(ModelSet::default_dir());  // $UNGARBLE_MODELS or the shipped models
    return s;
  }();
  return set->size() ? set : nullptr;
}

// Text-correct: the answer reads the bytes exactly as the true encoding does.
bool text_correct(const std::string& bytes, const Detection& d, EncodingId truth) {
  if (d.candidates.empty()) return false;
  return decode(bytes, d.candidates[0].encoding, {DecodeErrorMode::replace}, BomPolicy::keep).text ==
         decode(bytes, truth, {DecodeErrorMode::replace}, BomPolicy::keep).text;
}

// ---- Structure (no models needed) ----------------------------------------------------------

TEST(Detect, EmptyInput) {
  Detection d = detect(std::string_view{}, nullptr);
  EXPECT_EQ(d.kind, Detection::Kind::empty);
  EXPECT_EQ(d.encoding_name(), "empty");
  EXPECT_TRUE(d.candidates.empty());
}

TEST(Detect, Boms) {
  std::string text = "Grüße aus Köln";
  struct Case { std::string bytes; std::string_view name; std::size_t bom; };
  std::string le = enc(text, EncodingId::utf_16le), be = enc(text, EncodingId::utf_16be);
  Case cases[] = {
      {"\xEF\xBB\xBF" + text, "utf-8", 3},
      {std::string("\xFF\xFE") + le, "utf-16le", 2},
      {std::string("\xFE\xFF") + be, "utf-16be", 2},
      {std::string("\xFF\xFE\x00\x00", 4) + std::string("A\0\0\0\xE4\0\0\0", 8), "utf-32le", 4},
      {std::string("\x00\x00\xFE\xFF", 4) + std::string("\0\0\0A\0\0\0\xE4", 8), "utf-32be", 4},
  };
  for (const auto& c : cases) {
    Detection d = detect(c.bytes, nullptr);
    EXPECT_EQ(d.kind, Detection::Kind::text);
    EXPECT_TRUE(d.from_bom) << c.name;
    EXPECT_EQ(d.bom_length, c.bom) << c.name;
    EXPECT_EQ(d.encoding_name(), c.name);
    EXPECT_GE(d.confidence(), 0.99);
    // The answer decodes the bytes after the BOM to the text.
    std::string want = c.bom == 4 ? "A\u00E4" : text;
    EXPECT_EQ(decode(c.bytes, d.candidates[0].encoding).text, want) << c.name;
  }
  // A BOM alone is text of its encoding, with nothing after it.
  EXPECT_EQ(detect(std::string("\xFE\xFF"), nullptr).encoding_name(), "utf-16be");
  EXPECT_EQ(detect(std::string("\x00\x00\xFE\xFF", 4), nullptr).encoding_name(), "utf-32be");
}

TEST(Detect, BomBeatsDeclaration) {
  std::string html = "\xEF\xBB\xBF<meta charset=\"windows-1251\"><p>Привет</p>";
  DetectOptions o;
  o.declared = EncodingId::shift_jis;
  Detection d = detect(html, shipped(), o);
  EXPECT_EQ(d.encoding_name(), "utf-8");
  EXPECT_TRUE(d.from_bom);
  EXPECT_TRUE(d.declared_overruled);
}

TEST(Detect, Utf16WithoutBom) {
  const char* texts[] = {"The quick brown fox jumps over the lazy dog, twice.",
                         "Съешь же ещё этих мягких французских булок, да выпей чаю.",
                         "Ζαφείρι δέξου πάγκαλο, βαθῶν ψυχῆς τὸ σῆμα."};
  for (const char* t : texts) {
    for (EncodingId id : {EncodingId::utf_16le, EncodingId::utf_16be}) {
      std::string b = enc(t, id);
      Detection d = detect(b, nullptr);
      EXPECT_EQ(d.kind, Detection::Kind::text) << t;
      EXPECT_EQ(d.encoding_name(), encoding(id).name) << t;
      EXPECT_FALSE(d.from_bom);
    }
  }
}

TEST(Detect, Utf32WithoutBom) {
  const char* texts[] = {"Hello, world! A line of text.",
                         "Grüße aus Köln, Ελλάδα и Россия — 東京 😀 𝄞 and more.",
                         "中华人民共和国成立于一九四九年。",
                         "😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩"};  // all outside the BMP
  for (const char* t : texts)
    for (EncodingId id : {EncodingId::utf_32le, EncodingId::utf_32be}) {
      std::string b = enc(t, id);
      Detection d = detect(b, nullptr);
      EXPECT_EQ(d.kind, Detection::Kind::text) << t;
      EXPECT_EQ(d.encoding_name(), encoding(id).name) << t;
      EXPECT_FALSE(d.from_bom);
      EXPECT_TRUE(text_correct(b, d, id)) << t;
      EXPECT_EQ(detect(b, shipped()).encoding_name(), encoding(id).name) << t;
      // A unit cut by the end of the input does not change the answer.
      b.pop_back();
      EXPECT_EQ(detect(b, nullptr).encoding_name(), encoding(id).name) << t;
    }
  // The shipped models name the language of UTF-32 text too.
  if (shipped()) {
    Detection d = detect(enc("Съешь же ещё этих мягких французских булок, да выпей чаю.",
                             EncodingId::utf_32be), shipped());
    EXPECT_EQ(d.encoding_name(), "utf-32be");
    EXPECT_EQ(d.language(), "ru");
  }
}

TEST(Detect, Utf32BomOnlyWhenTheRestReadsAsUtf32) {
  // FF FE 00 00 is also a UTF-16LE BOM followed by U+0000.
  std::string u16 = std::string("\xFF\xFE\x00\x00", 4) + enc("hi there, UTF-16", EncodingId::utf_16le);
  Detection d = detect(u16, nullptr);
  EXPECT_EQ(d.encoding_name(), "utf-16le");
  EXPECT_EQ(d.bom_length, 2u);
  std::string u32 = std::string("\xFF\xFE\x00\x00", 4) + enc("hi there, UTF-32 😀", EncodingId::utf_32le);
  d = detect(u32, nullptr);
  EXPECT_EQ(d.encoding_name(), "utf-32le");
  EXPECT_EQ(d.bom_length, 4u);
  EXPECT_EQ(decode(u32, d.candidates[0].encoding).text, "hi there, UTF-32 😀");  // BOM stripped
  // With the models the language is reported from the text after the BOM.
  if (shipped()) {
    std::string be = std::string("\x00\x00\xFE\xFF", 4) +
                     enc("Příliš žluťoučký kůň úpěl ďábelské ódy.", EncodingId::utf_32be);
    d = detect(be, shipped());
    EXPECT_EQ(d.encoding_name(), "utf-32be");
    EXPECT_EQ(d.language(), "cs");
  }
}

TEST(Detect, BinaryByMagicAndByControlBytes) {
  std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  EXPECT_EQ(detect(png, nullptr).kind, Detection::Kind::binary);
  std::string gz("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03", 10);
  EXPECT_EQ(detect(gz, nullptr).kind, Detection::Kind::binary);
  std::string elf("\x7F" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16);
  EXPECT_EQ(detect(elf, nullptr).kind, Detection::Kind::binary);
  // Random bytes (an archive without a known magic): binary, not a forced guess.
  std::mt19937 rng(7);
  std::string noise(4096, '\0');
  for (auto& c : noise) c = static_cast<char>(rng());
  Detection d = detect(noise, shipped());
  EXPECT_EQ(d.kind, Detection::Kind::binary);
  EXPECT_EQ(d.encoding_name(), "binary");
  EXPECT_TRUE(d.candidates.empty());
  // A text file is not binary because of a tab, a form feed or an escape.
  EXPECT_EQ(detect(std::string("col1\tcol2\f\x1B[1mbold\x1B[0m\r\n"), nullptr).kind,
            Detection::Kind::text);
}

TEST(Detect, AsciiIsUtf8OrTheDeclaredAsciiCompatibleEncoding) {
  Detection d = detect(std::string("plain ASCII text\n"), nullptr);
  EXPECT_EQ(d.encoding_name(), "utf-8");
  DetectOptions o;
  o.declared = EncodingId::windows_1252;
  EXPECT_EQ(detect(std::string("plain ASCII text\n"), nullptr, o).encoding_name(), "windows-1252");
}

TEST(Detect, Iso2022JpByEscapes) {
  std::string b = enc("日本語のテキストです。", EncodingId::iso_2022_jp);
  Detection d = detect(b, nullptr);
  EXPECT_EQ(d.encoding_name(), "iso-2022-jp");
}

TEST(Detect, ValidUtf8) {
  Detection d = detect(std::string("naïve café — 東京"), nullptr);
  EXPECT_EQ(d.encoding_name(), "utf-8");
  EXPECT_GT(d.confidence(), 0.9);
  // Only one non-ASCII character among much ASCII: still UTF-8.
  std::string one(2000, 'a');
  one += "é";
  EXPECT_EQ(detect(one, nullptr).encoding_name(), "utf-8");
}

TEST(Detect, TruncatedMultibyteTail) {
  std::string s = "Приветствую вас, дорогие друзья";  // cut in the middle of the last letter
  s.pop_back();
  EXPECT_EQ(detect(s, nullptr).encoding_name(), "utf-8");
  if (!shipped()) return;
  std::string sj = enc("日本語の文章を書きます", EncodingId::shift_jis);
  sj.pop_back();  // half of the last character
  Detection d = detect(sj, shipped());
  ASSERT_EQ(d.kind, Detection::Kind::text);
  EXPECT_EQ(d.encoding_name(), "shift_jis");
  std::string gb = enc("中华人民共和国成立于一九四九年", EncodingId::gbk);
  gb.pop_back();
  d = detect(gb, shipped());
  EXPECT_EQ(d.encoding_name(), "gbk");
  std::string kr = enc("오늘은 공원에서 산책을 했습니다", EncodingId::euc_kr);
  kr.pop_back();
  EXPECT_EQ(detect(kr, shipped()).encoding_name(), "euc-kr");
}

TEST(Detect, TruncatedTailsOfEveryUtf) {
  // UTF-8 cut after 1, 2 or 3 bytes of a 3- or 4-byte character.
  // (with another complete character before: a lone cut character is left to the models)
  for (std::string full : {std::string("Tokyo is 東京"), std::string("smile 😀 and 😀")}) {
    std::size_t len = full.back() == '\x80' ? 4 : 3;  // bytes of the last character
    for (std::size_t cut = 1; cut < len; ++cut) {
      std::string s = full.substr(0, full.size() - cut);
      EXPECT_EQ(detect(s, nullptr).encoding_name(), "utf-8") << full << " -" << cut;
    }
  }
  // UTF-16 with an odd last byte, with and without a BOM.
  std::string le = enc("Съешь же ещё этих мягких французских булок", EncodingId::utf_16le);
  le.pop_back();
  EXPECT_EQ(detect(le, nullptr).encoding_name(), "utf-16le");
  EXPECT_EQ(detect("\xFF\xFE" + le, nullptr).encoding_name(), "utf-16le");
  // A character cut by the 64 KiB prefix of the default mode is not an error.
  std::string big;
  while (big.size() < 70000) big += "Съешь же ещё этих мягких французских булок. ";
  for (std::size_t shift = 0; shift < 3; ++shift) {
    DetectOptions o;
    o.prefix = 4096 + shift;
    Detection d = detect(big, nullptr, o);
    EXPECT_EQ(d.encoding_name(), "utf-8") << shift;
    EXPECT_LT(d.bytes_examined, big.size());
  }
}

TEST(Detect, DoubleEncodedUtf8) {
  std::string once = "Voilà l'été à Paris, où les crêpes coûtent cher.";
  std::string twice = decode(once, EncodingId::windows_1252).text;  // UTF-8 read as 1252, re-saved
  Detection d = detect(twice, shipped());
  EXPECT_EQ(d.kind, Detection::Kind::double_utf8);
  EXPECT_EQ(d.encoding_name(), "utf-8");
  EXPECT_EQ(d.double_via, EncodingId::windows_1252);
  // Ordinary UTF-8 is not.
  EXPECT_EQ(detect(once, shipped()).kind, Detection::Kind::text);
}

TEST(Detect, SniffDeclaredCharset) {
  auto s = [](std::string_view x) {
    return sniff_declared_charset({reinterpret_cast<const std::uint8_t*>(x.data()), x.size()});
  };
  EXPECT_EQ(s("<html><head><meta charset=\"Shift_JIS\">"), EncodingId::shift_jis);
  EXPECT_EQ(s("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb2312\">"),
            EncodingId::gbk);
  EXPECT_EQ(s("<?xml version=\"1.0\" encoding='ISO-8859-2'?><a/>"), EncodingId::iso_8859_2);
  EXPECT_EQ(s("<meta charset=utf-16>"), EncodingId::utf_8);  // as WHATWG: not UTF-16
  EXPECT_EQ(s("<meta charset=utf-32>"), EncodingId::utf_8);  // nor UTF-32
  EXPECT_EQ(s("<?xml version=\"1.0\" encoding=\"UCS-4\"?>"), EncodingId::utf_8);
  EXPECT_EQ(s("<p>no declaration</p>"), std::nullopt);
}

TEST(Detect, NoModelsDegradesToHeuristicAndPriors) {
  // Without models: C1 controls and symbols inside words rule readings out; priors break ties.
  std::string fr = enc("Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva.", EncodingId::windows_1252);
  Detection d = detect(fr, nullptr);
  ASSERT_EQ(d.kind, Detection::Kind::text);
  EXPECT_TRUE(text_correct(fr, d, EncodingId::windows_1252)) << d.encoding_name();
  EXPECT_EQ(d.language(), "");
  EXPECT_STREQ(d.why, "heuristic");
  EXPECT_LT(d.confidence(), 0.999);  // no overclaiming without models
  std::string ru = enc("Съешь же ещё этих мягких французских булок, да выпей чаю.", EncodingId::windows_1251);
  d = detect(ru, nullptr);
  EXPECT_TRUE(text_correct(ru, d, EncodingId::windows_1251)) << d.encoding_name();
}

// ---- With the shipped models --------------------------------------------------------------

struct Sample {
  const char* text;
  EncodingId id;
  const char* lang;
};
const Sample kSamples[] = {
    {"Příliš žluťoučký kůň úpěl ďábelské ódy.", EncodingId::windows_1250, "cs"},
    {"Zażółć gęślą jaźń, pchnąć w tę łódź jeża.", EncodingId::iso_8859_2, "pl"},
    {"Įlinkdama fechtuotojo špaga sublykčiojusi pragręžė apvalų arbūzą.", EncodingId::windows_1257, "lt"},
    {"Съешь же ещё этих мягких французских булок, да выпей чаю.", EncodingId::windows_1251, "ru"},
    {"Съешь же ещё этих мягких французских булок, да выпей чаю.", EncodingId::koi8_r, "ru"},
    {"Ξεσκεπάζω την ψυχοφθόρα βδελυγμία των ανθρώπων.", EncodingId::windows_1253, "el"},
    {"Pijamalı hasta yağız şoföre çabucak güvendi.", EncodingId::windows_1254, "tr"},
    {"Le cœur déçu mais l'âme plutôt naïve, Louÿs rêva de crapaüter.", EncodingId::windows_1252, "fr"},
    {"เป็นมนุษย์สุดประเสริฐเลิศคุณค่า กว่าบรรดาฝูงสัตว์เดรัจฉาน", EncodingId::windows_874, "th"},
    {"עטלף אבק נס דרך מזגן שהתפוצץ כי חם", EncodingId::windows_1255, "he"},
    {"نص حكيم له سر قاطع وذو شأن عظيم مكتوب على ثوب أخضر", EncodingId::windows_1256, "ar"},
    {"我们今天去公园散步，天气非常好，大家都很开心。", EncodingId::gbk, "zh-Hans"},
    {"我們今天去公園散步，天氣非常好，大家都很開心。", EncodingId::big5, "zh-Hant"},
    {"今日は公園を散歩しました。天気がとても良かったです。", EncodingId::shift_jis, "ja"},
    {"今日は公園を散歩しました。天気がとても良かったです。", EncodingId::euc_jp, "ja"},
    {"오늘은 공원에서 산책을 했습니다. 날씨가 아주 좋았어요.", EncodingId::euc_kr, "ko"},
};

TEST(DetectModels, SentencesInTheirLegacyEncodings) {
  if (!shipped()) GTEST_SKIP() << "no models in " << ModelSet::default_dir();
  for (const auto& s : kSamples) {
    std::string b = enc(s.text, s.id);
    Detection d = detect(b, shipped());
    ASSERT_EQ(d.kind, Detection::Kind::text) << s.text;
    EXPECT_TRUE(text_correct(b, d, s.id))
        << s.text << ": got " << d.encoding_name() << " want " << encoding(s.id).name;
    EXPECT_EQ(d.language(), s.lang) << s.text;
    EXPECT_GT(d.confidence(), 0.5) << s.text;
    ASSERT_FALSE(d.candidates.empty());
    double sum = 0;
    for (const auto& c : d.candidates) sum += c.confidence;
    EXPECT_LE(sum, 1.0 + 1e-9);
    for (std::size_t i = 1; i < d.candidates.size(); ++i)
      EXPECT_GE(d.candidates[i - 1].confidence, d.candidates[i].confidence);
  }
}

TEST(DetectModels, LyingDeclarationsAreOverruled) {
  if (!shipped()) GTEST_SKIP();
  // HTML that says windows-1252 but is Russian in windows-1251.
  std::string html = "<html><head><meta charset=\"windows-1252\"></head><body><p>" +
                     enc("Съешь же ещё этих мягких французских булок, да выпей чаю.",
                         EncodingId::windows_1251) + "</p></body></html>";
  Detection d = detect(html, shipped());
  EXPECT_EQ(d.encoding_name(), "windows-1251");
  EXPECT_EQ(d.declared, EncodingId::windows_1252);
  EXPECT_TRUE(d.declared_overruled);
  // XML that says UTF-8 but is Latin-2 (and invalid UTF-8).
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><t>" +
                    enc("Zażółć gęślą jaźń, pchnąć w tę łódź jeża.", EncodingId::iso_8859_2) + "</t>";
  d = detect(xml, shipped());
  EXPECT_TRUE(text_correct(xml, d, EncodingId::iso_8859_2)) << d.encoding_name();
  EXPECT_TRUE(d.declared_overruled);
  // A truthful declaration is kept even where the text alone is ambiguous.
  std::string ok = "<meta charset=\"iso-8859-15\"><p>" + enc("Ça coûte 5 €.", EncodingId::iso_8859_15);
  d = detect(ok, shipped());
  EXPECT_EQ(d.encoding_name(), "iso-8859-15");
  EXPECT_FALSE(d.declared_overruled);
  // <meta> says UTF-8, the body is GBK (invalid UTF-8).
  std::string gbk = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><p>" +
                    enc("我们今天去公园散步，天气非常好，大家都很开心。", EncodingId::gbk) + "</p>";
  d = detect(gbk, shipped());
  EXPECT_TRUE(text_correct(gbk, d, EncodingId::gbk)) << d.encoding_name();
  EXPECT_EQ(d.declared, EncodingId::utf_8);
  EXPECT_TRUE(d.declared_overruled);
  // <?xml?> says Shift_JIS, the bytes are valid UTF-8.
  std::string sj = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><t>日本語のテキストです。</t>";
  d = detect(sj, shipped());
  EXPECT_EQ(d.encoding_name(), "utf-8");
  EXPECT_EQ(d.declared, EncodingId::shift_jis);
  EXPECT_TRUE(d.declared_overruled);
  // <meta> says UTF-16 (impossible for a document that declares in ASCII): read as UTF-8.
  std::string u16 = "<meta charset=\"utf-16\"><p>" +
                    enc("Съешь же ещё этих мягких французских булок.", EncodingId::windows_1251);
  d = detect(u16, shipped());
  EXPECT_EQ(d.encoding_name(), "windows-1251");
}

TEST(DetectModels, LatinLanguageWithoutAModel) {
  if (!shipped()) GTEST_SKIP();
  ASSERT_EQ(shipped()->find("eo"), nullptr) << "this test wants a language the models lack";
  // Esperanto in Latin-3: no model knows ĉ ĝ ĥ ĵ ŝ ŭ, and windows-1257 turns them into
  // Lithuanian letters, latin-2 into Polish/Czech ones. The skeleton fallback must still win.
  // Own prose of about 730 bytes: on much shorter text (a 340-byte paragraph) the skeleton
  // evidence is too weak to outweigh the rarity of latin-3, and windows-1250 still wins.
  std::string eo =
      "Ĉiuj homoj estas denaske liberaj kaj egalaj laŭ digno kaj rajtoj. Ili posedas racion "
      "kaj konsciencon, kaj devus konduti unu al alia en spirito de frateco. Ĉu vi ŝatas "
      "manĝi freŝajn fruktojn ĉiutage? Ĝi estas tre bona por la sano, kaj la ĝardeno apud "
      "la preĝejo estas plena de ĉerizoj. Ŝi aĉetis ĵurnalon kaj legis ĝin dum la vojaĝo "
      "hejmen. La instruisto klarigis, ke ĉiu lernanto devas ŝanĝi sian manieron de "
      "lernado, ĉar la ekzameno proksimiĝas. Hieraŭ ni vizitis la malnovan kastelon, kiu "
      "staras sur la monteto super la urbo; la vido de tie estis mirinda. Mia frato ĉiam "
      "diras, ke li ne havas tempon, sed li ĉiuvespere spektas filmojn ĝis noktomezo. Se vi "
      "bezonas helpon, bonvolu demandi min aŭ skribi al la estraro de nia societo.";
  std::string b = enc(eo, EncodingId::iso_8859_3);
  Detection d = detect(b, shipped());
  ASSERT_EQ(d.kind, Detection::Kind::text);
  EXPECT_TRUE(text_correct(b, d, EncodingId::iso_8859_3)) << d.encoding_name();
  EXPECT_EQ(d.language(), "");  // no model; the skeleton reading has no language
  // A modelled language keeps its own page and language (the fallback does not take over).
  std::string cs = enc("Příliš žluťoučký kůň úpěl ďábelské ódy. Každý člověk má právo na vzdělání.",
                       EncodingId::iso_8859_2);
  d = detect(cs, shipped());
  EXPECT_TRUE(text_correct(cs, d, EncodingId::iso_8859_2)) << d.encoding_name();
  EXPECT_EQ(d.language(), "cs");
  // A lone symbol that another page reads as a letter stays a symbol.
  std::string copy = enc("Copyright © 2012, 2013 Roland Mas", EncodingId::windows_1252);
  d = detect(copy, shipped());
  EXPECT_TRUE(text_correct(copy, d, EncodingId::windows_1252)) << d.encoding_name();
}

TEST(DetectModels, DeclaredOptionBreaksNearTies) {
  if (!shipped()) GTEST_SKIP();
  // "ß" alone reads the same in many pages; the declared one is named.
  std::string b = enc("Straße", EncodingId::iso_8859_2);
  DetectOptions o;
  o.declared = EncodingId::iso_8859_2;
  Detection d = detect(b, shipped(), o);
  EXPECT_EQ(d.encoding_name(), "iso-8859-2");
}

TEST(DetectModels, GbkIsNamedGb18030OnlyWithFourByteSequences) {
  if (!shipped()) GTEST_SKIP();
  std::string plain = enc("中华人民共和国成立于一九四九年。", EncodingId::gb18030);
  EXPECT_EQ(detect(plain, shipped()).encoding_name(), "gbk");
  std::string four = enc("中华人民共和国成立于一九四九年。€ ḿ 𠀀", EncodingId::gb18030);
  Detection d = detect(four, shipped());
  EXPECT_TRUE(text_correct(four, d, EncodingId::gb18030)) << d.encoding_name();
  EXPECT_EQ(d.encoding_name(), "gb18030");
}

TEST(DetectModels, LongInputUsesABoundedPrefixAndFullScansAll) {
  if (!shipped()) GTEST_SKIP();
  std::string para = enc("Příliš žluťoučký kůň úpěl ďábelské ódy. ", EncodingId::windows_1250);
  std::string big;
  while (big.size() < (1u << 20)) big += para;
  Detection d = detect(big, shipped());
  EXPECT_EQ(d.encoding_name(), "windows-1250");
  EXPECT_LT(d.bytes_examined, big.size());
  DetectOptions full;
  full.full = true;
  d = detect(big, shipped(), full);
  EXPECT_EQ(d.encoding_name(), "windows-1250");
  EXPECT_EQ(d.bytes_examined, big.size());
  // Non-ASCII only after a long ASCII run is still found (the ASCII scan covers everything).
  std::string late(200000, 'x');
  late += enc(" Съешь же ещё этих мягких французских булок.", EncodingId::windows_1251);
  EXPECT_EQ(detect(late, shipped()).encoding_name(), "windows-1251");
}

TEST(DetectModels, Utf8LanguageIsReported) {
  if (!shipped()) GTEST_SKIP();
  Detection d = detect(std::string("Съешь же ещё этих мягких французских булок, да выпей чаю."),
                       shipped());
  EXPECT_EQ(d.encoding_name(), "utf-8");
  EXPECT_EQ(d.language(), "ru");
}

}  // namespace
}  // namespace ungarble

// ---- The CLI command (ungarble detect) -----------------------------------------------------

namespace ungarble {
namespace {

std::string temp_file(const std::string& name, const std::string& bytes) {
  auto p = std::filesystem::temp_directory_path() / ("ungarble_detect_test_" + name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

int run_cli(const std::vector<std::string>& args, std::string* out, std::string* err) {
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int rc = cli::cmd_detect(args);
  std::fflush(stdout);
  *out = testing::internal::GetCapturedStdout();
  *err = testing::internal::GetCapturedStderr();
  return rc;
}

TEST(DetectCli, SingleInputPrintsEncodingAndConfidence) {
  std::string f = temp_file("one.txt", "na\xC3\xAFve caf\xC3\xA9\n");
  std::string out, err;
  EXPECT_EQ(run_cli({f}, &out, &err), 0);
  EXPECT_EQ(out.substr(0, 6), "utf-8 ");
  EXPECT_EQ(out.back(), '\n');
}

TEST(DetectCli, ManyInputsEmptyAndUnreadable) {
  std::string a = temp_file("a.txt", "plain\n");
  std::string e = temp_file("empty.txt", "");
  std::string missing = (std::filesystem::temp_directory_path() / "ungarble_no_such_file").string();
  std::string out, err;
  EXPECT_EQ(run_cli({a, missing, e}, &out, &err), 1);  // one failed, the others processed
  EXPECT_NE(out.find(a + "\tutf-8\t"), std::string::npos) << out;
  EXPECT_NE(out.find(e + "\tempty\t"), std::string::npos) << out;
  EXPECT_EQ(out.find(missing), std::string::npos);
  EXPECT_NE(err.find("ungarble_no_such_file"), std::string::npos) << err;
}

TEST(DetectCli, Utf32AndBinaryVerdicts) {
  std::string u32 = temp_file("u32.txt", enc("Grüße aus Köln — 東京 😀", EncodingId::utf_32be));
  std::string bin = temp_file("bin.png", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16));
  std::string out, err;
  EXPECT_EQ(run_cli({"--json", u32, bin}, &out, &err), 0);
  std::size_t nl = out.find('\n');
  ASSERT_NE(nl, std::string::npos);
  auto j1 = nlohmann::json::parse(out.substr(0, nl));
  auto j2 = nlohmann::json::parse(out.substr(nl + 1));
  EXPECT_EQ(j1["encoding"], "utf-32be");
  EXPECT_EQ(j1["kind"], "text");
  EXPECT_EQ(j2["encoding"], "binary");
  EXPECT_EQ(j2["kind"], "binary");
  EXPECT_TRUE(j2["candidates"].empty());
}

TEST(DetectCli, JsonAndDeclared) {
  std::string f = temp_file("ru.txt", enc("Съешь же ещё этих мягких французских булок, да выпей чаю.",
                                          EncodingId::windows_1251));
  std::string out, err;
  EXPECT_EQ(run_cli({"--json", "--declared", "windows-1251", f}, &out, &err), 0);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["file"], f);
  EXPECT_EQ(j["encoding"], "windows-1251");
  EXPECT_EQ(j["declared"], "windows-1251");
  EXPECT_TRUE(j["candidates"].is_array());
  EXPECT_LE(j["candidates"].size(), 5u);
  EXPECT_GT(j["confidence"].get<double>(), 0.5);
  EXPECT_TRUE(j.contains("language"));
  EXPECT_EQ(run_cli({"--declared", "no-such-charset", f}, &out, &err), 2);
  EXPECT_NE(err.find("unknown encoding"), std::string::npos);
}

}  // namespace
}  // namespace ungarble
