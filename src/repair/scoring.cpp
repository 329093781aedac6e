#include "repair/scoring.h"
#include "repair/utf8_step.h"

#include <array>
#include <algorithm>
#include <cmath>

namespace ungarble::repair_detail {
namespace {

constexpr double kFloorBits = 40;
constexpr double kRankSlackBits = 64;
constexpr std::size_t kPrefixChars = 1024;
constexpr double kIslandBits = 16;  // each run of a few letters of another script
constexpr double kPrefixSlackBits = 256;

Script script_of(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? Script::latin : Script::none;
  if (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) return Script::latin;
  if (c >= 0x1E00 && c <= 0x1EFF) return Script::latin;
  if (c >= 0x370 && c <= 0x3FF) return Script::greek;
  if (c >= 0x400 && c <= 0x52F) return Script::cyrillic;
  if (c >= 0x590 && c <= 0x5FF) return Script::hebrew;
  if (c >= 0x600 && c <= 0x6FF) return Script::arabic;
  if (c >= 0xE00 && c <= 0xE7F) return Script::thai;
  if (c >= 0x3040 && c <= 0x30FF) return Script::kana;
  if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F))
    return Script::hangul;
  if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x20000 && c <= 0x3FFFF))
    return Script::han;
  if (c >= 0xFF66 && c <= 0xFF9F) return Script::kana;
  if (c < 0x2000 || c >= 0xFF00) return Script::none;  // symbols, punctuation, full-width forms
  return Script::other;
}

}  // namespace

namespace {
// The script most letters of the text belong to (none for text without letters).
Script dominant_script_of(const char32_t* cps, std::size_t n) {
  std::array<std::size_t, 11> count{};
  for (std::size_t k = 0; k < n; ++k) count[static_cast<int>(script_of(cps[k]))]++;
  // Kana decides Japanese even when kanji are more numerous.
  if (count[static_cast<int>(Script::kana)] * 8 >= count[static_cast<int>(Script::han)] &&
      count[static_cast<int>(Script::kana)] > 0)
    return Script::kana;
  // A hanzi or a Hangul syllable is a word or a syllable, a Latin letter a sound: CJK text
  // with Latin names in it ("Debian 的社会驱动力") is CJK, and the CJK models know Latin too.
  count[static_cast<int>(Script::han)] *= 3;
  count[static_cast<int>(Script::hangul)] *= 3;
  Script best = Script::none;
  std::size_t most = 0;
  for (int s = 1; s < 11; ++s)
    if (count[s] > most) most = count[s], best = static_cast<Script>(s);
  return best;
}
}  // namespace


std::vector<const LanguageModel*> Scorer::models_for(Script s) const {
  auto want = [&](std::string_view sc) {
    switch (s) {
      case Script::latin: return sc == "Latn";
      case Script::cyrillic: return sc == "Cyrl";
      case Script::greek: return sc == "Grek";
      case Script::arabic: return sc == "Arab";
      case Script::hebrew: return sc == "Hebr";
      case Script::thai: return sc == "Thai";
      case Script::han: return sc == "Hani" || sc == "Hans" || sc == "Hant" || sc == "Jpan";
      case Script::kana: return sc == "Jpan";
      case Script::hangul: return sc == "Kore" || sc == "Hang";
      default: return false;
    }
  };
  std::vector<const LanguageModel*> r;
  for (std::size_t i = 0; i < models_.size(); ++i)
    if (want(models_[i].script())) r.push_back(&models_[i]);
  if (r.empty())
    for (std::size_t i = 0; i < models_.size(); ++i) r.push_back(&models_[i]);
  return r;
}

namespace {
// Bits per character under the chosen model, when it is one of `scripts` (else +inf).
double bits_per_char_in(const TextScore& s, std::initializer_list<std::string_view> scripts) {
  if (!s.model || s.chars == 0) return INFINITY;
  std::string_view sc = s.model->script();
  for (std::string_view x : scripts)
    if (sc == x) return -s.log2p / static_cast<double>(s.chars);
  return INFINITY;
}
}  // namespace

bool fluent(const TextScore& s) {
  if (!s.model || s.chars == 0) return false;
  if (double b = bits_per_char_in(s, {"Hani", "Hans", "Hant"}); b != INFINITY) return b <= 11.5;
  if (double b = bits_per_char_in(s, {"Jpan", "Kore", "Hang"}); b != INFINITY) return b <= 10;
  return -s.log2p / static_cast<double>(s.chars) <= 5.5;
}

