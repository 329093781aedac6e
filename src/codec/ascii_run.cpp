// ascii_run.cpp — scalar stand-ins for the UTF-8 primitives of utf8_simd.h, for a build without
// utf8_simd.cpp (see CMakeLists.txt). The decoders call them on every ASCII run and every UTF-8
// chunk, so they must exist in every build; with utf8_simd.cpp this file compiles to nothing.
#ifndef UNGARBLE_HAVE_SIMD_UTF8
#include <cstring>

#include "codec/decoder_core.h"

namespace ungarble {

namespace codec::utf8_simd {
std::size_t ascii_prefix_length_dispatch(const std::uint8_t* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}
}  // namespace codec::utf8_simd

std::size_t utf8_valid_prefix_length(const std::uint8_t* p, std::size_t n) noexcept {
  std::size_t i = 0;
  while (i < n) {
    i += ascii_prefix_length(p + i, n - i);
    if (i >= n) break;
    std::uint8_t b = p[i];
    if (b >= 0xC2 && b <= 0xDF) {
      if (i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) break;
      i += 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      if (i + 2 >= n) break;
      std::uint8_t lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
      if (p[i + 1] < lo || p[i + 1] > hi || (p[i + 2] & 0xC0) != 0x80) break;
      i += 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      if (i + 3 >= n) break;
      std::uint8_t lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
      if (p[i + 1] < lo || p[i + 1] > hi || (p[i + 2] & 0xC0) != 0x80 ||
          (p[i + 3] & 0xC0) != 0x80)
        break;
      i += 4;
    } else {
      break;
    }
  }
  return i;
}

bool is_valid_utf8(const std::uint8_t* p, std::size_t n) noexcept {
  return utf8_valid_prefix_length(p, n) == n;
}
std::size_t ascii_prefix_length(std::span<const std::uint8_t> b) noexcept {
  return ascii_prefix_length(b.data(), b.size());
}
bool is_valid_utf8(std::span<const std::uint8_t> b) noexcept {
  return is_valid_utf8(b.data(), b.size());
}

}  // namespace ungarble
#endif
