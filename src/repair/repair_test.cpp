// repair_test.cpp — repair against the shipped models: clean text stays untouched, each common
// chain is undone exactly, lossy chains restore what was lost, and every recipe replays.
// All sentences here were written for these tests.
#include <gtest/gtest.h>

#include <random>

#include "codec/utf8_simd.h"
#include "repair/layers.h"
#include "ungarble/model.h"
#include "ungarble/repair.h"

using namespace ungarble;

namespace {

const ModelSet& models() {
  static ModelSet* m = [] {
    auto* s = new ModelSet;
    s->load_dir(ModelSet::default_dir());
    return s;
  }();
  return *m;
}

// Applies a forward chain (how text gets broken) to clean text.
std::string garble(std::string_view text, std::initializer_list<std::pair<EncodingId, EncodingId>> layers) {
  std::string t(text);
  for (auto [a, b] : layers) {
    EncodeResult e = encode(t, a);
    EXPECT_TRUE(e.ok) << "test text not encodable in " << encoding(a).name;
    t = decode(e.bytes, b, {DecodeErrorMode::replace}, BomPolicy::keep).text;
  }
  return t;
}

// Text encoded with `original`, then read by a strict cp1252 decoder (Python's, Java's: 81 8D 8F
// 90 9D unmapped) that drops those bytes or writes '?' or U+FFFD for them, as `mode` says.
std::string through_strict_cp1252(std::string_view text, EncodingId original, DecodeErrorMode mode) {
  EncodeResult e = encode(text, original);
  EXPECT_TRUE(e.ok) << "test text not encodable in " << encoding(original).name;
  return decode(e.bytes, EncodingId::x_cp1252_strict, {mode}, BomPolicy::keep).text;
}

// The repair gives `original` back from `bad`, and says that it restored lost bytes.
void expect_lossy_repair(const std::string& bad, const std::string& original) {
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, original) << bad;
  ASSERT_FALSE(r.spans.empty()) << bad;
  EXPECT_TRUE(r.spans[0].lossy) << bad;
}

std::string strip(std::string s, std::string_view what) {
  for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at)) s.erase(at, what.size());
  return s;
}

// A random text of min_len + (0..spread-1) pieces drawn from pool: the first four pieces
// (ASCII) take ascii_pct of the draws, the next two (Western letters) western_pct, and the
// rest any piece of the pool, the way real input is mostly plain with a rare other character.
template <std::size_t N>
std::string random_text(std::mt19937& rng, const char* const (&pool)[N], int min_len, int spread,
                        unsigned ascii_pct, unsigned western_pct) {
  std::string text;
  const int len = min_len + static_cast<int>(rng() % spread);
  for (int k = 0; k < len; ++k) {
    const unsigned r = rng() % 100;
    text += r < ascii_pct                 ? pool[rng() % 4]
            : r < ascii_pct + western_pct ? pool[4 + rng() % 2]
                                          : pool[rng() % N];
  }
  return text;
}

// Runs `body` once for each path of the memory-speed screen: 32 bytes at a time (AVX2, where
// the CPU has it) and 16 (the UTF-8 validator's kernel choice decides which).
template <class Body>
void for_each_screen_path(Body body) {
  using codec::utf8_simd::Isa;
  struct Restore {
    ~Restore() { codec::utf8_simd::reset_isa(); }
  } restore;  // also when an assertion returns early
  for (Isa isa : {codec::utf8_simd::detected_isa(), Isa::sse42}) {
    codec::utf8_simd::force_isa(isa);
    body();
  }
}

const char* kClean[] = {
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Ein Bäcker in München verkauft frische Brötchen schon um fünf Uhr früh.",
    "L'été dernier, nous avons visité un château près de la rivière à Orléans.",
    "El niño comió piñones mientras su abuela cantaba una canción española.",
    "Ve Türkçe'de ılık bir rüzgâr, ığdır ovasında sabah erkenden eser.",
    "Tiếng Việt có nhiều dấu thanh: mạnh mẽ, nhẹ nhàng, và rất đẹp.",
    "Příliš žluťoučký kůň úpěl ďábelské ódy na louce za vesnicí.",
    "Съешь же ещё этих мягких французских булок да выпей чаю.",
    "我们明天早上八点在火车站见面，然后一起去博物馆参观。",
    "今日は天気がいいので、公園で友達とお弁当を食べました。",
    "사람들은 주말마다 공원에서 산책을 하며 이야기를 나눕니다.",
    "Price: 12,50 € – total ≈ 3 × 4 ½ kg; α + β = γ ± 0,1 °C.",
    "使用 Python 3 和 C++ 编写的 API 服务，部署在 Linux 服务器上。",
    "(╯°□°）╯︵ ┻━┻  ¯\\_(ツ)_/¯  ʕ•ᴥ•ʔ",
    "Ωραία μέρα για περίπατο στην παραλία με τους φίλους μας.",
};

}  // namespace

TEST(Repair, ModelsAreShipped) { ASSERT_GT(models().size(), 10u) << ModelSet::default_dir(); }

TEST(Repair, CleanTextIsLeftAlone) {
  for (const char* s : kClean) {
    RepairResult r = repair(s, models());
    EXPECT_FALSE(r.changed) << s << " → " << r.text;
    EXPECT_EQ(r.text, s);
  }
}

TEST(Repair, AsciiFastPath) {
  RepairResult r = repair("plain ascii, nothing to see", models());
  EXPECT_FALSE(r.changed);
  EXPECT_TRUE(r.spans.empty());
}

TEST(Repair, Utf8ReadAsWindows1252) {
  for (const char* s : {kClean[1], kClean[2], kClean[7], kClean[8]}) {
    std::string bad = garble(s, {{EncodingId::utf_8, EncodingId::windows_1252}});
    RepairResult r = repair(bad, models());
    EXPECT_EQ(r.text, s) << bad;
    ASSERT_EQ(r.spans.size(), 1u);
    EXPECT_GT(r.spans[0].confidence, 0.99);
  }
}

TEST(Repair, DoubleAndTripleLayers) {
  std::string s = kClean[1];
  std::string two = garble(s, {{EncodingId::utf_8, EncodingId::windows_1252},
                               {EncodingId::utf_8, EncodingId::windows_1252}});
  EXPECT_EQ(repair(two, models()).text, s) << two;
  std::string three = garble(s, {{EncodingId::utf_8, EncodingId::windows_1252},
                                 {EncodingId::utf_8, EncodingId::windows_1252},
                                 {EncodingId::utf_8, EncodingId::windows_1252}});
  EXPECT_EQ(repair(three, models()).text, s) << three;
}

TEST(Repair, CyrillicPages) {
  std::string s = kClean[7];
  EXPECT_EQ(repair(garble(s, {{EncodingId::windows_1251, EncodingId::koi8_r}}), models()).text, s);
  EXPECT_EQ(repair(garble(s, {{EncodingId::utf_8, EncodingId::windows_1251}}), models()).text, s);
}