bool fits_original(std::string_view text, EncodingId original, double share_needed, bool misread) {
  using E = EncodingId;
  std::array<std::size_t, 11> count{};
  std::size_t non_ascii = 0, cjk_marks = 0;
  const bool half_width_kana_too = misread && (original == EncodingId::shift_jis || original == EncodingId::cp932 ||
                                               original == EncodingId::euc_jp);
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = next_code_point(text, i);
    // Private use: what the CJK decoders give for their user-defined rows; no evidence of
    // which script the text is in.
    if (c < 0x80 || (c >= 0xE000 && c <= 0xF8FF)) continue;
    // Nor the typographic quotes and ellipsis every page has ("“" is A1 B0 in GBK and EUC-KR).
    if ((c >= 0x2018 && c <= 0x201D) || c == 0x2026) continue;
    ++non_ascii;
    // CJK punctuation and full-width forms (「」、。（）): only the CJK pages have them. (Not
    // the half-width katakana: what Shift_JIS makes of other pages' bytes A1–DF.)
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFEF) ||
        (half_width_kana_too && c >= 0xFF61 && c <= 0xFF9F))
      ++cjk_marks;
    else count[static_cast<int>(script_of(c))]++;
  }
  auto share = [&](std::initializer_list<Script> ss, std::size_t also = 0) {
    std::size_t n = also;
    for (Script x : ss) n += count[static_cast<int>(x)];
    return non_ascii == 0 || static_cast<double>(n) >= share_needed * static_cast<double>(non_ascii);
  };
  switch (original) {
    case E::gbk: case E::gb18030: case E::big5: case E::shift_jis: case E::euc_jp:
    case E::euc_kr: case E::cp932: case E::cp949: case E::cp950:
    case E::iso_2022_jp:
      return share({Script::han, Script::kana, Script::hangul}, cjk_marks);
    case E::windows_1251: case E::koi8_r: case E::koi8_u: case E::ibm866: case E::iso_8859_5:
    case E::x_mac_cyrillic:
      return share({Script::cyrillic});
    case E::windows_1253: case E::iso_8859_7: return share({Script::greek});
    case E::windows_1255: case E::iso_8859_8: return share({Script::hebrew});
    case E::windows_1256: case E::iso_8859_6: return share({Script::arabic});
    case E::windows_874: return share({Script::thai});
    default: return true;
  }
}

bool clean_alphabet(const TextScore& s) { return bits_per_char_in(s, {"Cyrl", "Grek"}) <= 3.6; }

bool clean_cjk(const TextScore& s) {
  return bits_per_char_in(s, {"Hani", "Hans", "Hant", "Jpan", "Kore", "Hang"}) <= 7.0;
}

TextScore Scorer::score_full(std::string_view utf8) const {
  full_ = true;
  TextScore s = score(utf8);
  full_ = false;
  return s;
}

