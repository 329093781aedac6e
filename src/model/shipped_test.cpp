// Tests on the shipped models (models/*.ugm): every language is identified on a sentence
// written for this test, and real text beats its mojibake readings — the decision repair makes.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "model/normalize.h"
#include "ungarble/model.h"

using namespace ungarble;

namespace {

const ModelSet& shipped() {
  static ModelSet* set = [] {
    auto* s = new ModelSet;
    std::string err = s->load_dir(ModelSet::default_dir());  // $UNGARBLE_MODELS or models/
    EXPECT_EQ(err, "");
    return s;
  }();
  return *set;
}

// One everyday sentence per language, written for this test (same meaning in each).
const std::map<std::string, std::string>& sentences() {
  static const std::map<std::string, std::string> s = {
      {"zh-Hans", "昨天我在车站附近的小面包店买了新鲜的面包，回家的时候它还是热的。"},
      {"zh-Hant", "昨天我在車站附近的小麵包店買了新鮮的麵包，回家的時候它還是熱的。"},
      {"ja", "昨日、駅の近くの小さなパン屋で焼きたてのパンを買いました。家に帰ったときもまだ温かかったです。"},
      {"ko", "어제 역 근처의 작은 빵집에서 갓 구운 빵을 샀는데, 집에 도착했을 때도 아직 따뜻했어요."},
      {"ru", "Вчера я купил свежий хлеб в маленькой пекарне возле вокзала, и он был ещё тёплым, когда я пришёл домой."},
      {"uk", "Учора я купив свіжий хліб у маленькій пекарні біля вокзалу, і він був ще теплим, коли я прийшов додому."},
      {"bg", "Вчера купих пресен хляб от малката пекарна до гарата и той беше още топъл, когато се прибрах вкъщи."},
      {"sr", "Јуче сам купио свеж хлеб у малој пекари поред станице, и још је био топао када сам стигао кући."},
      {"mk", "Вчера купив свеж леб во малата пекара до станицата, и уште беше топол кога стигнав дома."},
      {"be", "Учора я купіў свежы хлеб у маленькай пякарні каля вакзала, і ён быў яшчэ цёплы, калі я прыйшоў дадому."},
      {"el", "Χθες αγόρασα φρέσκο ψωμί από τον μικρό φούρνο κοντά στον σταθμό, και ήταν ακόμα ζεστό όταν έφτασα σπίτι."},
      {"ar", "اشتريت أمس خبزا طازجا من المخبز الصغير قرب المحطة، وكان لا يزال دافئا عندما وصلت إلى البيت."},
      {"fa", "دیروز از نانوایی کوچک نزدیک ایستگاه نان تازه خریدم و وقتی به خانه رسیدم هنوز گرم بود."},
      {"ur", "کل میں نے اسٹیشن کے قریب چھوٹی بیکری سے تازہ روٹی خریدی، اور جب میں گھر پہنچا تو وہ ابھی تک گرم تھی۔"},
      {"he", "אתמול קניתי לחם טרי במאפייה הקטנה ליד התחנה, והוא עדיין היה חם כשהגעתי הביתה."},
      {"yi", "נעכטן האָב איך געקויפֿט פֿרישע ברויט אין דער קליינער בעקעריי לעבן דער סטאַנציע, און עס איז נאָך געווען וואַרעם ווען איך בין געקומען אַהיים."},
      {"th", "เมื่อวานฉันซื้อขนมปังสดจากร้านเบเกอรี่เล็กๆ ใกล้สถานี และมันยังอุ่นอยู่เมื่อฉันกลับถึงบ้าน"},
      {"vi", "Hôm qua tôi đã mua bánh mì tươi ở tiệm bánh nhỏ gần nhà ga, và nó vẫn còn ấm khi tôi về đến nhà."},
      {"tr", "Dün istasyonun yakınındaki küçük fırından taze ekmek aldım ve eve vardığımda hâlâ sıcaktı."},
      {"az", "Dünən stansiyanın yaxınlığındakı kiçik çörəkxanadan təzə çörək aldım və evə çatanda hələ də isti idi."},
      {"pl", "Wczoraj kupiłem świeży chleb w małej piekarni przy dworcu i kiedy wróciłem do domu, był jeszcze ciepły."},
      {"cs", "Včera jsem koupil čerstvý chléb v malé pekárně u nádraží a když jsem přišel domů, byl ještě teplý."},
      {"sk", "Včera som kúpil čerstvý chlieb v malej pekárni pri stanici a keď som prišiel domov, bol ešte teplý."},
      {"hu", "Tegnap friss kenyeret vettem az állomás melletti kis pékségben, és még meleg volt, amikor hazaértem."},
      {"ro", "Ieri am cumpărat pâine proaspătă de la brutăria mică de lângă gară și era încă caldă când am ajuns acasă."},
      {"hr", "Jučer sam kupio svježi kruh u maloj pekarnici pokraj kolodvora i još je bio topao kad sam stigao kući."},
      {"sl", "Včeraj sem kupil svež kruh v majhni pekarni blizu postaje in ko sem prišel domov, je bil še topel."},
      {"bs", "Jučer sam kupio svjež hljeb u maloj pekari pored stanice i još je bio topao kad sam stigao kući."},
      {"sq", "Dje bleva bukë të freskët në furrën e vogël pranë stacionit dhe ishte ende e ngrohtë kur arrita në shtëpi."},
      {"lt", "Vakar nusipirkau šviežios duonos mažoje kepykloje prie stoties, ir ji dar buvo šilta, kai grįžau namo."},
      {"lv", "Vakar es nopirku svaigu maizi mazajā maiznīcā pie stacijas, un tā vēl bija silta, kad atnācu mājās."},
      {"et", "Eile ostsin jaama lähedal asuvast väikesest pagariärist värsket leiba ja see oli koju jõudes veel soe."},
      {"de", "Gestern habe ich in der kleinen Bäckerei am Bahnhof frisches Brot gekauft, und es war noch warm, als ich nach Hause kam."},
      {"fr", "Hier, j'ai acheté du pain frais à la petite boulangerie près de la gare, et il était encore chaud quand je suis rentré."},
      {"es", "Ayer compré pan fresco en la pequeña panadería cerca de la estación, y todavía estaba caliente cuando llegué a casa."},
      {"pt", "Ontem comprei pão fresco na pequena padaria perto da estação, e ainda estava quente quando cheguei a casa."},
      {"it", "Ieri ho comprato del pane fresco nel piccolo forno vicino alla stazione, ed era ancora caldo quando sono arrivato a casa."},
      {"nl", "Gisteren heb ik vers brood gekocht bij de kleine bakkerij bij het station, en het was nog warm toen ik thuiskwam."},
      {"sv", "Igår köpte jag färskt bröd på det lilla bageriet vid stationen, och det var fortfarande varmt när jag kom hem."},
      {"da", "I går købte jeg frisk brød i det lille bageri ved stationen, og det var stadig varmt, da jeg kom hjem."},
      {"nb", "I går kjøpte jeg ferskt brød på det lille bakeriet ved stasjonen, og det var fortsatt varmt da jeg kom hjem."},
      {"fi", "Eilen ostin tuoretta leipää pienestä leipomosta aseman läheltä, ja se oli vielä lämmintä, kun tulin kotiin."},
      {"is", "Í gær keypti ég nýtt brauð í litla bakaríinu við stöðina, og það var enn heitt þegar ég kom heim."},
      {"ca", "Ahir vaig comprar pa fresc a la petita fleca prop de l'estació, i encara era calent quan vaig arribar a casa."},
      {"en", "Yesterday I bought fresh bread at the small bakery near the station, and it was still warm when I got home."},
  };
  return s;
}

// windows-1252 as WHATWG defines it (80–9F; the five holes map to C1 controls).
const char32_t kCp1252High[32] = {
    0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160,
    0x2039, 0x152, 0x8D, 0x17D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178};

std::string encode_utf8(char32_t c) {
  std::string s;
  if (c < 0x80) s += char(c);
  else if (c < 0x800) s += char(0xC0 | (c >> 6)), s += char(0x80 | (c & 0x3F));
  else s += char(0xE0 | (c >> 12)), s += char(0x80 | ((c >> 6) & 0x3F)), s += char(0x80 | (c & 0x3F));
  return s;
}

// The classic mojibake: UTF-8 bytes shown as windows-1252.
std::string utf8_as_cp1252(const std::string& bytes) {
  std::string out;
  for (unsigned char b : bytes) out += encode_utf8(b >= 0x80 && b < 0xA0 ? kCp1252High[b - 0x80] : b);
  return out;
}

double best_log2prob(const std::string& text) {
  double best = -INFINITY;
  for (std::size_t i = 0; i < shipped().size(); ++i) best = std::max(best, shipped()[i].log2prob(text));
  return best;
}

}  // namespace