TEST(Repair, GbkReadAsWindows1252) {
  std::string s = kClean[8];
  std::string bad = garble(s, {{EncodingId::gbk, EncodingId::windows_1252}});
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, s) << bad;
}

TEST(Repair, Utf8ReadAsHebrewGreekAndIsoPages) {
  // Written for this test: Hebrew, Greek, Russian, Vietnamese sentences.
  const std::pair<const char*, EncodingId> cases[] = {
      {"הילדים שיחקו בגינה הציבורית עד שהשמש שקעה מאחורי הבניינים.", EncodingId::windows_1255},
      // Through true ISO-8859-1 Hebrew becomes "×" and C1 controls: no letter at all.
      {"הילדים שיחקו בגינה הציבורית עד שהשמש שקעה מאחורי הבניינים.", EncodingId::iso_8859_1},
      {kClean[14], EncodingId::iso_8859_7},
      {kClean[7], EncodingId::iso_8859_5},
      {kClean[5], EncodingId::windows_1258},
      {kClean[1], EncodingId::macintosh},
  };
  for (auto [s, page] : cases) {
    std::string bad = garble(s, {{EncodingId::utf_8, page}});
    ASSERT_NE(bad, s);
    EXPECT_EQ(repair(bad, models()).text, s) << encoding(page).name << ": " << bad;
  }
}

TEST(Repair, AWordMixingLatinWithGreekOrCyrillicIsEvidence) {
  // One Turkish word in an English line through cp1253: "Ö" is C3 96, Greek "Γ" and a dash.
  // The models alone barely prefer "Ö"; that the peel leaves no word mixing Latin and Greek
  // letters is evidence of its own ("SMTP-сервера" mixes them too, but no peel explains it).
  const std::string line = "Önceki 11.8. Real-Time Communication Services";
  const std::string bad = garble(line, {{EncodingId::utf_8, EncodingId::windows_1253}});
  ASSERT_EQ(bad, "Γ–nceki 11.8. Real-Time Communication Services");
  EXPECT_EQ(repair_detail::suspicion(bad).mixed_words, 1u);
  EXPECT_EQ(repair_detail::suspicion(line).mixed_words, 0u);
  EXPECT_EQ(repair(bad, models()).text, line);
  EXPECT_EQ(repair_detail::suspicion("SMTP-сервера и doloГ„ВЌbe").mixed_words, 2u);
  EXPECT_FALSE(repair("Настройка SMTP-сервера и DNS-записей для почты.", models()).changed);
}

TEST(Repair, ALoneCjkCharacterInALatinLineIsRepaired) {
  // One CJK character of a legacy page in an English line, read as cp1252 or latin-1: two
  // Latin-1 characters alone between ASCII, one a sign. The models barely prefer the CJK
  // character (it is an island in the line); the pattern itself is the evidence.
  const std::pair<std::string, std::pair<EncodingId, EncodingId>> cases[] = {
      {"USB や PCI/PCI-Express/ExpressCard", {EncodingId::euc_jp, EncodingId::windows_1252}},
      {"UTF-8 debian/changelog 및 debian/control.", {EncodingId::euc_kr, EncodingId::iso_8859_1}},
      // A quotation mark (A1 B0 in EUC-KR and GBK): neutral to every page's story, and the
      // models prefer it to EUC-JP's ＾ from the same bytes.
      {"UEFI( “ Unified Extensible Firmware", {EncodingId::euc_kr, EncodingId::iso_8859_1}},
  };
  for (const auto& [line, chain] : cases) {
    const std::string bad = garble(line, {chain});
    EXPECT_EQ(repair_detail::suspicion(bad).lone_pairs, 1u) << bad;
    EXPECT_EQ(repair(bad, models()).text, line) << bad;
  }
  // Not a lone pair: « » beside a sign (Spanish "«¿Qué?»"), a UTF-8 pair ("Ã©" is é), a pair
  // touching a third Latin-1 character, two letters.
  for (const char* clean : {"Dijo «¿Qué hora es?» y se fue.", "shown as Ã© here", "x ¤äö y", "São çã x"})
    EXPECT_EQ(repair_detail::suspicion(clean).lone_pairs, 0u) << clean;
  EXPECT_FALSE(repair("Dijo «¿Qué hora es?» y se fue; «¡Vamos!» gritó.", models()).changed);
}

TEST(Repair, APageThatReadsTheProbeLikeCp1252IsTriedOnTheWhole) {
  // Greek through cp1258 reads exactly as through cp1252 until Κ, Ξ, ϊ or ώ bring 9A 9E 8A 8E,
  // which cp1258 leaves C1 controls: the probe chooses cp1252 (cheaper), the rest of the text
  // cannot be peeled through it, and cp1258, which read the probe the same, explains it all.
  std::string s;
  for (int k = 0; k < 60; ++k) s += std::string(kClean[14]) + "\n";
  s += "Καθώς μειώστε τον χώρο, η Ξάνθη μένει ίδια.\n";
  const std::string bad = garble(s, {{EncodingId::utf_8, EncodingId::windows_1258}});
  ASSERT_NE(bad.find("\xC2\x8E"), std::string::npos);  // U+008E, where cp1252 has Ž
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, s);
  ASSERT_EQ(r.spans.size(), 1u);
  ASSERT_EQ(r.spans[0].forward.size(), 2u);
  EXPECT_EQ(r.spans[0].forward[1].encoding, EncodingId::windows_1258);
}

TEST(Repair, Utf8ReadAsShiftJis) {
  // Latin UTF-8 through a Japanese decoder: half-width katakana where the accents were.
  std::string s = kClean[1];
  std::string bad = garble(s, {{EncodingId::utf_8, EncodingId::shift_jis}});
  ASSERT_EQ(bad.find("\xEF\xBF\xBD"), std::string::npos) << "lossless case wanted";
  ASSERT_NE(bad, s);
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
}

TEST(Repair, Utf8ReadAsGbkWithTheEuroOfA2E3) {
  // GBK reads both 80 and A2 E3 as €, and writes 80. Japanese UTF-8 makes A2 E3 wherever ア
  // (E3 82 A2) meets the next kana: "アッ" reads as "銈€儍", and only A2 E3 gives UTF-8 back.
  const std::string s = "利用できる更新を確認してアップグレードを実行する";
  const std::string bad = garble(s, {{EncodingId::utf_8, EncodingId::gbk}});
  ASSERT_NE(bad.find("€"), std::string::npos) << bad;
  ASSERT_EQ(bad.find("\xEF\xBF\xBD"), std::string::npos) << "lossless case wanted";
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
}

