// detect.cpp — charset detection; the idea is at the top of include/ungarble/detect.h.
#include "ungarble/detect.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include <utf8proc.h>

#include "detect/sniff.h"
#include "ungarble/model.h"

namespace ungarble {
namespace {

using detail::Script;
using detail::script_of;

// ---- Candidates and their priors ------------------------------------------------------------
// log2 prior, roughly how common each encoding is for legacy (non-UTF-8) text on the web and in
// files; the order within the table is the preference among text-identical readings.
struct Prior {
  EncodingId id;
  double bits;
};
constexpr Prior kCandidates[] = {
    {EncodingId::utf_8, 0.0},          {EncodingId::windows_1252, -1.0},
    {EncodingId::gbk, -1.5},           {EncodingId::windows_1251, -2.0},
    {EncodingId::shift_jis, -2.0},     {EncodingId::euc_kr, -2.0},
    {EncodingId::big5, -2.5},          {EncodingId::euc_jp, -2.5},
    {EncodingId::windows_1250, -2.5},  {EncodingId::windows_1256, -3.0},
    {EncodingId::windows_874, -3.0},   {EncodingId::windows_1253, -3.0},
    {EncodingId::windows_1254, -3.0},  {EncodingId::windows_1255, -3.5},
    {EncodingId::windows_1257, -3.5},  {EncodingId::iso_8859_2, -3.5},
    {EncodingId::iso_8859_7, -3.5},    {EncodingId::koi8_r, -3.5},
    {EncodingId::iso_8859_8, -4.5},
    {EncodingId::windows_1258, -4.5},  {EncodingId::iso_8859_15, -5.0},
    {EncodingId::iso_8859_13, -5.0},   {EncodingId::iso_8859_6, -5.0},
    {EncodingId::ibm866, -5.0},        {EncodingId::iso_8859_5, -5.5},
    {EncodingId::koi8_u, -6.0},        {EncodingId::iso_8859_4, -6.0},
    {EncodingId::iso_8859_16, -6.0},   {EncodingId::macintosh, -6.0},
    {EncodingId::x_mac_cyrillic, -6.5}, {EncodingId::iso_8859_1, -6.0},
    {EncodingId::iso_8859_3, -9.0},    {EncodingId::iso_8859_10, -7.0},
    {EncodingId::iso_8859_14, -7.0},   {EncodingId::ibm850, -7.0},
    {EncodingId::ibm437, -7.0},        {EncodingId::ibm852, -7.0},
    {EncodingId::ibm1125, -8.0},       {EncodingId::cp932, -6.0},
    {EncodingId::cp949, -6.0},         {EncodingId::cp950, -6.0},
    {EncodingId::gb18030, -6.0},       {EncodingId::utf_16le, -6.0},
    {EncodingId::utf_16be, -7.0},
};
constexpr std::size_t kCandidateCount = std::size(kCandidates);

// Softmax temperature in bits: the log-loss minimum on the tuning half of bench/detect's set (the
// Debian documentation; UDHR is reported apart): see docs/benchmarks.md.
constexpr double kTemperatureModels = 0.6;
constexpr double kTemperatureHeuristic = 4.0;
constexpr double kErrorBits = 24.0;         // cost of one malformed sequence
constexpr double kTruncatedBits = 10.0;     // cost of a character cut by the end (not scored)
constexpr double kDeclaredBits = 8.0;       // bonus for a declared charset (option)
constexpr double kSniffedBits = 6.0;        // bonus for <meta>/<?xml> in the document
constexpr std::size_t kLatinShortlist = 3;
constexpr std::size_t kWholeBelow = 256;
constexpr std::size_t kAsciiWords = 160;    // bytes of ASCII words for the Latin shortlist   // inputs up to this size are scored whole
constexpr double kHeuristicPruneBits = 80.0;  // heuristic gap beyond which a reading is dropped
constexpr double kPruneBits = 30.0;         // probe-score gap beyond which a reading is dropped  // Latin-script models kept after the ASCII pre-pass

std::size_t preference(EncodingId id) {
  for (std::size_t i = 0; i < kCandidateCount; ++i)
    if (kCandidates[i].id == id) return i;
  return kCandidateCount;
}

// The candidate that a declared encoding stands for (text-identical members).
EncodingId canonical_declared(EncodingId id) {
  switch (id) {
    case EncodingId::iso_8859_8_i: return EncodingId::iso_8859_8;
    case EncodingId::x_cp1252_strict: return EncodingId::windows_1252;
    default: return id;
  }
}

bool is_space_byte(std::uint8_t b) { return b == ' ' || b == '\n' || b == '\r' || b == '\t'; }

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Iterates code points of valid-ish UTF-8 (as produced by our decoders).
template <class F>
void for_each_cp(std::string_view s, F&& f) {
  std::size_t i = 0, n = s.size();
  while (i < n) {
    auto b = static_cast<unsigned char>(s[i]);
    char32_t c;
    std::size_t len;
    if (b < 0x80) c = b, len = 1;
    else if (b < 0xE0) c = b & 0x1F, len = 2;
    else if (b < 0xF0) c = b & 0x0F, len = 3;
    else c = b & 0x07, len = 4;
    if (i + len > n) break;
    for (std::size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    f(c);
    i += len;
  }
}

// ---- Decoding a candidate, tolerating a truncated last character -----------------------------
struct Reading {
  std::string text;
  std::size_t errors = 0;
  bool truncated = false;
};

Reading read_as(std::span<const std::uint8_t> bytes, EncodingId enc) {
  Reading r;
  // Streaming in strict mode without `last`: a sequence cut by the end stays pending instead of
  // being an error — exactly the tolerance for a truncated last character.
  StreamDecoder dec(enc, {DecodeErrorMode::strict}, BomPolicy::keep);
  if (dec.feed(bytes, false, r.text)) {
    std::string rest;
    if (!dec.feed({}, true, rest)) r.truncated = true;
    else r.text += rest;
    return r;
  }
  DecodeResult rep = decode(bytes, enc, {DecodeErrorMode::replace}, BomPolicy::keep);
  r.text = std::move(rep.text);
  r.errors = rep.errors;
  return r;
}

// ---- Character-class heuristic, used without models -----------------------------------------
bool is_upper(char32_t c) {
  return (c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9) ||
         (c >= 0x400 && c <= 0x42F);
}
bool is_lower(char32_t c) {
  return (c >= 0xDF && c <= 0xFF && c != 0xF7) || (c >= 0x3AC && c <= 0x3CE) ||
         (c >= 0x430 && c <= 0x45F) || (c >= 'a' && c <= 'z');
}

double heuristic_bits(std::string_view text) {
  double bits = 0;
  Script prev = Script::space;
  bool prev_lower = false;
  for_each_cp(text, [&](char32_t c) {
    Script s = script_of(c);
    switch (s) {
      case Script::space: break;
      case Script::ascii_letter: case Script::ascii_other: break;
      case Script::latin: case Script::greek: case Script::cyrillic: case Script::hebrew:
      case Script::arabic: case Script::thai: bits -= 2; break;
      case Script::cjk: bits -= 4; break;  // two bytes: as much as two single-byte letters
      case Script::symbol: bits -= 6; break;
      case Script::other: bits -= 8; break;
      case Script::bad: bits -= 20; break;
    }
    bool letter = detail::is_letter_script(s);
    bool prev_letter = detail::is_letter_script(prev);
    if (letter && prev_letter && s != prev &&
        !((s == Script::latin && prev == Script::ascii_letter) ||
          (prev == Script::latin && s == Script::ascii_letter)))
      bits -= 6;
    if (s == Script::symbol && prev_letter) bits -= 2;
    if (letter && prev_letter && prev_lower && is_upper(c)) bits -= 4;
    prev_lower = is_lower(c);
    if (s != Script::ascii_other || c == ' ') prev = s;
    if (c == ' ' || c == '\n') prev = Script::space;
  });
  return bits;
}

// The models fold case, so "своЯта" (x-mac-cyrillic read as windows-1251) scores like
// "своята". Count what folding hides: a non-ASCII capital right after a lower-case letter, or a
// lower-case non-ASCII letter after two capitals ("ПРяКО"), inside a word.
std::size_t case_breaks(std::string_view text) {
  std::size_t n = 0;
  int upper_run = 0;
  bool prev_lower = false;
  for_each_cp(text, [&](char32_t c) {
    auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
    bool up = cat == UTF8PROC_CATEGORY_LU, lo = cat == UTF8PROC_CATEGORY_LL;
    if (up && prev_lower && c >= 0x80) ++n;
    if (lo && upper_run >= 2 && c >= 0x80) ++n;
    upper_run = up ? upper_run + 1 : 0;
    prev_lower = lo;
  });
  return n;
}
constexpr double kCaseBreakBits = 6.0;

// Typographic quotes and dashes are what many writers type, but training text that came
// through gettext often has only ASCII ones, so a model may find "“" dearer than a stray "ô".
// They are scored as their ASCII counterparts; what differs between readings is kept.
bool fold_typographic(std::string_view text, std::string& out) {
  if (text.find("\xE2\x80") == std::string_view::npos && text.find("\xC2\xAB") == std::string_view::npos &&
      text.find("\xC2\xBB") == std::string_view::npos)
    return false;
  out.clear();
  out.reserve(text.size());
  for_each_cp(text, [&](char32_t c) {
    switch (c) {
      case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0xAB: case 0xBB: out += '"'; return;
      case 0x2018: case 0x2019: case 0x201A: case 0x201B: out += '\''; return;
      case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: out += '-'; return;
      default: break;
    }
    if (c < 0x80) out += static_cast<char>(c);
    else if (c < 0x800) out += static_cast<char>(0xC0 | (c >> 6)), out += static_cast<char>(0x80 | (c & 0x3F));
    else if (c < 0x10000)
      out += static_cast<char>(0xE0 | (c >> 12)), out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          out += static_cast<char>(0x80 | (c & 0x3F));
    else
      out += static_cast<char>(0xF0 | (c >> 18)), out += static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
          out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)), out += static_cast<char>(0x80 | (c & 0x3F));
  });
  return true;
}

// ---- Text in a Latin-script language without a model -------------------------------------------
// No model knows Esperanto's ĉ ĝ ŝ ŭ, so its true reading pays the "unseen letter" price (about
// 17 bits a letter) in every model, while a wrong page that maps those bytes to letters some
// model does know (windows-1257's ę ų ž, Lithuanian; latin-2's ć ř, Polish, Czech) pays less,
// though that model fits the words no better. What such a language still shares with the
// modelled ones is its skeleton: the base letters under the diacritics ("ĉi" → "ci", where the
// wrong reading gives "ęi" → "ei"). So every Latin reading may also be scored as its skeleton,
// by the two models that best fit the text's ASCII words, with a two-part price for the
// alphabet no model has: kUnmodelledTypeBits for each distinct accented letter it uses, and
// kUnmodelledLetterBits for each use. In a modelled language the model charges less than that
// for its own letters, so the skeleton does not decide there; a lone letter (a symbol of the
// true page read as a letter elsewhere) pays the type price in full. Only letters inside words
// count. Both prices were chosen on the tuning half of bench/detect (the Debian documentation):
// any letter price 2–5 with a type price 12–20 leaves it unchanged (lower prices start to
// break it), and 3 / 16 is the middle of that range; docs/benchmarks.md reports the other half.
constexpr double kUnmodelledLetterBits = 3.0;
constexpr double kUnmodelledTypeBits = 16.0;

// The skeleton of a reading: the non-ASCII Latin letters inside words (next to another letter)
// as their ASCII base letters; how many were changed in *changed, how many distinct letters
// (case folded) in *types. Everything else is kept.
std::string latin_skeleton(std::string_view text, std::size_t* changed, std::size_t* types) {
  std::vector<char32_t> cps;
  for_each_cp(text, [&](char32_t c) { cps.push_back(c); });
  auto is_letter = [](char32_t c) {
    Script s = script_of(c);
    return s == Script::ascii_letter || s == Script::latin;
  };
  std::string out;
  out.reserve(text.size());
  std::size_t n = 0;
  std::vector<char32_t> seen;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    char32_t c = cps[i];
    const char* base = nullptr;
    char one[2] = {0, 0};
    if (c >= 0x80 && script_of(c) == Script::latin &&
        ((i > 0 && is_letter(cps[i - 1])) || (i + 1 < cps.size() && is_letter(cps[i + 1])))) {
      if (utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_MN) {
        base = "";  // a combining mark (NFD text)
      } else {
        utf8proc_int32_t buf[4];
        utf8proc_ssize_t k = utf8proc_decompose_char(
            static_cast<utf8proc_int32_t>(c), buf, 4,
            static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK), nullptr);
        if (k == 1 && buf[0] < 0x80) one[0] = static_cast<char>(buf[0]), base = one;
        else switch (c) {
          case 0x141: case 0x142: case 0x13F: case 0x140: base = "l"; break;  // ł ŀ
          case 0xD8: case 0xF8: base = "o"; break;                             // ø
          case 0x110: case 0x111: case 0xD0: case 0xF0: base = "d"; break;     // đ ð
          case 0x126: case 0x127: base = "h"; break;                           // ħ
          case 0x131: base = "i"; break;                                       // ı
          case 0xC6: case 0xE6: base = "ae"; break;
          case 0x152: case 0x153: base = "oe"; break;
          case 0xDF: base = "ss"; break;
          case 0xDE: case 0xFE: base = "th"; break;
          default: break;
        }
      }
    }
    if (base) {
      ++n;
      char32_t folded = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
      if (std::find(seen.begin(), seen.end(), folded) == seen.end()) seen.push_back(folded);
      out += base;
      continue;
    }
    char b[4];
    std::size_t len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (len == 1) b[0] = static_cast<char>(c);
    else if (len == 2) b[0] = static_cast<char>(0xC0 | (c >> 6)), b[1] = static_cast<char>(0x80 | (c & 0x3F));
    else if (len == 3)
      b[0] = static_cast<char>(0xE0 | (c >> 12)), b[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
      b[2] = static_cast<char>(0x80 | (c & 0x3F));
    else
      b[0] = static_cast<char>(0xF0 | (c >> 18)), b[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
      b[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F)), b[3] = static_cast<char>(0x80 | (c & 0x3F));
    out.append(b, len);
  }
  *changed = n;
  *types = seen.size();
  return out;
}