TEST(Shipped, EveryLanguageLoadsAndHasATestSentence) {
  const auto& set = shipped();
  ASSERT_GE(set.size(), 40u);
  for (std::size_t i = 0; i < set.size(); ++i) {
    std::string lang(set[i].lang());
    EXPECT_TRUE(sentences().count(lang)) << "no test sentence for shipped model " << lang;
    EXPECT_GE(set[i].order(), 3) << lang;
    EXPECT_GT(set[i].training_chars(), 10000u) << lang;
  }
}

TEST(Shipped, IdentifiesEveryLanguage) {
  const auto& set = shipped();
  // Bosnian and Croatian are one standard language in two spellings; a sentence may fit both.
  const std::map<std::string, std::string> also_ok = {{"bs", "hr"}, {"hr", "bs"}};
  int wrong = 0;
  for (std::size_t i = 0; i < set.size(); ++i) {
    std::string lang(set[i].lang());
    auto it = sentences().find(lang);
    if (it == sentences().end()) continue;
    Identification id = set.identify(it->second);
    bool ok = id.best.lang == lang;
    auto alt = also_ok.find(lang);
    if (!ok && alt != also_ok.end() && id.best.lang == alt->second && id.runner_up.lang == lang) ok = true;
    EXPECT_TRUE(ok) << lang << " identified as " << id.best.lang << " (runner-up " << id.runner_up.lang
                    << ", margin " << id.best.margin << ")";
    wrong += !ok;
    EXPECT_GE(id.best.margin, 0.0);
    EXPECT_GT(id.best.bits_per_char, 0.0);
  }
  EXPECT_EQ(wrong, 0);
}