CjkCost Scorer::cjk_cost(std::string_view utf8) const {
  constexpr char32_t kFirst = 0x3000, kLast = 0xFFFF;
  std::vector<const LanguageModel*> cjk_models;
  std::uint64_t quarters = 0;
  unsigned most = 0;
  std::size_t n = 0;
  if (cjk_cost_.empty()) cjk_cost_.assign(kLast - kFirst + 1, 0);
  const auto* u = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t size = utf8.size();
  for (std::size_t i = 0; i < size;) {
    const unsigned char b = u[i];
    if (b < 0xE3 || b > 0xEF) {  // ASCII, two- and four-byte characters: never CJK here
      i += b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      continue;
    }
    if (i + 2 >= size) break;
    const char32_t c = (static_cast<char32_t>(b & 0x0F) << 12) | (static_cast<char32_t>(u[i + 1] & 0x3F) << 6) |
                       (u[i + 2] & 0x3F);
    i += 3;
    if (!((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
          (c >= 0xF900 && c <= 0xFAFF)))
      continue;
    std::uint8_t& q = cjk_cost_[c - kFirst];
    if (!q) {
      if (cjk_models.empty()) {
        cjk_models = models_for(Script::han);
        for (const LanguageModel* m : models_for(Script::hangul))
          if (std::find(cjk_models.begin(), cjk_models.end(), m) == cjk_models.end()) cjk_models.push_back(m);
      }
      double bits = INFINITY;
      for (const LanguageModel* m : cjk_models) {
        ScoreState st;
        st.ctx[0] = 0x4E00;  // after an ideograph
        bits = std::min(bits, -m->next(st, c));
      }
      q = static_cast<std::uint8_t>(1 + std::min(254.0, std::round(bits * 4)));
    }
    quarters += q - 1u;
    most = std::max<unsigned>(most, q - 1u);
    ++n;
  }
  return {static_cast<double>(quarters) / 4, static_cast<double>(most) / 4, n};
}

bool Scorer::common_cjk(std::string_view utf8, bool short_line) const {
  const CjkCost c = cjk_cost(utf8);
  const double n = static_cast<double>(c.chars);
  if (short_line)
    return c.chars >= kShortCommonCjkChars && c.bits <= kShortCommonCjkBits * n && c.most <= kShortMaxCjkBits;
  return c.chars >= kCommonCjkChars && c.bits <= kCommonCjkBits * n;
}

void Scorer::begin_segment() const {
  for (auto& v : shortlist_) v.clear();
}

namespace {
// Script groups for mixed text: CJK scripts score together (their models know each other's
// characters), "none" and "other" (digits, punctuation, symbols) join the run they sit in.
int group_of(Script s) {
  switch (s) {
    case Script::han: case Script::kana: case Script::hangul: return static_cast<int>(Script::han);
    case Script::none: case Script::other: return -1;
    default: return static_cast<int>(s);
  }
}
}  // namespace

TextScore Scorer::score(std::string_view utf8, double floor) const {
  cps_.clear();
  for (std::size_t i = 0; i < utf8.size();) cps_.push_back(next_code_point(utf8, i));
  // Runs of one script group. Text in one group (nearly all text) is scored whole; mixed text
  // ("Глава 12. Поддержка Debian GNU/Linux") is scored run by run, each group by its own
  // models, so that a reading cannot win by moving the whole line under another script's
  // models, where the part that did not change ("Debian GNU/Linux") is suddenly cheap.
  runs_.clear();
  int cur = -1, word_group = -1;
  bool mixed_word = false;
  std::size_t letters_in_groups[11] = {};
  for (std::size_t k = 0; k < cps_.size(); ++k) {
    const char32_t c = cps_[k];
    // Only letters of two scripts side by side make a mixed word: "SMTP-сервера" is two.
    if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) word_group = -1;
    if (c == 0xA0) word_group = -1;
    int g = group_of(script_of(c));
    if (g < 0) continue;
    // Scripts mixed inside a word ("doloГ„ВЌbe") are mojibake's mark, not a mixed text: such
    // text is scored whole, where the foreign letters cost what they should.
    if (word_group >= 0 && g != word_group) mixed_word = true;
    word_group = g;
    ++letters_in_groups[g];
    if (g != cur) {
      if (!runs_.empty()) runs_.back().end = k;
      runs_.push_back({runs_.empty() ? 0 : k, cps_.size(), g});
      cur = g;
    }
  }
  int groups = 0;
  std::size_t letters = 0, most = 0;
  for (std::size_t n : letters_in_groups) groups += n > 0, letters += n, most = std::max(most, n);
  // A few letters of another script amid many ("Il pacchetto УЈ molto utile", "migrazione 猫")
  // are each scored by their script's models, which find them cheap as a word of their own;
  // so each such island pays for leaving the text's script, as mojibake must and a quoted name
  // ("(SPI) は", "the word да") can afford: the readings that differ only inside the island
  // ("は" or "ㅟ") still compare by the island's own models.
  const bool islands = letters - most <= 3 && most >= 8 * (letters - most);
  if (groups <= 1 || mixed_word) return score_run(cps_.data(), cps_.size(), floor);
  TextScore total;
  total.log2p = 0;
  std::size_t main_letters = 0;
  for (int g = 0; g < 11; ++g) {
    if (!letters_in_groups[g]) continue;
    std::vector<char32_t> cps;
    for (const Run& r : runs_) {
      if (r.group != g) continue;
      if (!cps.empty()) cps.push_back(' ');
      cps.insert(cps.end(), cps_.begin() + static_cast<std::ptrdiff_t>(r.begin),
                 cps_.begin() + static_cast<std::ptrdiff_t>(r.end));
    }
    TextScore s = score_run(cps.data(), cps.size(), -INFINITY);
    total.log2p += s.log2p;
    if (islands && letters_in_groups[g] < most)
      for (const Run& r : runs_) total.log2p -= r.group == g ? kIslandBits : 0;
    total.chars += s.chars;
    if (letters_in_groups[g] > main_letters) main_letters = letters_in_groups[g], total.model = s.model;
  }
  if (total.log2p < floor) return {-INFINITY, nullptr, 0};
  return total;
}