// ---- Model selection ------------------------------------------------------------------------
Script model_script(std::string_view iso15924) {
  if (iso15924 == "Latn") return Script::latin;
  if (iso15924 == "Cyrl") return Script::cyrillic;
  if (iso15924 == "Grek") return Script::greek;
  if (iso15924 == "Hebr") return Script::hebrew;
  if (iso15924 == "Arab") return Script::arabic;
  if (iso15924 == "Thai") return Script::thai;
  if (iso15924 == "Hani" || iso15924 == "Jpan" || iso15924 == "Kore" || iso15924 == "Hans" ||
      iso15924 == "Hant")
    return Script::cjk;
  return Script::other;
}

// The dominant script of the non-ASCII letters of a reading, and how much of it is junk.
struct Profile {
  Script script = Script::ascii_letter;
  std::size_t non_ascii = 0, bad = 0;
};
Profile profile(std::string_view text) {
  std::array<std::size_t, 16> n{};
  Profile p;
  for_each_cp(text, [&](char32_t c) {
    if (c < 0x80) return;
    ++p.non_ascii;
    Script s = script_of(c);
    ++n[static_cast<std::size_t>(s)];
    if (s == Script::bad) ++p.bad;
  });
  std::size_t best = 0;
  for (Script s : {Script::latin, Script::greek, Script::cyrillic, Script::hebrew, Script::arabic,
                   Script::thai, Script::cjk}) {
    if (n[static_cast<std::size_t>(s)] > best) best = n[static_cast<std::size_t>(s)], p.script = s;
  }
  return p;
}

