// Text normalization and script classes shared by the trainer and the scorer. Changing any
// mapping here changes what every model means: bump kFormatVersion in format.h and retrain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ungarble::model {

inline constexpr std::uint32_t kSkip = 0xFFFFFFFFu;  // the character is dropped
inline constexpr std::uint32_t kClassBase = 0x110000u;  // symbol for "some member of class c"

// Script classes for characters outside a model's vocabulary.
enum Class : std::uint8_t {
  kLatin, kLatin1Symbol, kGreek, kCyrillic, kArmenian, kHebrew, kArabic, kIndic, kThai,
  kOtherSEAsia, kHangul, kKana, kHan, kDigit, kPunctSymbol, kControl, kOther, kClassCount
};
const char* class_name(unsigned c) noexcept;
// Rough number of code points a writer could use from each class (the "which member" cost is
// log2 of this minus the class members already in the vocabulary).
std::uint32_t class_size(unsigned c) noexcept;
unsigned class_of(std::uint32_t cp) noexcept;  // of a normalized code point

// Maps a code point to the symbol the models see, or kSkip. Whitespace → ' ', full-width ASCII
// → ASCII, ASCII digits → '0', letters lower-cased (simple mapping), C0/C1 controls → ' '
// except C1 which stays (mojibake evidence), invalid/surrogates → U+FFFD.
std::uint32_t normalize_cp(char32_t cp) noexcept;

// normalize_cp() for the BMP as tables, for scoring loops (built on first use, thread-safe):
// map[cp] = normalize_cp(cp) for cp < 0x10000, and identity[cp >> 8] is 1 when every code point
// of that 256-block maps to itself (CJK ideographs, Hangul, kana, most scripts without case), so
// the hot path of Han text reads one byte of a 256-byte table instead of the 256 kB map.
struct BmpNormalization {
  std::uint32_t map[0x10000];
  std::uint8_t identity[0x100];
};
const BmpNormalization& bmp_normalization() noexcept;
inline std::uint32_t normalize_with(const BmpNormalization& t, char32_t cp) noexcept {
  if (cp < 0x10000) return t.identity[cp >> 8] ? std::uint32_t{cp} : t.map[cp];
  return normalize_cp(cp);
}

// Decodes one code point from UTF-8 at s[i], advancing i; malformed input yields U+FFFD and
// consumes one byte (maximal-subpart is not needed here).
inline char32_t decode_utf8(std::string_view s, std::size_t& i) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  unsigned c = p[i];
  if (c < 0x80) { ++i; return c; }
  if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
    char32_t r = ((c & 0x1F) << 6) | (p[i + 1] & 0x3F);
    i += 2;
    return r;
  }
  if (c >= 0xE0 && c <= 0xEF && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
    char32_t r = ((c & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
    if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) { i += 3; return r; }
  } else if (c >= 0xF0 && c <= 0xF4 && i + 3 < n && (p[i + 1] & 0xC0) == 0x80 &&
             (p[i + 2] & 0xC0) == 0x80 && (p[i + 3] & 0xC0) == 0x80) {
    char32_t r = ((c & 0x07) << 18) | ((p[i + 1] & 0x3F) << 12) | ((p[i + 2] & 0x3F) << 6) | (p[i + 3] & 0x3F);
    if (r >= 0x10000 && r <= 0x10FFFF) { i += 4; return r; }
  }
  ++i;
  return 0xFFFD;
}

}  // namespace ungarble::model