TextScore Scorer::score_run(const char32_t* cps, std::size_t n, double floor) const {
  const Script script = dominant_script_of(cps, n);
  const int si = static_cast<int>(script);
  TextScore best;
  best.log2p = -INFINITY;
  // Each character costs at most kFloorBits: the model is mixed with "any character of the
  // Basic Multilingual Plane", so symbols, emoticons and scripts no model covers are merely
  // unlikely, not impossible, and cannot make clean text look like something to repair.
  std::vector<const LanguageModel*>& shortlist = shortlist_[si];
  if (full_ && n >= kShortlistFrom) shortlist.clear();
  if (shortlist.empty() || n < kShortlistFrom) {
    // First reading of this script in the segment: every model of the script, in full, to
    // rank them; the readings that follow differ in a few characters, not in language.
    if (by_script_[si].empty()) by_script_[si] = models_for(script);
    std::vector<std::pair<double, const LanguageModel*>> all;
    // A model that falls kRankSlackBits behind the best so far stops there: it cannot be the
    // best, and the shortlist only needs the models near the top (every model that ends within
    // the slack of the final best is scored in full, so they rank exactly). Models are asked in
    // the order the last ranking of this script left them in, so the best comes early.
    // A long text is ranked on its first kPrefixChars first: a language that is kPrefixSlackBits
    // behind the best there (a quarter bit a character) is not read to the end — it ranks
    // below every model that is, by its prefix total. (The slack above compares running
    // totals with a whole text's total, so alone it stops a model only near the end.)
    const std::vector<const LanguageModel*>& models = by_script_[si];
    std::vector<double> prefix_lp(models.size(), 0);
    double prefix_top = -INFINITY;
    const bool long_text = n >= 2 * kPrefixChars && models.size() > 1;
    if (long_text) {
      for (std::size_t k = 0; k < models.size(); ++k) {
        prefix_lp[k] = models[k]->log2prob_floored(cps, kPrefixChars, kFloorBits, prefix_top - kPrefixSlackBits);
        prefix_top = std::max(prefix_top, prefix_lp[k]);
      }
    }
    double top = -INFINITY;
    std::vector<std::pair<double, const LanguageModel*>> behind;  // ranked by their prefix
    for (std::size_t k = 0; k < models.size(); ++k) {
      const LanguageModel* m = models[k];
      if (long_text && prefix_lp[k] < prefix_top - kPrefixSlackBits) {
        behind.emplace_back(prefix_lp[k], m);
        continue;
      }
      const double lp = m->log2prob_floored(cps, n, kFloorBits, top - kRankSlackBits);
      all.emplace_back(lp, m);
      top = std::max(top, lp);
    }
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::stable_sort(behind.begin(), behind.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    all.insert(all.end(), behind.begin(), behind.end());
    for (std::size_t k = 0; k < all.size(); ++k) by_script_[si][k] = all[k].second;
    if (n >= kShortlistFrom)
      for (std::size_t k = 0; k < all.size() && k < kShortlist; ++k) shortlist.push_back(all[k].second);
    if (!all.empty()) best = {all[0].first, all[0].second, n};
    if (best.model && best.log2p < floor) best = {-INFINITY, nullptr, 0};
  } else {
    for (const LanguageModel* m : shortlist) {
      const double stop = std::max(floor, best.log2p);
      double lp = m->log2prob_floored(cps, n, kFloorBits, stop);
      if (lp < stop || (lp == stop && best.model)) continue;
      best = {lp, m, n};
    }
  }
  if (!best.model && floor == -INFINITY) best.log2p = 0;  // no model loaded
  return best;
}

}  // namespace ungarble::repair_detail