struct Scorer {
  const ModelSet* models;
  std::vector<std::vector<std::size_t>> by_script;  // model indexes per Script
  std::vector<std::size_t> latin_shortlist;
  std::vector<std::size_t> shared_latin;  // best probe languages of the surviving readings
  std::vector<std::size_t> probe_shortlist;  // Latin models ranked on the probe's ASCII words

  // Ranks the Latin models on the ASCII words of the probe itself (a mixed text's first
  // non-ASCII words may be in another language than most of its ASCII words).
  void shortlist_probe(std::span<const std::uint8_t> probe) {
    std::string words;
    std::size_t letters = 0;
    for (std::size_t i = 0; i < probe.size();) {
      std::size_t j = i;
      bool hi = false;
      while (j < probe.size() && !is_space_byte(probe[j])) hi |= probe[j] >= 0x80, ++j;
      if (!hi && j > i) {
        words.append(reinterpret_cast<const char*>(probe.data() + i), j - i), words += ' ';
        for (std::size_t k = i; k < j; ++k) letters += (probe[k] | 0x20) >= 'a' && (probe[k] | 0x20) <= 'z';
      }
      i = j + 1;
    }
    if (letters < 16) return;
    std::vector<std::pair<double, std::size_t>> s;
    for (std::size_t i : by_script[static_cast<std::size_t>(Script::latin)])
      s.push_back({-(*models)[i].log2prob(words), i});
    std::sort(s.begin(), s.end());
    for (std::size_t k = 0; k < std::min<std::size_t>(2, s.size()); ++k) probe_shortlist.push_back(s[k].second);
  }

  explicit Scorer(const ModelSet* m) : models(m), by_script(16) {
    if (!models) return;
    for (std::size_t i = 0; i < models->size(); ++i)
      by_script[static_cast<std::size_t>(model_script((*models)[i].script()))].push_back(i);
    latin_shortlist = by_script[static_cast<std::size_t>(Script::latin)];
  }
  bool usable() const { return models && models->size() > 0; }