TEST(Repair, LatinUtf8ThroughACjkPage) {
  // Each accented letter becomes one CJK character inside a Latin word ("fr疇n", "n채tverket"),
  // common characters one by one: what gives them away is where they stand.
  const std::pair<const char*, EncodingId> cases[] = {
      {"Om nätverket är tillgängligt kommer systemets interna klocka att uppdateras (som en "
       "engångshändelse) från en NTP server.",
       EncodingId::euc_kr},
      {"Örnek 8.3. DHCP configuration for a", EncodingId::euc_kr},
      {"Örnek 11.16. file requiring authentication\nSECURITY No security\n11.2.4.2. Restricting Access\n"
       "ALTERNATIVE Old syntax\nThe and directives can be followed by an IP address, a network (such as , or even ),",
       EncodingId::euc_kr},
      {"D.3. Installera Debian GNU/Linux från", EncodingId::big5},
  };
  for (auto [good, page] : cases) {
    const std::string bad = garble(good, {{EncodingId::utf_8, page}});
    ASSERT_EQ(bad.find("\xEF\xBF\xBD"), std::string::npos) << "lossless case wanted";
    EXPECT_EQ(repair(bad, models()).text, good) << bad;
  }
  // Clean CJK text with Latin words in it stays.
  for (const char* s : {"在Linux下用Python写脚本，比在Windows下方便得多。", "Debian은 자유 운영체제이고, GNU와 Linux를 씁니다.",
                        "Linuxでは、aptとdpkgでパッケージを管理します。"})
    EXPECT_FALSE(repair(s, models()).changed) << s;
}

TEST(Repair, TheRestOfALongTextTellsLatin1FromCp1252) {
  // The probe (the first 4 KB) of GBK read as latin-1 reads the same through cp1252, where it
  // holds no byte 80–9F; "啰" (86 AA) further on is latin-1's C1 control U+0086, which cp1252
  // has no character for: the chain that explains the whole text is latin-1's.
  std::string good;
  while (good.size() < 6000) good += "这些工具各有其限制，共同解决特定的作业。\n";
  good += "颇为详尽且啰唆，记录软件包的变化。\n";
  const std::string bad = garble(good, {{EncodingId::gbk, EncodingId::iso_8859_1}});
  ASSERT_NE(bad.find("\xC2\x86"), std::string::npos) << "the case this test is about";
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, good);
  ASSERT_EQ(r.spans.size(), 1u);
  ASSERT_EQ(r.spans[0].forward.size(), 2u);
  EXPECT_EQ(r.spans[0].forward[1].encoding, EncodingId::iso_8859_1);
}

TEST(Repair, CjkPagesReadAsEachOther) {
  // Traditional Chinese in Big5 read as GBK (GBK's kana, Greek and Cyrillic rows show up).
  std::string s = "我們明天早上八點在火車站見面，然後一起去博物館參觀。";
  std::string bad = garble(s, {{EncodingId::big5, EncodingId::gbk}});
  ASSERT_EQ(bad.find("\xEF\xBF\xBD"), std::string::npos) << "lossless case wanted";
  ASSERT_NE(bad, s);
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
}

TEST(Repair, EucJpReadAsShiftJis) {
  // EUC-JP bytes F0–F9 xx are Shift_JIS user-defined rows: the decoder yields private-use
  // characters the standard encoder refuses, so the peel needs the decoder's own inverse.
  std::string s = "私たちはユーザーとフリーソフトウェアーを大切にします";
  std::string bad = garble(s, {{EncodingId::euc_jp, EncodingId::shift_jis}});
  ASSERT_EQ(bad.find("\xEF\xBF\xBD"), std::string::npos) << "lossless case wanted";
  EXPECT_FALSE(encode(bad, EncodingId::shift_jis).ok) << "the case this test is about";
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
  // The decoder reads some characters from two rows (NEC's ED/EE and IBM's FA–FC): "鈐" came
  // from FB C2 in one text ("既存" in EUC-JP) and "愠" from ED A5 in another ("ロ" + "プ");
  // which row it was, only the reading in the original page tells.
  for (const char* t : {"既存の名前付きパイプにメッセージを送信します (たとえば などのように指定します)。",
                        "ブートプロンプトで パラメータを設定し、 すべて の質問に対して同じ効果を及ぼす"}) {
    bad = garble(t, {{EncodingId::euc_jp, EncodingId::shift_jis}});
    EXPECT_FALSE(encode(bad, EncodingId::shift_jis).ok) << "the case this test is about";
    EXPECT_EQ(repair(bad, models()).text, t) << bad;
  }
  // Half-width katakana punctuation (｡｢｣､･) is Shift_JIS's too: "､ﾏ｡｢" is one kana and three
  // of it, the whole of what Shift_JIS made of "は、".
  const std::string tftp = "Trivial File Transfer Protocol (TFTP) は、";
  EXPECT_EQ(repair(garble(tftp, {{EncodingId::euc_jp, EncodingId::shift_jis}}), models()).text, tftp);
}

TEST(Repair, ShiftJisKatakanaReadAsCp1252) {
  // Katakana in Shift_JIS are 83 xx: cp1252 shows "ƒ" before ASCII letters, no Latin-1 runs.
  std::string s = "2.5.8. Debian パッケージファイル名";
  std::string bad = garble(s, {{EncodingId::shift_jis, EncodingId::windows_1252}});
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
  RepairOptions lines;
  lines.per_line = true;
  EXPECT_EQ(repair(bad, models(), lines).text, s) << bad;
}

TEST(Repair, KoiReadAsCp866IsAllBoxDrawing) {
  // Lower-case KOI8-R letters are cp866's box drawing: no letter is left in the line.
  std::string s = "Эта операция просканирует все тома,";
  std::string bad = garble(s, {{EncodingId::koi8_r, EncodingId::ibm866}});
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
}

TEST(Repair, BoxDrawnFramesAndTablesAreLeftAlone) {
  // Frames drawn with one kind of line hold no letterlike piece, and "═╗" (CD BB) is a UTF-8
  // pair in cp437: neither may become Cyrillic.
  for (const char* art : {"└─┘ └─┘ ├─┤ │ │", "┌──┬──┐ │ab│cd│ └──┴──┘", "╔═╗ ╚═╝ ╠═╣ Menu",
                          "│ Имя │ Значение │ ├─────┼──────────┤"})
    EXPECT_FALSE(repair(art, models()).changed) << art;
  // Tables of mixed single and double lines and bars of blocks have letterlike pieces, but
  // repeat them ("══════", "██▀▀▄▄██"): drawing, also as one text of several lines.
  const std::string table =
      "╒══════╤══════╤══════╕\n╞══════╪══════╪══════╡\n│ name │ size │ date │\n╘══════╧══════╧══════╛\n"
      "Progress: ▐████████▌ 80% ▐██▀▀▄▄██▌\n";
  EXPECT_FALSE(repair(table, models()).changed) << repair(table, models()).text;
  // Nor is a drawing read through a page that has box pieces (KOI8, DOS) as some CJK page.
  const std::string bar = "╘══════╧══════╧══════╛\nProgress: ▐████████▌ 80% ▐██▀▀▄▄██▌\n";
  EXPECT_FALSE(repair(bar, models()).changed) << repair(bar, models()).text;
  // While Russian through KOI8-R and cp866, punctuation and all, still comes back — one long
  // word of pieces is evidence enough.
  for (std::string s : {"Сервер (DHCP) раздаёт адреса всем клиентам сети, быстро и надёжно.",
                        "DHCP (расшифровывается как Dynamic Host"})
    EXPECT_EQ(repair(garble(s, {{EncodingId::koi8_r, EncodingId::ibm866}}), models()).text, s);
}

