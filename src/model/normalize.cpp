#include "model/normalize.h"

#include <utf8proc.h>

namespace ungarble::model {

const char* class_name(unsigned c) noexcept {
  static const char* const names[kClassCount] = {
      "Latin", "Latin-1 symbol", "Greek", "Cyrillic", "Armenian", "Hebrew", "Arabic", "Indic",
      "Thai", "SE Asian", "Hangul", "Kana", "Han", "digit", "punctuation/symbol",
      "control/invalid", "other"};
  return c < kClassCount ? names[c] : "?";
}

std::uint32_t class_size(unsigned c) noexcept {
  static const std::uint32_t sizes[kClassCount] = {
      1200, 40, 300, 300, 100, 120, 600, 1500, 90, 1000, 11400, 250, 30000, 300, 4000, 200000,
      60000};
  return c < kClassCount ? sizes[c] : 60000;
}

unsigned class_of(std::uint32_t cp) noexcept {
  if (cp < 0x80) {
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return kLatin;
    if (cp >= '0' && cp <= '9') return kDigit;
    if (cp < 0x20 || cp == 0x7F) return kControl;
    return kPunctSymbol;
  }
  if (cp < 0xA0) return kControl;                       // C1 controls
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return kLatin1Symbol;
  if (cp < 0x250 || (cp >= 0x1E00 && cp < 0x1F00)) return kLatin;
  if (cp < 0x370) return kPunctSymbol;                  // IPA, spacing modifiers
  if (cp < 0x400 || (cp >= 0x1F00 && cp < 0x2000)) return kGreek;
  if (cp < 0x530) return kCyrillic;
  if (cp < 0x590) return kArmenian;
  if (cp < 0x600 || (cp >= 0xFB1D && cp < 0xFB50)) return kHebrew;
  if (cp < 0x900 || (cp >= 0xFB50 && cp < 0xFE00) || (cp >= 0xFE70 && cp < 0xFF00)) return kArabic;
  if (cp < 0xE00) return kIndic;
  if (cp < 0xE80) return kThai;
  if (cp < 0x1100 || (cp >= 0x1780 && cp < 0x1800)) return kOtherSEAsia;
  if (cp < 0x1200 || (cp >= 0x3130 && cp < 0x3190) || (cp >= 0xAC00 && cp < 0xD7B0)) return kHangul;
  if (cp >= 0x2000 && cp < 0x2E80) return kPunctSymbol;
  if (cp >= 0x3000 && cp < 0x3040) return kPunctSymbol;  // CJK punctuation
  if ((cp >= 0x3040 && cp < 0x3100) || (cp >= 0x31F0 && cp < 0x3200) || (cp >= 0xFF66 && cp < 0xFFA0))
    return kKana;
  if ((cp >= 0x3400 && cp < 0x4DC0) || (cp >= 0x4E00 && cp < 0xA000) || (cp >= 0xF900 && cp < 0xFB00) ||
      (cp >= 0x20000 && cp < 0x40000) || (cp >= 0x2E80 && cp < 0x2FE0))
    return kHan;
  if (cp == 0xFFFD || (cp >= 0xD800 && cp < 0xE000) || (cp >= 0xE000 && cp < 0xF900) ||
      cp >= 0xF0000)
    return kControl;
  if ((cp >= 0xFE30 && cp < 0xFE70) || (cp >= 0xFF00 && cp < 0xFF66) || (cp >= 0xFFE0 && cp < 0xFFF0) ||
      (cp >= 0x1F000 && cp < 0x1FB00))
    return kPunctSymbol;
  return kOther;
}

namespace {
std::uint32_t normalize_slow(char32_t c) noexcept {
  std::uint32_t cp = c;
  if (cp < 0x80) {
    if (cp >= 'A' && cp <= 'Z') return cp + 32;
    if (cp >= '0' && cp <= '9') return '0';
    if (cp <= 0x20 || cp == 0x7F) return ' ';
    return cp;
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) return 0xFFFD;
  if (cp >= 0xFF01 && cp <= 0xFF5E) return normalize_slow(cp - 0xFEE0);  // full-width ASCII
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
    case 0x3000:
      return ' ';
    case 0xAD: case 0x200B: case 0x2060: case 0xFEFF: case 0x200E: case 0x200F:
      return kSkip;
    default:
      break;
  }
  if (cp >= 0x2000 && cp <= 0x200A) return ' ';
  auto lower = static_cast<std::uint32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(cp)));
  return lower;
}

}  // namespace

// The BMP, precomputed (≈ 256 kB, built once, thread-safe static initialization).
const BmpNormalization& bmp_normalization() noexcept {
  static const BmpNormalization* table = [] {
    auto* t = new BmpNormalization;
    for (std::uint32_t c = 0; c < 0x10000; ++c) t->map[c] = normalize_slow(c);
    for (std::uint32_t b = 0; b < 0x100; ++b) {
      bool same = true;
      for (std::uint32_t c = b << 8; c < (b + 1) << 8 && same; ++c) same = t->map[c] == c;
      t->identity[b] = same;
    }
    return t;
  }();
  return *table;
}

std::uint32_t normalize_cp(char32_t c) noexcept {
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= '0' && c <= '9') return '0';
    if (c <= 0x20 || c == 0x7F) return ' ';
    return c;
  }
  if (c < 0x10000) return bmp_normalization().map[c];
  return normalize_slow(c);
}

}  // namespace ungarble::model
