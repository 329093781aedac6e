#include "repair/scoring.h"

#include <array>
#include <algorithm>
#include <cmath>

namespace ungarble::repair_detail {
namespace {

constexpr double kFloorBits = 40;

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

char32_t next_cp(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
  for (int k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (s[i + k] & 0x3F);
  i += n;
  return c;
}

}  // namespace

Script dominant_script(std::string_view utf8) {
  std::array<std::size_t, 11> count{};
  for (std::size_t i = 0; i < utf8.size();) count[static_cast<int>(script_of(next_cp(utf8, i)))]++;
  // Kana decides Japanese even when kanji are more numerous.
  if (count[static_cast<int>(Script::kana)] * 8 >= count[static_cast<int>(Script::han)] &&
      count[static_cast<int>(Script::kana)] > 0)
    return Script::kana;
  Script best = Script::none;
  std::size_t n = 0;
  for (int s = 1; s < 11; ++s)
    if (count[s] > n) n = count[s], best = static_cast<Script>(s);
  return best;
}

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

bool fluent(const TextScore& s) {
  if (!s.model || s.chars == 0) return false;
  std::string_view sc = s.model->script();
  double ceiling = 5.5;
  if (sc == "Hani" || sc == "Hans" || sc == "Hant") ceiling = 11.5;
  else if (sc == "Jpan") ceiling = 10;
  else if (sc == "Kore" || sc == "Hang") ceiling = 10;
  return -s.log2p / static_cast<double>(s.chars) <= ceiling;
}

TextScore Scorer::score(std::string_view utf8, double floor) const {
  cps_.clear();
  for (std::size_t i = 0; i < utf8.size();) cps_.push_back(next_cp(utf8, i));
  Script script = dominant_script(utf8);
  std::vector<const LanguageModel*> ms = models_for(script);
  const LanguageModel*& first = last_winner_[static_cast<int>(script)];
  if (first) {
    auto it = std::find(ms.begin(), ms.end(), first);
    if (it != ms.end()) std::iter_swap(ms.begin(), it);
  }
  TextScore best;
  best.log2p = -INFINITY;
  for (const LanguageModel* m : ms) {
    // Each character costs at most kFloorBits: the model is mixed with "any character of the
    // Basic Multilingual Plane", so symbols, emoticons and scripts no model covers are merely
    // unlikely, not impossible, and cannot make clean text look like something to repair.
    const double stop = std::max(floor, best.log2p);
    double lp = m->log2prob_floored(cps_.data(), cps_.size(), kFloorBits, stop);
    if (lp < stop || (lp == stop && best.model)) continue;
    best = {lp, m, cps_.size()};
  }
  if (best.model) first = best.model;
  else if (floor == -INFINITY) best.log2p = 0;  // no model loaded
  return best;
}

}  // namespace ungarble::repair_detail