TEST(Repair, MixedScriptLinesAndSymbolsAreLeftAlone) {
  // Once repaired into junk: a Cyrillic title with a Latin name (the Latin part made the junk
  // look cheap under a Latin model), box drawing, and a kaomoji a CJK page swap "read".
  for (const char* s : {"Глава 12. Поддержка Debian GNU/Linux", "5.5. Чего не хватает в Debian GNU/Linux?",
                        "postfix: настройка SMTP-сервера (e-mail);",
                        // Text about mojibake, quoting it: some quoted words stay as they are, so
                        // none may be "repaired".
                        "des séquences du type « \u00C3\u00A9 », « \u00C3\u00A8 » ou « \u00C3\u00A7 », il s'agit",
                        "╔══════╗", "╚══════╝", "┬─┬ノ( º _ ºノ)"}) {
    RepairResult r = repair(s, models());
    EXPECT_FALSE(r.changed) << s << " → " << r.text;
    RepairOptions lines;
    lines.per_line = true;
    EXPECT_FALSE(repair(s, models(), lines).changed) << s;
  }
}

TEST(Repair, AFewLettersOfAnotherScriptAreNotASecondText) {
  // UTF-8 read as ISO-8859-5 leaves two Cyrillic letters in an Italian line: scored as a word
  // of their own by the Cyrillic models they looked cheap, and the line stayed broken.
  for (const char* good : {"Il pacchetto è molto utile per verificare", "Allir menn skulu, hvar í heimi sem er,"}) {
    const std::string bad = garble(good, {{EncodingId::utf_8, EncodingId::iso_8859_5}});
    EXPECT_EQ(repair(bad, models()).text, good) << bad;
  }
  // Each island pays for leaving the text's script, and readings that differ inside it are
  // still judged by its own models: "は" (EUC-JP read as Shift_JIS: "､ﾏ") beats a swapped
  // page's "ㅟ", and "è" beats the "猫" that UTF-8 read as GBK leaves.
  const std::pair<const char*, std::pair<EncodingId, EncodingId>> more[] = {
      {"KVM は Kernel-based Virtual Machine", {EncodingId::euc_jp, EncodingId::shift_jis}},
      {"Software in the Public Interest (SPI) は", {EncodingId::euc_jp, EncodingId::shift_jis}},
      {"La reale operazione di migrazione è", {EncodingId::utf_8, EncodingId::gbk}},
  };
  for (auto [good, layer] : more) {
    const std::string bad = garble(good, {layer});
    EXPECT_EQ(repair(bad, models()).text, good) << bad;
  }
  // A quoted word of another script is still clean text.
  for (const char* s : {"In Russian, the word for \"yes\" is да and for \"no\" is нет.",
                        "Il pacchetto Ж è un esempio di nome cirillico in una riga italiana.",
                        "KVM は Kernel-based Virtual Machine の略です。"})
    EXPECT_FALSE(repair(s, models()).changed) << s;
}

TEST(Repair, OneGarbledWordInACleanLine) {
  // One name or one symbol double-encoded, alone on a short line: the models see a small gain,
  // the UTF-8 pattern ("Ã«", "Â©") carries the rest of the evidence.
  const std::pair<const char*, const char*> cases[] = {
      {"Rapha\u00C3\u00ABl Hertzog", "Raphaël Hertzog"},
      {"Copyright \u00C2\u00A9 2006, 2007, 2008 Roland Mas", "Copyright © 2006, 2007, 2008 Roland Mas"},
      // One pair in a long line, of a sign the English model barely knows: the peel explains
      // every mark of the line, which counts for it.
      {"RAID-1+0 can survive multiple disk failures: up to N in the 2\u00C3\u2014N array described above, "
       "provided that at least one disk keeps working in each of the RAID-1 pairs.",
       "RAID-1+0 can survive multiple disk failures: up to N in the 2×N array described above, "
       "provided that at least one disk keeps working in each of the RAID-1 pairs."},
  };
  RepairOptions lines;
  lines.per_line = true;
  for (auto [bad, good] : cases) {
    EXPECT_EQ(repair(bad, models(), lines).text, good) << bad;
    EXPECT_EQ(repair(bad, models()).text, good) << bad;
  }
}