TEST(Shipped, ShortAndMixedText) {
  const auto& set = shipped();
  ASSERT_NE(set.find("zh-Hans"), nullptr);
  // Latin brand names, digits and full-width forms inside Chinese.
  EXPECT_EQ(set.identify("新款iPhone 15的价格是５９９９元，比去年便宜。").best.lang, "zh-Hans");
  EXPECT_EQ(set.identify("Die Datei wurde gespeichert.").best.lang, "de");
  EXPECT_EQ(set.identify("Файл сохранён.").best.lang, "ru");
  EXPECT_EQ(set.identify("ファイルを保存しました。").best.lang, "ja");
  EXPECT_EQ(set.identify("").best.lang, "");
}

TEST(Shipped, ChineseBeatsItsGbkReadAsWindows1252) {
  // "我们今天下午去公园散步，天气非常好。" encoded as GBK, decoded as windows-1252 (made with
  // python3: s.encode('gbk').decode('cp1252', 'replace')).
  const std::string zh = "我们今天下午去公园散步，天气非常好。";
  const std::string moji = "ÎÒÃÇ½ñÌìÏÂÎçÈ¥¹«Ô°É¢²½£¬ÌìÆø·Ç³£ºÃ¡£";
  const auto* m = shipped().find("zh-Hans");
  ASSERT_NE(m, nullptr);
  double good = m->log2prob(zh);
  // Same bytes, two readings: the Chinese one must win by a wide margin under any model.
  EXPECT_GT(good, best_log2prob(moji) + 50.0) << good << " vs " << best_log2prob(moji);
  EXPECT_EQ(shipped().identify(zh).best.lang, "zh-Hans");
  // And the mojibake is implausible text in every language: > 9 bits per character.
  for (std::size_t i = 0; i < shipped().size(); ++i)
    EXPECT_GT(shipped()[i].bits_per_char(moji), 9.0) << shipped()[i].lang();
  // Mixed Latin/digits inside the Chinese reading still win.
  const std::string mixed = "价格是5999元，iPhone 15 的屏幕很漂亮。";
  const std::string mixed_moji = "¼Û¸ñÊÇ5999Ôª£¬iPhone 15 µÄÆÁÄ»ºÜÆ¯ÁÁ¡£";
  EXPECT_GT(m->log2prob(mixed), best_log2prob(mixed_moji) + 20.0);
}

TEST(Shipped, EveryLanguageBeatsItsUtf8ReadAsWindows1252) {
  for (const auto& [lang, text] : sentences()) {
    const auto* m = shipped().find(lang);
    if (!m) continue;
    std::string moji = utf8_as_cp1252(text);
    if (moji == text) continue;
    double good = m->log2prob(text), bad = best_log2prob(moji);
    EXPECT_GT(good, bad + 10.0) << lang << ": text " << good << " vs mojibake " << bad << " (" << moji << ")";
  }
}

// The model commands of the CLI (src/cli/cmd_model.cpp): exit codes and basic behaviour.
#include <cstdio>
#include <fstream>

#include "cli/cmd_model.h"

TEST(CmdModel, ExitCodes) {
  using ungarble::cli::cmd_langs;
  using ungarble::cli::cmd_score;
  const std::string dir = ModelSet::default_dir();
  EXPECT_EQ(cmd_langs({"--help"}), 0);
  EXPECT_EQ(cmd_score({"--help"}), 0);
  EXPECT_EQ(cmd_langs({"--models", dir}), 0);
  EXPECT_EQ(cmd_langs({"--bogus"}), 2);
  EXPECT_EQ(cmd_langs({"--models"}), 2);
  EXPECT_EQ(cmd_score({"--models", "/nonexistent-ungarble-dir"}), 1);
  std::string path = ::testing::TempDir() + "ungarble-score-test.txt";
  std::ofstream(path) << "Gestern habe ich frisches Brot gekauft.\n";
  EXPECT_EQ(cmd_score({"--models", dir, path}), 0);
  EXPECT_EQ(cmd_score({"--models=" + dir, "--lang", "de", path}), 0);
  EXPECT_EQ(cmd_score({"--models", dir, "--lang", "xx", path}), 2);
  EXPECT_EQ(cmd_score({"--models", dir, path + ".missing"}), 1);
  std::remove(path.c_str());
}