  // Narrows the Latin-script models to those that fit the ASCII words shared by all readings.
  void shortlist_latin(std::string_view ascii_words) {
    const auto latin = by_script[static_cast<std::size_t>(Script::latin)];
    latin_shortlist.clear();
    std::size_t letters = 0;
    for (char c : ascii_words) letters += (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    // Always ranked (so a probe's top languages are the likeliest); cut only when the ASCII
    // words are enough to go by.
    std::vector<std::pair<double, std::size_t>> s;
    for (std::size_t i : latin) s.push_back({-(*models)[i].log2prob(ascii_words), i});
    std::sort(s.begin(), s.end());
    std::size_t keep = letters < 24 ? std::max<std::size_t>(kLatinShortlist, 8) : kLatinShortlist;
    for (std::size_t k = 0; k < std::min(keep, s.size()); ++k) latin_shortlist.push_back(s[k].second);
  }

  // The ASCII shortlist misses a language whose text here is mostly English (untranslated
  // terms, code): add the Latin models that best explain the reading's non-ASCII letters alone.
  void add_by_letters(std::string_view text, std::vector<std::size_t>& set, std::size_t top = 3) const {
    std::vector<std::pair<char32_t, int>> letters;
    for_each_cp(text, [&](char32_t c) {
      if (c < 0x80 || letters.size() >= 32) return;
      for (auto& [l, n] : letters)
        if (l == c) return void(++n);
      letters.push_back({c, 1});
    });
    if (letters.empty()) return;
    const auto& all = by_script[static_cast<std::size_t>(Script::latin)];
    std::vector<std::pair<double, std::size_t>> s;
    for (std::size_t i : all) {
      double lp = 0;
      for (auto [c, k] : letters) {
        ScoreState st;
        lp += k * (*models)[i].next(st, c);
      }
      s.push_back({-lp, i});
    }
    std::sort(s.begin(), s.end());
    for (std::size_t k = 0; k < std::min<std::size_t>(top, s.size()); ++k)
      if (std::find(set.begin(), set.end(), s[k].second) == set.end()) set.push_back(s[k].second);
  }

  // Best log2 P over the models of the reading's script.
  // quick: a probe — only the two best ASCII-word languages and the best letter language.
  std::pair<double, std::string_view> score(std::string_view text, Script script, bool quick = false) const {
    if (!usable()) return {heuristic_bits(text), {}};
    std::string folded;
    if (fold_typographic(text, folded)) text = folded;
    const std::vector<std::size_t>* set;
    std::vector<std::size_t> latin;
    if (script == Script::latin || script == Script::ascii_letter) {
      const auto& sl = quick && !probe_shortlist.empty() ? probe_shortlist : latin_shortlist;
      latin.assign(sl.begin(), sl.begin() + std::min<std::size_t>(quick ? 2 : sl.size(), sl.size()));
      add_by_letters(text, latin, quick ? 2 : text.size() < 256 ? 4 : 2);
      if (!quick)  // the languages every surviving reading was judged in, so all compete alike
        for (std::size_t i : shared_latin)
          if (std::find(latin.begin(), latin.end(), i) == latin.end()) latin.push_back(i);
      set = &latin;
    } else {
      set = &by_script[static_cast<std::size_t>(script)];
    }
    if (set->empty()) set = &latin_shortlist;
    double best = -1e300;
    std::string_view lang;
    for (std::size_t i : *set) {
      double lp = (*models)[i].log2prob(text);
      if (lp > best) best = lp, lang = (*models)[i].lang();
    }
    if (set->empty()) return {heuristic_bits(text), {}};
    if (script == Script::latin) {
      // The reading as a language no model has (see latin_skeleton); reported without a language.
      std::size_t changed = 0, types = 0;
      std::string sk = latin_skeleton(text, &changed, &types);
      if (changed > 0) {
        const auto& sl = quick && !probe_shortlist.empty() ? probe_shortlist : latin_shortlist;
        double fixed = -kUnmodelledLetterBits * static_cast<double>(changed) -
                       kUnmodelledTypeBits * static_cast<double>(types);
        for (std::size_t k = 0; k < std::min<std::size_t>(2, sl.size()); ++k) {
          double lp = (*models)[sl[k]].log2prob(sk) + fixed;
          if (lp > best) best = lp, lang = {};
        }
      }
    }
    return {best, lang};
  }
};

// ---- Structural helpers ---------------------------------------------------------------------
std::size_t count_multibyte_utf8(std::span<const std::uint8_t> b) {
  std::size_t k = 0;
  for (auto x : b) k += (x >= 0xC2 && x <= 0xF4);
  return k;
}

// Backs `end` off a UTF-8 sequence cut by the prefix limit.
std::size_t utf8_boundary(std::span<const std::uint8_t> b, std::size_t end) {
  if (end >= b.size()) return b.size();
  std::size_t e = end, back = 0;
  while (e > 0 && back < 4 && (b[e] & 0xC0) == 0x80) --e, ++back;
  return e;
}

// Valid UTF-8 that re-encodes (each character to its windows-1252 or latin-1 byte) to valid
// UTF-8 with multi-byte sequences: the classic double encoding. Returns the page or nullopt.
std::optional<EncodingId> double_encoded(std::string_view utf8, std::string* undone) {
  static const std::array<char32_t, 32> c1 = [] {
    std::array<char32_t, 32> t{};
    for (int b = 0x80; b < 0xA0; ++b) {
      std::uint8_t byte = static_cast<std::uint8_t>(b);
      DecodeResult r = decode(std::span<const std::uint8_t>(&byte, 1), EncodingId::windows_1252);
      char32_t c = 0xFFFD;
      for_each_cp(r.text, [&](char32_t x) { c = x; });
      t[b - 0x80] = c;
    }
    return t;
  }();
  std::string out;
  out.reserve(utf8.size());
  bool ok = true, used_c1 = false;
  for_each_cp(utf8.substr(0, 4096), [&](char32_t c) {
    if (!ok) return;
    if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
      out.push_back(static_cast<char>(c));
      return;
    }
    if (c >= 0x80 && c < 0xA0) {  // latin-1's C1 (or windows-1252's five holes)
      out.push_back(static_cast<char>(c));
      used_c1 = true;
      return;
    }
    for (int k = 0; k < 32; ++k)
      if (c1[k] == c) {
        out.push_back(static_cast<char>(0x80 + k));
        return;
      }
    ok = false;
  });
  if (!ok) return std::nullopt;
  auto ob = as_bytes(out);
  std::size_t end = utf8_boundary(ob, ob.size() > 0 ? ob.size() : 0);
  // Tolerate a cut last character: check validity up to the last lead byte.
  std::size_t valid_end = ob.size();
  if (!is_valid_utf8(ob)) {
    std::size_t e = ob.size();
    std::size_t back = 0;
    while (e > 0 && back < 4 && (ob[e - 1] & 0xC0) == 0x80) --e, ++back;
    if (e > 0 && ob[e - 1] >= 0xC0) --e;
    if (!is_valid_utf8(ob.first(e))) return std::nullopt;
    valid_end = e;
  }
  (void)end;
  if (count_multibyte_utf8(ob.first(valid_end)) == 0) return std::nullopt;
  if (undone) undone->assign(out, 0, valid_end);
  return used_c1 ? EncodingId::iso_8859_1 : EncodingId::windows_1252;
}