TEST(Repair, Utf8ReadAsGbkKeepsTheUnrecoverableMarked) {
  // UTF-8 through a replacing GBK decoder: bytes are gone where U+FFFD stands. Everything
  // around the holes comes back; each hole stays one U+FFFD and the span says it is undecided.
  std::string s = "普通文件\n字元\n符號鏈接\n我们明天早上八点在火车站见面，然后一起去博物馆参观。";
  std::string bad = garble(s, {{EncodingId::utf_8, EncodingId::gbk}});
  ASSERT_NE(bad.find("\xEF\xBF\xBD"), std::string::npos) << "a lossy case wanted";
  RepairResult r = repair(bad, models());
  ASSERT_TRUE(r.changed);
  EXPECT_NE(r.text.find("字元\n符號鏈接"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("普通文"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("\xEF\xBF\xBD"), std::string::npos) << "holes must stay marked: " << r.text;
  std::size_t undecided = 0;
  for (const auto& sp : r.spans) undecided += sp.undecided;
  EXPECT_GT(undecided, 0u);
}

TEST(Repair, ReplacementCharactersFromACjkDecoderAreNotFilledIn) {
  // Shift_JIS read as EUC-JP: mostly U+FFFD; no reading may be invented for them.
  std::string s = "パッケージの状態を閲覧し、この設定を保存します。";
  std::string bad = garble(s, {{EncodingId::shift_jis, EncodingId::euc_jp}});
  RepairResult r = repair(bad, models());
  for (const auto& sp : r.spans) EXPECT_FALSE(sp.confidence >= 0.5 && sp.undecided == 0) << r.text;
}

TEST(Repair, BytesAStrictCp1252DecoderDroppedAreRestored) {
  // Python's and Java's cp1252 have no character for 81 8D 8F 90 9D; with errors ignored the
  // bytes vanish (Russian "с" is D1 81, "Á" is C3 81).
  std::string s = kClean[7];
  EncodeResult e = encode(s, EncodingId::utf_8);
  std::string bad = decode(e.bytes, EncodingId::x_cp1252_strict, {DecodeErrorMode::ignore}, BomPolicy::keep).text;
  ASSERT_LT(bad.size(), 2 * e.bytes.size());
  expect_lossy_repair(bad, s);
}

TEST(Repair, AGbkLeadADecoderDroppedIsNotReadAsBig5) {
  // 來 is 81 ED in GBK: without its 81 the GBK reading is nonsense up to the next ASCII
  // character, and Big5 reads the same bytes without an error — the lattice of each competes.
  const std::string s = "我们采取两项措施來保护您的权利：以著作权保护软件，以及提供您本授权，赋与您复制、";
  const std::string bad = through_strict_cp1252(s, EncodingId::gbk, DecodeErrorMode::ignore);
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, s) << bad;
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_EQ(r.spans[0].forward.front().encoding, EncodingId::gb18030);  // GBK's superset
}

TEST(Repair, JapaneseWhoseMiddleBytesBecameQuestionMarksIsRestored) {
  // A strict cp1252 decoder writing '?' for 81 8D 8F 90 9D: most hiragana (E3 81 xx) lose their
  // middle byte, "します" reads "ã?—ã?¾ã?™", and the leads look like orphans of Latin-1 text
  // unless the '?' is read as the continuation it stands for.
  const std::string s = "記録します。 dpkg が発動した操作を全て記録したい場合は";
  const std::string bad = through_strict_cp1252(s, EncodingId::utf_8, DecodeErrorMode::question);
  ASSERT_NE(bad.find("ã?—"), std::string::npos) << bad;
  expect_lossy_repair(bad, s);
}

TEST(Repair, ADroppedByteIsNotTakenForASoftHyphen) {
  // č is C4 8D: a strict cp1252 decoder that drops what it cannot read leaves "Ä". The soft-
  // hyphen story puts back AD ("ĭ"), the dropped-byte story 8D: both are tried, the models
  // choose.
  const std::string s = "Začetno šolanje je obvezno. Tehnično in poklicno izobraževanje mora biti splošno dostopno.";
  const std::string bad = through_strict_cp1252(s, EncodingId::utf_8, DecodeErrorMode::ignore);
  ASSERT_NE(bad.find("ZaÄ"), std::string::npos) << bad;
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
}

TEST(Repair, ALeadWhoseContinuationWentMissingIsAMark) {
  // í is C3 AD: a cleaner strips the soft hyphen and leaves "Ã" inside a lowercase word; č is
  // C4 8D, which a strict decoder writes as '?': "Ä?". Neither is a UTF-8 pair or a run.
  const std::string lost_shy = strip(garble("Un comentario consiste en una línea que", {{EncodingId::utf_8, EncodingId::windows_1252}}), "\u00AD");
  ASSERT_EQ(lost_shy, "Un comentario consiste en una lÃnea que");
  EXPECT_EQ(repair_detail::suspicion(lost_shy).orphan_leads, 1u);
  EXPECT_TRUE(repair_detail::might_be_suspicious(std::string(40, ' ') + lost_shy + std::string(40, ' ')));
  EXPECT_EQ(repair(lost_shy, models()).text, "Un comentario consiste en una línea que");
  const std::string s = "Vsakdo ima pravico do počitka in prostega časa";
  const std::string question = through_strict_cp1252(s, EncodingId::utf_8, DecodeErrorMode::question);
  EXPECT_EQ(repair_detail::suspicion(question).orphan_leads, 2u) << question;
  EXPECT_EQ(repair(question, models()).text, s) << question;
  // Capitals of clean text: at a word's start, in an uppercase word, before "?" and a space.
  for (const char* clean : {"NÃO SÃO PAULO e Über alles", "¿QUÉ? dijo Élodie", "ÀÉÎÕÜ are capitals"})
    EXPECT_EQ(repair_detail::suspicion(clean).orphan_leads, 0u) << clean;
}

TEST(Repair, ACharacterThatLostTwoBytesIsRestored) {
  // "そ" is E3 81 9D and "き" E3 81 8D: a strict cp1252 decoder that drops what it cannot read
  // leaves only the lead of each, and both continuations come back at one place.
  // In the second text every hiragana lost its middle byte (81): more leads without their
  // continuations than whole sequences, which is still UTF-8's mark ("ã®" for "の"), not Latin-1.
  for (const std::string good :
       {"リムーバブルストレージデバイスを使ってデーターを共有する際には、両方のシステムにサポートされた"
        "共通の ファイルシステム でそれをフォーマットするべきです。",
        "そのパッケージの名前を新しい名前に変更する方法を説明します。"}) {
    const std::string bad = decode(encode(good, EncodingId::utf_8).bytes, EncodingId::x_cp1252_strict,
                                   {DecodeErrorMode::ignore}, BomPolicy::keep).text;
    RepairResult r = repair(bad, models());
    EXPECT_EQ(r.text, good) << bad;
    ASSERT_FALSE(r.spans.empty());
    EXPECT_TRUE(r.spans[0].lossy);
  }
}

TEST(Repair, ATraditionalCharacterInSimplifiedTextIsRestoredByTheSibling) {
  // 徹 is 8F D8 in GBK: a strict cp1252 has no character for 8F. The zh-Hans model has never
  // seen 徹 and cannot choose among the characters 8F, 81, 8D, 90 or 9D would make; zh-Hant
  // knows "徹底".
  const std::string good = "本条的用意在于将本授权其他不确定的部分徹底解释清楚。若因为专利或享有著作权的接口";
  const std::string bad = decode(encode(good, EncodingId::gbk).bytes, EncodingId::x_cp1252_strict,
                                 {DecodeErrorMode::replace}, BomPolicy::keep).text;
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, good) << bad;
  ASSERT_FALSE(r.spans.empty());
  ASSERT_FALSE(r.spans[0].restored.empty());
  EXPECT_EQ(r.spans[0].restored[0].chosen, "徹");
}

TEST(Repair, AQuestionMarkForALeadBeforeAnAsciiTrailIsRestored) {
  // 滿 is 9D 4D in GBK: a strict cp1252 writes '?' for 9D and the trail stays an ASCII "M";
  // the exact chain reads "同时?M足" and zh-Hans has never seen 滿. The zh-Hant sibling has.
  const std::string good = "这些条件同时滿足该程序的使用者就可以自由地复制和发布本程序的副本。";
  const std::string bad = decode(encode(good, EncodingId::gbk).bytes, EncodingId::x_cp1252_strict,
                                 {DecodeErrorMode::question}, BomPolicy::keep).text;
  ASSERT_NE(bad.find("?M"), std::string::npos) << bad;
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, good) << bad;
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_TRUE(r.spans[0].lossy);
  std::string back, why;
  ASSERT_TRUE(replay(r, &back, &why)) << why;
  EXPECT_EQ(back, bad);
  // A '?' the Chinese text really held before an ASCII letter stays a '?'.
  const std::string asked = "这是什么?Debian 的软件包管理系统是什么样的？我们来看一下。";
  EXPECT_EQ(repair(garble(asked, {{EncodingId::gbk, EncodingId::windows_1252}}), models()).text, asked);
}

TEST(Repair, ARestoredCapitalInsideAWordCostsItsCase) {
  // "zločinima": č is C4 8D, and a strict cp1252 decoder left U+FFFD for the 8D. Đ (C4 90) is
  // another candidate, and to case-folded models "zlođinima" read better; a capital right after
  // a small letter pays for its case in the beam.
  const std::string good =
      "Na to se pravno ne može pozivati u slučaju progona koji su zaista izazvani nepolitičkim "
      "zločinima ili djelima protivnim ciljevima Ujedinjenih nacija.";
  const std::string bad = decode(encode(good, EncodingId::utf_8).bytes, EncodingId::x_cp1252_strict,
                                 {DecodeErrorMode::replace}, BomPolicy::keep).text;
  ASSERT_NE(bad.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_EQ(repair(bad, models()).text, good) << bad;
}

TEST(Repair, ALostByteIsRestoredRatherThanLeftInvalid) {
  // "…" is A1 AD in GBK; with the soft hyphen stripped, "¡" stands alone before ")". After
  // " , " the models find "…" costly, but a sequence left invalid costs more (40 bits: what an
  // unknown character costs the models), so the lost byte comes back.
  const std::string good = "比如： , , , …) 能够透明处理";
  const std::string bad = strip(garble(good, {{EncodingId::gbk, EncodingId::windows_1252}}), "\u00AD");
  ASSERT_EQ(bad.find("\u00AD"), std::string::npos);
  EXPECT_EQ(repair(bad, models()).text, good) << bad;
}

TEST(Repair, LostSoftHyphensAreRestored) {
  // 江 is BD AD in GBK: read as windows-1252 the AD becomes a soft hyphen, which cleaners drop.
  std::string s = "我们沿着江边走了很久，江水很清，江上有很多小船。";
  std::string bad = strip(garble(s, {{EncodingId::gbk, EncodingId::windows_1252}}), "\u00AD");
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, s) << bad;
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_TRUE(r.spans[0].lossy);
  EXPECT_EQ(r.spans[0].restored.size(), 3u);
  // Each restoration is judged against the other characters the channel could have made
  // there: 江 in "江边", "江水", "江上" is sure, and the alternatives share what is left.
  for (const Restored& x : r.spans[0].restored) {
    EXPECT_EQ(x.chosen, "江");
    EXPECT_GT(x.confidence, 0.9);
    double rest = 0;
    for (const auto& [reading, p] : x.alternatives) {
      EXPECT_NE(reading, x.chosen);
      rest += p;
    }
    EXPECT_LE(x.confidence + rest, 1.0 + 1e-9);
    EXPECT_FALSE(x.alternatives.empty());
  }
  EXPECT_LE(r.spans[0].confidence, r.spans[0].restored[0].confidence);
}

TEST(Repair, RunsOfLatin1AreALegacyPagesMarkWhereTheyAreDense) {
  // Czech puts three accented letters together in a few words ("nejvyšší"): a run among many
  // lone accents. GBK read as cp1252 is runs almost throughout, lone CJK
  // words ("或" → "»ò") being two characters each.
  const std::string czech =
      "Nejvyšší soud rozhodl, že výsledky voleb jsou platné, úřad je přijímá a státní správa vydá nové zákony.";
  const auto cz = repair_detail::suspicion(czech);
  EXPECT_GE(cz.latin_runs, 1u);
  EXPECT_LT(4 * cz.run_chars, repair_detail::latin1_or_foreign(czech));
  const std::string zh = "使用 Git （默认）、 Mercurial 或 Bazaar （新）来保存配置文件和它们的元数据";
  const std::string gbk = garble(zh, {{EncodingId::gbk, EncodingId::windows_1252}});
  const auto g = repair_detail::suspicion(gbk);
  EXPECT_GE(4 * g.run_chars, repair_detail::latin1_or_foreign(gbk));
  // So a Czech text is not read by the lattice, and a GBK line that lost its soft hyphens
  // inside it still is.
  const std::string river = "我们沿着江边走了很久，江水很清，江上有很多小船。";
  const std::string lost = strip(garble(river, {{EncodingId::gbk, EncodingId::windows_1252}}), "\u00AD");
  const std::string text = czech + "\n" + lost + "\n" + czech;
  EXPECT_EQ(repair(text, models()).text, czech + "\n" + river + "\n" + czech);
  EXPECT_FALSE(repair(czech + "\n" + czech, models()).changed);
}

TEST(Repair, AJapanesePhraseInAnEnglishLineIsNotReadByTheEnglishModel) {
  // No soft hyphen left in Shift_JIS read as latin-1 makes the text suspect of a cleaner's
  // loss, and the lattice reads it again: with the model of the Japanese it reads, not the
  // line's English ("モニター" stays, not "Οｃjター" with an AD put back).
  const std::string s = "netfilter の状態を常時モニター ( と類似)\nShoreline";
  const std::string bad = garble(s, {{EncodingId::cp932, EncodingId::iso_8859_1}});
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
}

TEST(Repair, LostSoftHyphensInAMostlyEnglishLineAreRestoredByTheChineseModel) {
  // 协 is D0 AD in GBK: stripped of its AD, its lead pairs with the next byte. The line is
  // mostly English, but the stretches the lattice reads are Chinese, and so is its model.
  const std::string s = "基础知识 NTP\n网络时间协议 (Network Time Protocol,";
  const std::string bad = strip(garble(s, {{EncodingId::gbk, EncodingId::windows_1252}}), "\u00AD");
  ASSERT_EQ(bad.find("\u00AD"), std::string::npos);
  ASSERT_NE(bad, garble(s, {{EncodingId::gbk, EncodingId::windows_1252}}));
  EXPECT_EQ(repair(bad, models()).text, s) << bad;
}

TEST(Repair, GarbledLineInsideCleanText) {
  std::string clean1 = "This line is fine and stays exactly as it is.\n";
  std::string bad = garble("Café au lait, s'il vous plaît, et une crème brûlée.", {{EncodingId::utf_8, EncodingId::windows_1252}});
  std::string clean2 = "\nAnd so is this one, with a naïve café in it.";
  RepairResult r = repair(clean1 + bad + clean2, models());
  EXPECT_EQ(r.text, clean1 + "Café au lait, s'il vous plaît, et une crème brûlée." + clean2);
  EXPECT_EQ(r.spans.size(), 1u);
}