struct Scored {
  EncodingId id;
  double score;
  std::string_view lang;
  std::string text;  // the evidence reading (for text-identical grouping)
};

Candidate make(EncodingId id, double conf, std::string_view lang) {
  Candidate c;
  c.encoding = id;
  c.confidence = conf;
  c.language = lang;
  return c;
}

// Language of a decoded sample: the models of its dominant script only (all, for ASCII).
std::string_view identify_lang(const Scorer& sc, std::string_view text) {
  if (!sc.usable() || text.empty()) return {};
  if (text.size() > 384) {
    std::size_t e = 384;
    while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
    text = text.substr(0, e);
  }
  Script script = profile(text).script;
  const auto& set = sc.by_script[static_cast<std::size_t>(script == Script::ascii_letter ? Script::latin : script)];
  if (set.empty()) return sc.models->identify(text).best.lang;
  double best = -1e300;
  std::string_view lang;
  for (std::size_t i : set) {
    double lp = (*sc.models)[i].log2prob(text);
    if (lp > best) best = lp, lang = (*sc.models)[i].lang();
  }
  return lang;
}

// A sample of decoded UTF-8 around the first non-ASCII character, for language ID.
std::string_view lang_sample(std::string_view text, std::size_t first_non_ascii, std::size_t n) {
  std::size_t s = first_non_ascii > n / 4 ? first_non_ascii - n / 4 : 0;
  while (s > 0 && (static_cast<unsigned char>(text[s]) & 0xC0) == 0x80) --s;
  std::size_t e = std::min(text.size(), s + n);
  while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
  return text.substr(s, e - s);
}

}  // namespace

std::string_view Candidate::name() const noexcept {
  return ::ungarble::encoding(encoding).name;
}

std::string_view Detection::encoding_name() const noexcept {
  switch (kind) {
    case Kind::empty: return "empty";
    case Kind::binary: return "binary";
    default: return candidates.empty() ? std::string_view("binary") : candidates[0].name();
  }
}