TEST(Repair, CjkPageSwapLineInsideCleanChineseText) {
  // Clean lines pass the cheap common-character check; the swapped line does not, and is the
  // only one the models look at and repair.
  std::string clean1 = "我们明天早上八点在火车站见面，然后一起去博物馆参观。\n";
  std::string clean2 = "\n今天天气很好，我们在公园里散步，看到很多人在放风筝。";
  std::string line = "这个问题已经解决了，请大家放心使用新的版本。";
  std::string bad = garble(line, {{EncodingId::gbk, EncodingId::big5}});
  ASSERT_EQ(bad.find("\xEF\xBF\xBD"), std::string::npos) << "lossless case wanted";
  RepairResult r = repair(clean1 + bad + clean2, models());
  EXPECT_EQ(r.text, clean1 + line + clean2) << bad;
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_EQ(r.spans[0].in_begin, clean1.size());
  // And the clean text alone is left as it is.
  EXPECT_FALSE(repair(clean1 + line + clean2, models()).changed);
  // A short line of a text that reads clean passes a looser table check (short clean lines,
  // headings, have rarer characters); a short swapped line still does not.
  const std::string heading = "\n缺陷跟踪系统：\n";
  EXPECT_FALSE(repair(clean1 + heading + clean2, models()).changed);
  const std::string short_line = "请大家放心使用新版本";
  const std::string short_bad = garble(short_line, {{EncodingId::gbk, EncodingId::big5}});
  EXPECT_EQ(repair(clean1 + "\n" + short_bad + "\n" + clean2, models()).text,
            clean1 + "\n" + short_line + "\n" + clean2)
      << short_bad;
}

TEST(Repair, CleanCyrillicWithUtf8LikePairsIsNotPageSwapped) {
  // "щё", "Мё": UTF-8 lead + continuation in KOI8-R or cp1251; the line reads clean, so no
  // Cyrillic page swap is tried, and the one real mojibake word is still repaired.
  std::string line = "Ещё раз: Мёрдок написал письмо, и " + garble("café", {{EncodingId::utf_8, EncodingId::windows_1252}}) +
                     " открылось вовремя.";
  RepairResult r = repair(line, models());
  EXPECT_EQ(r.text, "Ещё раз: Мёрдок написал письмо, и café открылось вовремя.");
  EXPECT_FALSE(repair("Ещё раз: Мёрдок написал письмо, и всё открылось вовремя.", models()).changed);
}

TEST(Repair, PairsNativeToTheirPageAreNoMarks) {
  // Arabic-script text puts "،" after letters and Persian has ک گ at cp1256's 98 and 90: UTF-8
  // pairs there, but how the script is written. Likewise Czech "ěž" and Vietnamese "đó" in
  // cp852. Such lines are not searched at all.
  for (const char* clean : {"در این کتاب، اگر کسی بخواهد، می‌تواند یک نسخه بگیرد.",
                            "هذه المكتبة، التي تأسست في المدينة؛ مفتوحة للجميع.",
                            "Mimochodem, většina z toho platí také na Oldstable.",
                            "Điều đó đã được đánh giá cao.",
                            // Mac Roman's quotes and dashes are leads, its accented letters
                            // continuations: a word opening after one is text there.
                            "L’été dernier, il a dit «Å pakke» et «ønsker» – Élodie aussi.",
                            // In cp1251 only Р С Т У lead UTF-8 Cyrillic: "Ні", "ЦІ" are text.
                            "ЗАГАЛЬНА ДЕКЛАРАЦІЯ ПРАВ ЛЮДИНІ. Ніхто не може бути засуджений.",
                            // Thai letters fill both ranges of cp874: "อง", "เขต" are text.
                            "ทุกคนมีสิทธิในการศึกษา การศึกษาจะต้องให้เปล่าอย่างน้อยในขั้นประถมศึกษา"}) {
    EXPECT_FALSE(repair_detail::suspicion(clean).utf8_pairs) << clean;
    EXPECT_FALSE(repair(clean, models()).changed) << clean;
  }
  // The same pairs beside Latin letters are Latin text read as cp1256 ("má" → "mأ،", "člen" →
  // "ؤچlen"), and UTF-8 Arabic read as cp1256 keeps its marks ("ط§" is ا).
  for (const char* text : {"Eigi má hjá neinum", "2. člen ustave", "هذه المكتبة مفتوحة للجميع"}) {
    const std::string garbled = garble(text, {{EncodingId::utf_8, EncodingId::windows_1256}});
    EXPECT_TRUE(repair_detail::might_be_suspicious(garbled)) << garbled;
    EXPECT_EQ(repair(garbled, models()).text, text) << garbled;
  }
  // Inside a word the same Mac Roman pairs are UTF-8 read through it ("secțiuni" →
  // "sec»õiuni", "Maddə" → "Madd…ô").
  // UTF-8 Thai read as cp874 keeps "เธ", "เน" before every character.
  {
    const std::string thai = "ทุกคนมีสิทธิในการศึกษา การศึกษาจะต้องให้เปล่าอย่างน้อยในขั้นประถมศึกษา";
    EXPECT_EQ(repair(garble(thai, {{EncodingId::utf_8, EncodingId::windows_874}}), models()).text, thai);
  }
  // …and beside Latin letters the cp1251 ones are UTF-8 read through it ("für" → "fГјr").
  EXPECT_EQ(repair(garble("Das ist für dich und für mich.", {{EncodingId::utf_8, EncodingId::windows_1251}}), models()).text,
            "Das ist für dich und für mich.");
  for (const char* text : {"Scopul acestei secțiuni nu este acela de", "Maddə 12. Hər bir şəxs"}) {
    const std::string garbled = garble(text, {{EncodingId::utf_8, EncodingId::macintosh}});
    EXPECT_TRUE(repair_detail::might_be_suspicious(garbled)) << garbled;
    EXPECT_EQ(repair(garbled, models()).text, text) << garbled;
  }
}

TEST(Repair, StreamCarriesTheChainToTheNextBlock) {
  const std::string a = "Über die Brücke gingen früher viele Händler mit ihren Waren zum Markt.\n";
  const std::string b = "Später wurde sie für den Verkehr gesperrt, weil sie zu schwach war.\n";
  const std::string c = "Переводчик исправил ошибки в тексте и отправил его обратно автору.\n";
  StreamRepair stream(models());
  RepairResult r1 = stream.next(garble(a, {{EncodingId::utf_8, EncodingId::windows_1252}}));
  EXPECT_EQ(r1.text, a);
  // Same chain: taken from the hint, same recipe.
  RepairResult r2 = stream.next(garble(b, {{EncodingId::utf_8, EncodingId::windows_1252}}));
  EXPECT_EQ(r2.text, b);
  ASSERT_EQ(r2.spans.size(), 1u);
  EXPECT_EQ(r2.spans[0].forward.size(), 2u);
  EXPECT_EQ(r2.spans[0].forward[1].encoding, EncodingId::windows_1252);
  // A clean block after it is not touched by the carried chain.
  EXPECT_FALSE(stream.next(b).changed);
  // Another chain: the hint fails and the search finds it.
  EXPECT_EQ(stream.next(garble(c, {{EncodingId::utf_8, EncodingId::windows_1251}})).text, c);
}

TEST(Repair, ScreenNeverMissesWhatSuspicionFinds) {
  // The memory-speed screen may say "maybe" for clean text, never "no" where suspicion() would
  // find a mark: random strings over characters that make and do not make marks, placed at
  // every alignment of its 16-byte blocks.
  const char* pool[] = {"a", " ", "e", "\n", "é", "è", "Ã", "©", "ƒ", "ˆ", "‰", "\xC2\x81", "Ж", "щ",
                        "ё", "λ", "中", "あ", "한", "�", "ｱ", "╥", "─", "«", "\xC2\xA0", "ß", "ł",
                        "ř", "“", "€", "😀", "ǅ", "ﬁ", "\xEF\xA4\x80", "أ", "،", "ؤ", "چ", "د", "ک",
                        "\u200C", "đ", "ó", "ě", "ž", "’", "–", "…", "\xC2\x9D", "█", "Ã", "Ä", "?", "l", "Ö"};
  for_each_screen_path([&] {
    std::mt19937 rng(7);
    int maybes = 0, clean = 0;
    for (int t = 0; t < 20000; ++t) {
      const std::string text = random_text(rng, pool, 1, 40, 60, 30);
      const bool maybe = repair_detail::might_be_suspicious(text);
      const bool found = repair_detail::suspicion(text).any();
      if (found) {
        ASSERT_TRUE(maybe) << text;
      }
      maybes += maybe;
      clean += !found;
    }
    EXPECT_LT(maybes, 20000);  // it does let clean text through
    EXPECT_GT(clean, 1000);
  });
  EXPECT_FALSE(repair_detail::might_be_suspicious(
      std::string(40, 'x') + "Il a créé une œuvre très élégante à Noël, déjà célèbre." + std::string(40, 'y')));
  EXPECT_TRUE(repair_detail::might_be_suspicious(std::string(40, 'x') + "cafÃ©" + std::string(40, 'y')));
}

TEST(Repair, ScreenedSuspicionCountsWhatTheFullScanCounts) {
  // suspicion_screened() decodes only the words around blocks the screen cannot let through;
  // its counts must be suspicion()'s exactly, on texts long enough for the vector path.
  const char* pool[] = {"a", " ", "word", "\n", "é", "è", "Ã©", "Ã", "©", "ƒa", "ˆB", "‰x", "\xC2\x81Z",
                        "Жщ", "ё", "λ", "中文", "あ", "한", "�", "ｱ", "╥┴╙", "─", "«", "\xC2\xA0", "ß",
                        "łř", "“", "€", "😀", "ǅ", "ﬁ", "Ðµ", "\t", "(╨╧)", "mأ،", "ؤچl", "د،", "اگ",
                        "ت\u200C", "đó", "ěž", "’", "–", "…", "\xC2\x90x", "▀█", "lÃn", "Ä?l", "Ã?F", "aÖb", "ÜBER"};
  for_each_screen_path([&] {
    std::mt19937 rng(11);
    for (int t = 0; t < 5000; ++t) {
      const std::string text = random_text(rng, pool, 20, 200, 70, 15);
      ASSERT_EQ(repair_detail::suspicion_screened(text), repair_detail::suspicion(text)) << text;
      // And no mark spans a line end: the lines' counts add up to the text's (repair() counts
      // each line once and sums them).
      repair_detail::Suspicion lines;
      for (std::size_t at = 0; at <= text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        lines.add(repair_detail::suspicion(std::string_view(text).substr(at, end - at)));
        at = end + 1;
      }
      ASSERT_EQ(lines, repair_detail::suspicion(text)) << text;
    }
  });
}

TEST(Repair, TwoChainsInOneTextAreEachUndone) {
  // German read as cp1252 and Russian read as cp1251 in one text: no single chain explains
  // both, so each line gets its own.
  const std::string de =
      "Der Ausdruck „X11“ meint die Protokollspezifikation, die für Konsole und Grafik gilt.\n"
      "Dieser Server ist modular und benutzt eine Reihe unabhängiger Treiber für viele Karten.\n"
      "Einige Hersteller weigern sich, die Spezifikationen zu veröffentlichen, die nötig wären.\n"
      "Sie stellen jedoch eigene Treiber bereit, die es ermöglichen, ihre Geräte zu benutzen.\n"
      "Dieses Verhalten ist schädlich, da solche Treiber gewöhnlich nicht gut gepflegt werden.\n"
      "Falls Sie dennoch eine solche Karte erhalten, finden Sie die benötigten Pakete dort.\n";
  const std::string ru =
      "Проект Debian был создан в 1993 году группой добровольцев со всего мира.\n"
      "Это результат усилий многих людей, которые работают вместе через Интернет.\n"
      "Большинство пользователей работают с одним из дистрибутивов этой системы.\n";
  const std::string bad = garble(de, {{EncodingId::utf_8, EncodingId::windows_1252}}) +
                          garble(ru, {{EncodingId::utf_8, EncodingId::windows_1251}});
  RepairResult r = repair(bad, models());
  EXPECT_EQ(r.text, de + ru) << bad;
}

TEST(Repair, RecipeReplaysLosslessChainsByteForByte) {
  std::mt19937 rng(11);
  std::vector<std::pair<EncodingId, EncodingId>> chains = {
      {EncodingId::utf_8, EncodingId::windows_1252}, {EncodingId::utf_8, EncodingId::iso_8859_1},
      {EncodingId::utf_8, EncodingId::windows_1251}, {EncodingId::gbk, EncodingId::windows_1252},
      {EncodingId::shift_jis, EncodingId::windows_1252}, {EncodingId::euc_kr, EncodingId::windows_1252},
      {EncodingId::windows_1251, EncodingId::koi8_r}};
  std::size_t tried = 0;
  for (int t = 0; t < 60; ++t) {
    const char* s = kClean[rng() % std::size(kClean)];
    auto [a, b] = chains[rng() % chains.size()];
    EncodeResult e = encode(s, a);
    if (!e.ok) continue;
    std::string bad = decode(e.bytes, b, {DecodeErrorMode::replace}, BomPolicy::keep).text;
    if (bad.find("\uFFFD") != std::string::npos) continue;  // lossy: not this test
    ++tried;
    RepairResult r = repair(bad, models());
    std::string back, why;
    ASSERT_TRUE(replay(r, &back, &why)) << why;
    EXPECT_EQ(back, bad) << s;
    // And through JSON.
    RepairResult parsed;
    ASSERT_TRUE(recipe_from_json(recipe_to_json(r), &parsed, &why)) << why;
    std::string back2;
    ASSERT_TRUE(replay(parsed, &back2, &why)) << why;
    EXPECT_EQ(back2, bad);
  }
  EXPECT_GT(tried, 30u);
}

TEST(Repair, RecipeRejectsGarbage) {
  RepairResult r;
  std::string why;
  EXPECT_FALSE(recipe_from_json("not json", &r, &why));
  EXPECT_FALSE(recipe_from_json("{\"text\": 3}", &r, &why));
  EXPECT_FALSE(recipe_from_json(
      R"({"text":"x","steps":[{"input":[0,1],"output":[0,1],"steps":[{"op":"explode"}]}]})", &r, &why));
  EXPECT_NE(why.find("explode"), std::string::npos);
}