Detection detect(std::span<const std::uint8_t> in, const ModelSet* models,
                 const DetectOptions& opt) {
  Detection d;
  const std::size_t n = in.size();
  if (n == 0) {
    d.kind = Detection::Kind::empty;
    d.why = "empty";
    return d;
  }
  Scorer scorer(models);
  d.kind = Detection::Kind::text;

  // 1. Byte-order marks.
  if (auto bom = detail::sniff_bom(in)) {
    Candidate c;
    c.confidence = 0.99;
    c.encoding = bom->id;
    d.from_bom = true;
    d.bom_length = bom->length;
    d.declared = opt.declared;  // a BOM outranks any declaration, as in browsers
    d.declared_overruled = opt.declared && canonical_declared(*opt.declared) != c.encoding;
    d.bytes_examined = bom->length;
    d.why = "bom";
    if (scorer.usable() && n > bom->length) {
      auto body = in.subspan(bom->length, std::min<std::size_t>(n - bom->length, 2048));
      std::string text = decode(body, c.encoding, {DecodeErrorMode::replace}, BomPolicy::keep).text;
      c.language = identify_lang(scorer, text);
    }
    d.candidates.push_back(c);
    return d;
  }

  const std::size_t head = std::min(n, opt.full ? n : std::max<std::size_t>(opt.prefix, 4096));
  auto head_bytes = in.first(head);

  // 2. Binary by magic numbers.
  if (detail::has_binary_magic(in)) {
    d.kind = Detection::Kind::binary;
    d.why = "magic";
    d.bytes_examined = std::min<std::size_t>(n, 16);
    return d;
  }

  // 3. UTF-16/32 without BOM, from NUL-byte patterns (and, for non-Latin scripts, from the
  //    concentration of high bytes), before control bytes can call it binary.
  detail::ByteStats st = detail::byte_stats(head_bytes);
  if (auto u = detail::sniff_utf16_32(head_bytes, st)) {
    if (u->confidence < 0.96) {
      // Found by control bytes, not NULs: both byte orders may read as letters; ask the models.
      EncodingId other = u->id == EncodingId::utf_16le ? EncodingId::utf_16be : EncodingId::utf_16le;
      if (detail::utf16_texty(head_bytes, other)) {
        std::size_t len = std::min<std::size_t>(head, 4096) & ~std::size_t{1};
        auto t1 = decode(head_bytes.first(len), u->id, {DecodeErrorMode::replace}).text;
        auto t2 = decode(head_bytes.first(len), other, {DecodeErrorMode::replace}).text;
        auto s1 = scorer.score(t1, profile(t1).script), s2 = scorer.score(t2, profile(t2).script);
        const double T = scorer.usable() ? kTemperatureModels : kTemperatureHeuristic;
        double p2 = 1.0 / (1.0 + std::exp2((s1.first - s2.first) / T));
        bool swap = p2 > 0.5;
        d.candidates.push_back(make(swap ? other : u->id, std::max(p2, 1 - p2) * 0.99,
                                    swap ? s2.second : s1.second));
        d.candidates.push_back(make(swap ? u->id : other, std::min(p2, 1 - p2) * 0.99,
                                    swap ? s1.second : s2.second));
        d.why = "utf-16 by control bytes";
        d.bytes_examined = head;
        return d;
      }
    }
    Candidate c;
    c.confidence = u->confidence;
    c.encoding = u->id;
    std::string text = decode(head_bytes.first(std::min<std::size_t>(head, 4096) & ~std::size_t{3}),
                              u->id, {DecodeErrorMode::replace}, BomPolicy::keep).text;
    c.language = identify_lang(scorer, lang_sample(text, 0, 1024));
    d.candidates.push_back(c);
    d.why = "utf-16/32 pattern";
    d.bytes_examined = head;
    return d;
  }
  if (detail::looks_binary(st)) {
    d.kind = Detection::Kind::binary;
    d.why = "control bytes";
    d.bytes_examined = head;
    return d;
  }

  // Declared charset: option first, then the document's own declaration.
  std::optional<EncodingId> declared;
  double declared_bits = 0;
  if (opt.declared) declared = canonical_declared(*opt.declared), declared_bits = kDeclaredBits;
  else if (opt.sniff_declarations) {
    if (auto s = sniff_declared_charset(in)) declared = canonical_declared(*s), declared_bits = kSniffedBits;
  }
  d.declared = declared;
  auto finish = [&](Detection& r) {
    if (r.declared && !r.candidates.empty() && r.kind == Detection::Kind::text) {
      EncodingId a = r.candidates[0].encoding;
      EncodingId dec = *r.declared;
      bool same = a == dec || (a == EncodingId::gbk && dec == EncodingId::gb18030) ||
                  (a == EncodingId::gb18030 && dec == EncodingId::gbk);
      r.declared_overruled = !same;
    }
    return r;
  };

  // 4. ASCII up to the first non-ASCII byte (a SIMD scan over everything: memory speed).
  const std::size_t first = ascii_prefix_length(in);
  if (first == n) {
    // 7-bit: ISO-2022-JP if it has its escapes and decodes cleanly; else ASCII = utf-8.
    if (detail::has_iso2022jp_escapes(head_bytes)) {
      DecodeResult r = decode(in, EncodingId::iso_2022_jp, {DecodeErrorMode::replace});
      if (r.errors == 0) {
        d.candidates.push_back(make(EncodingId::iso_2022_jp, 0.99, identify_lang(scorer, lang_sample(r.text, 0, 1024))));
        d.why = "iso-2022-jp escapes";
        d.bytes_examined = n;
        return finish(d);
      }
    }
    EncodingId id = EncodingId::utf_8;
    if (declared && encoding(*declared).ascii_compatible && *declared != EncodingId::iso_2022_jp)
      id = *declared;
    std::string_view text(reinterpret_cast<const char*>(in.data()), std::min<std::size_t>(n, 1024));
    d.candidates.push_back(make(id, 0.99, identify_lang(scorer, text)));
    d.why = "ascii";
    d.bytes_examined = n;
    return finish(d);
  }

  // The window: from the start of the token holding the first non-ASCII byte.
  std::size_t wstart = first;
  for (std::size_t k = 0; wstart > 0 && k < 64 && !is_space_byte(in[wstart - 1]); ++k) --wstart;
  std::size_t wend = opt.full ? n : std::min(n, first + opt.prefix);
  auto window = in.subspan(wstart, wend - wstart);
  d.bytes_examined = wend;

  // 5. Valid UTF-8 (memory speed), unless double-encoded.
  {
    std::size_t vend = wend == n ? n : utf8_boundary(in, wend);
    auto span = in.subspan(first, vend - first);
    bool valid = is_valid_utf8(span);
    std::size_t vlen = span.size();
    if (!valid && vend == n) {  // a truncated last character is fine
      std::size_t e = n, back = 0;
      while (e > first && back < 3 && (in[e - 1] & 0xC0) == 0x80) --e, ++back;
      if (e > first && in[e - 1] >= 0xC2 && in[e - 1] <= 0xF4) {
        std::size_t need = in[e - 1] >= 0xF0 ? 3 : in[e - 1] >= 0xE0 ? 2 : 1;
        if (back < need) valid = is_valid_utf8(in.subspan(first, e - 1 - first)), vlen = e - 1 - first;
      }
    }
    std::size_t k = valid ? count_multibyte_utf8(span.first(std::min<std::size_t>(vlen, 4096))) : 0;
    if (valid && k == 0) valid = false;  // only a cut lead byte: let the models judge
    if (valid) {
      std::string_view text(reinterpret_cast<const char*>(in.data() + wstart),
                            std::min<std::size_t>(vend - wstart, 16384));
      std::string undone;
      if (auto via = double_encoded(text, &undone)) {
        bool confirm = true;
        if (scorer.usable()) {
          // The un-doubled reading must read better than the doubled one.
          auto id1 = scorer.models->identify(text);
          auto id2 = scorer.models->identify(undone);
          std::size_t c1 = 0, c2 = 0;
          for_each_cp(text, [&](char32_t) { ++c1; });
          for_each_cp(undone, [&](char32_t) { ++c2; });
          confirm = id2.best.bits_per_char * c2 < id1.best.bits_per_char * c1;
        }
        if (confirm) {
          d.kind = Detection::Kind::double_utf8;
          d.double_via = *via;
          d.why = "double-encoded utf-8";
          d.candidates.push_back(make(EncodingId::utf_8, 0.95,
                                      identify_lang(scorer, lang_sample(undone, 0, 1024))));
          return finish(d);
        }
      }
      double conf = k >= 4 ? 0.999 : k >= 2 ? 0.995 : 0.99;
      d.candidates.push_back(make(EncodingId::utf_8, conf,
                                  identify_lang(scorer, lang_sample(text, first - wstart, 512))));
      d.why = "utf-8 valid";
      return finish(d);
    }
  }

  // 6. Evidence: the tokens that hold non-ASCII bytes, the same bytes for every candidate.
  std::vector<std::uint8_t> ev;
  std::string ascii_words;
  bool ev_complete = false;  // the evidence holds every non-ASCII token of the input
  if (n <= std::min<std::size_t>(kWholeBelow, opt.evidence)) {
    ev_complete = true;
    ev.assign(in.begin(), in.end());
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i;
      bool hi = false;
      while (j < n && !is_space_byte(in[j])) hi |= in[j] >= 0x80, ++j;
      if (!hi && j > i) ascii_words.append(reinterpret_cast<const char*>(in.data() + i), j - i), ascii_words += ' ';
      i = j + 1;
    }
  } else {
    std::size_t i = 0;
    std::size_t prev_s = 0, prev_e = 0;
    const std::size_t wn = window.size();
    while (i < wn && ev.size() < opt.evidence) {
      while (i < wn && is_space_byte(window[i])) ++i;
      std::size_t j = i;
      bool hi = false;
      while (j < wn && !is_space_byte(window[j])) hi |= window[j] >= 0x80, ++j;
      if (j == i) break;
      if (hi) {
        if (!ev.empty()) ev.push_back(' ');
        if (prev_e > prev_s) {  // one token of context before
          ev.insert(ev.end(), window.begin() + prev_s, window.begin() + prev_e);
          ev.push_back(' ');
        }
        std::size_t take = std::min(j - i, opt.evidence + 8 - std::min(ev.size(), opt.evidence));
        ev.insert(ev.end(), window.begin() + i, window.begin() + i + take);
        prev_s = prev_e = 0;
      } else {
        if (ascii_words.size() < kAsciiWords)
          ascii_words.append(reinterpret_cast<const char*>(window.data() + i), j - i), ascii_words += ' ';
        prev_s = i, prev_e = j;
      }
      i = j;
    }
    while (i < wn && is_space_byte(window[i])) ++i;
    ev_complete = i >= wn && wend == n;
  }
  if (scorer.usable()) scorer.shortlist_latin(ascii_words);

  // 7. Decode the evidence with every candidate. Readings are scored on a short probe first;
  //    only those within kPruneBits of the best probe are scored on all the evidence. Each
  //    distinct reading is scored once.
  struct Live {
    const Prior* p;
    Reading r;
    Script script;
    std::span<const std::uint8_t> bytes;
    double scale = 1.0;
    double fixed = 0;  // prior, declared bonus, error and truncation costs
    std::size_t bad = 0;
  };
  std::vector<Live> live;
  std::span<const std::uint8_t> evs(ev.data(), ev.size());
  const bool ev_is_whole = ev.size() == n;
  for (const auto& p : kCandidates) {
    EncodingId id = p.id;
    if (id == EncodingId::gb18030) continue;  // same decoder as gbk; named after decoding
    Live l{&p, {}, Script::latin, evs};
    if (id == EncodingId::utf_16le || id == EncodingId::utf_16be) {
      // Not ASCII-compatible: read the head itself, and scale to the evidence length.
      if (!detail::utf16_plausible(head_bytes, id, st)) continue;
      std::size_t len = std::min<std::size_t>(n, opt.evidence) & ~std::size_t{1};
      l.bytes = in.first(len);
      if (!ev_is_whole)
        l.scale = static_cast<double>(ev.size()) / static_cast<double>(std::max<std::size_t>(len, 1));
    }
    l.r = read_as(l.bytes, id);
    Profile pr = profile(l.r.text);
    if (l.r.errors > pr.non_ascii / 64) continue;
    if (id != EncodingId::utf_16le && id != EncodingId::utf_16be && pr.non_ascii == 0) continue;
    l.script = pr.script;
    l.bad = pr.bad;
    l.fixed = -kCaseBreakBits * static_cast<double>(case_breaks(l.r.text));
    l.fixed += p.bits - kErrorBits * static_cast<double>(l.r.errors) - (l.r.truncated ? kTruncatedBits : 0.0);
    if (declared && *declared == id) l.fixed += declared_bits;
    if (!scorer.usable()) l.fixed += p.bits;  // priors weigh double without models
    live.push_back(std::move(l));
  }
  // Cheap pre-pruning without the models: readings the character-class heuristic finds far
  // worse than the best (C1 controls, symbols inside words, scripts changing inside words) go.
  if (scorer.usable() && live.size() > 2) {
    std::vector<double> h(live.size());
    double best = -1e300;
    for (std::size_t i = 0; i < live.size(); ++i)
      h[i] = heuristic_bits(live[i].r.text) + live[i].fixed, best = std::max(best, h[i]);
    std::vector<Live> keep;
    for (std::size_t i = 0; i < live.size(); ++i)
      if (h[i] >= best - kHeuristicPruneBits) keep.push_back(std::move(live[i]));
    live = std::move(keep);
  }
  std::unordered_map<std::string, std::pair<double, std::string_view>> cache;
  auto score_text = [&](const std::string& text, Script script) {
    auto it = cache.find(text);
    if (it != cache.end()) return it->second;
    auto r = scorer.score(text, script);
    cache.emplace(text, r);
    return r;
  };
  constexpr std::size_t kProbe = 64;
  std::unordered_map<std::string, double> probe_cache;
  if (live.size() > 2 && scorer.usable()) {
    scorer.shortlist_probe(evs.first(std::min<std::size_t>(evs.size(), kProbe)));
    std::vector<double> probe(live.size());
    double best = -1e300;
    for (std::size_t i = 0; i < live.size(); ++i) {
      auto& l = live[i];
      std::size_t pl = std::min<std::size_t>(l.bytes.size(), kProbe);
      auto quick = [&](const std::string& t) {
        auto it = probe_cache.find(t);
        if (it != probe_cache.end()) return it->second;
        double v = scorer.score(t, l.script, true).first;
        probe_cache.emplace(t, v);
        return v;
      };
      if (pl == l.bytes.size() && pl > 0) {
        probe[i] = quick(l.r.text) * l.scale;
      } else {
        Reading pr = read_as(l.bytes.first(pl), l.p->id);
        probe[i] = quick(pr.text) - kErrorBits * static_cast<double>(pr.errors);
      }
      probe[i] += l.fixed;
      best = std::max(best, probe[i]);
    }
    std::vector<Live> keep;
    for (std::size_t i = 0; i < live.size(); ++i)
      if (probe[i] >= best - kPruneBits) {
        if (live[i].script == Script::latin || live[i].script == Script::ascii_letter) {
          std::vector<std::size_t> top;
          scorer.add_by_letters(live[i].r.text, top, 1);
          for (std::size_t m : top)
            if (std::find(scorer.shared_latin.begin(), scorer.shared_latin.end(), m) == scorer.shared_latin.end())
              scorer.shared_latin.push_back(m);
        }
        keep.push_back(std::move(live[i]));
      }
    live = std::move(keep);
  }
  std::vector<Scored> scored;
  for (auto& l : live) {
    auto [ls, lang] = score_text(l.r.text, l.script);
    // The models fold İ to i; a dotted capital I belongs to Turkish and Azerbaijani only.
    if (lang != "tr" && lang != "az" && l.r.text.find("\xC4\xB0") != std::string::npos) ls -= kCaseBreakBits;
    scored.push_back({l.p->id, ls * l.scale + l.fixed, lang, std::move(l.r.text)});
  }

  if (scored.empty()) {
    // Nothing reads the bytes: not text.
    d.kind = Detection::Kind::binary;
    d.why = "no encoding decodes it";
    return d;
  }

  // 8. Group text-identical readings; name each group by its most preferred member.
  std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return preference(a.id) < preference(b.id);
  });
  struct Group {
    EncodingId id;
    double score;
    std::string_view lang;
    const std::string* text;
  };
  std::vector<Group> groups;
  for (const auto& s : scored) {
    bool merged = false;
    for (auto& g : groups)
      if (*g.text == s.text) {
        if (declared && s.id == *declared) g.id = s.id;  // keep the declared name when equal
        else if (!(declared && g.id == *declared) && preference(s.id) < preference(g.id)) g.id = s.id;
        merged = true;
        break;
      }
    if (!merged) groups.push_back({s.id, s.score, s.lang, &s.text});
  }

  // 8b. The evidence may not hold the bytes on which the members of the leading group differ
  //     (iso-8859-7 and windows-1253 agree on most Greek letters): look for such bytes in the
  //     rest of the window and let the models choose among the members there.
  if (!groups.empty() && !ev_complete) {
    std::vector<EncodingId> members;
    for (const auto& x : scored)
      if (x.text == *groups[0].text && encoding(x.id).kind == EncodingKind::single_byte)
        members.push_back(x.id);
    if (members.size() > 1) {
      std::array<std::string, 128> first_reading;
      std::array<bool, 128> differs{};
      bool any = false;
      for (EncodingId m : members)
        for (int b = 0x80; b < 0x100; ++b) {
          std::uint8_t byte = static_cast<std::uint8_t>(b);
          std::string t = decode(std::span<const std::uint8_t>(&byte, 1), m, {DecodeErrorMode::replace}).text;
          if (m == members[0]) first_reading[b - 0x80] = t;
          else if (t != first_reading[b - 0x80]) differs[b - 0x80] = any = true;
        }
      std::vector<std::uint8_t> ev2;
      const std::size_t wn = window.size();
      for (std::size_t i = 0; any && i < wn && ev2.size() < opt.evidence / 2;) {
        while (i < wn && is_space_byte(window[i])) ++i;
        std::size_t j = i;
        bool hit = false;
        while (j < wn && !is_space_byte(window[j])) hit |= window[j] >= 0x80 && differs[window[j] - 0x80], ++j;
        if (hit) {
          if (!ev2.empty()) ev2.push_back(' ');
          ev2.insert(ev2.end(), window.begin() + i, window.begin() + j);
        }
        i = j;
      }
      if (!ev2.empty()) {
        double best = -1e300;
        EncodingId pick = groups[0].id;
        for (EncodingId m : members) {
          Reading r = read_as(ev2, m);
          Profile pr = profile(r.text);
          double v = score_text(r.text, pr.script).first - kErrorBits * static_cast<double>(r.errors) -
                     kCaseBreakBits * static_cast<double>(case_breaks(r.text)) +
                     kCandidates[preference(m)].bits + (declared && *declared == m ? declared_bits : 0.0);
          if (v > best) best = v, pick = m;
        }
        groups[0].id = pick;
      }
    }
  }

  // 9. Verify the leaders over the prefix (or everything with --full); fall back when one fails.
  auto verify = [&](EncodingId id) -> bool {
    if (ev_complete) return true;
    auto span = id == EncodingId::utf_16le || id == EncodingId::utf_16be ? in.first(wend & ~std::size_t{1}) : window;
    DecodeResult r = decode(span, id, {DecodeErrorMode::replace}, BomPolicy::keep);
    std::size_t allowed = std::max<std::size_t>(1, span.size() / 4096);  // one for a cut tail
    return r.errors <= allowed;
  };
  while (groups.size() > 1 && !verify(groups[0].id)) groups.erase(groups.begin());

  const double T = opt.temperature > 0 ? opt.temperature
                   : scorer.usable() ? kTemperatureModels : kTemperatureHeuristic;
  double z = 0;
  for (const auto& g : groups) z += std::exp2((g.score - groups[0].score) / T);
  for (std::size_t i = 0; i < groups.size() && d.candidates.size() < opt.max_candidates; ++i) {
    EncodingId id = groups[i].id;
    if (id == EncodingId::gbk && !encode(*groups[i].text, EncodingId::gbk).ok) id = EncodingId::gb18030;
    double conf = std::exp2((groups[i].score - groups[0].score) / T) / z;
    d.candidates.push_back(make(id, conf, groups[i].lang));
  }
  d.why = scorer.usable() ? "models" : "heuristic";
  return finish(d);
}

}  // namespace ungarble
