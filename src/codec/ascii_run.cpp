// ascii_run.cpp — how long the ASCII run at the front of a buffer is. Every decoder copies such
// runs in bulk, and most text on the web is mostly ASCII, so this is the hottest loop we have.
#include <cstring>

#include "codec/decoder_core.h"

namespace ungarble::codec {

std::size_t ascii_run(const std::uint8_t* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

}  // namespace ungarble::codec

#ifndef UNGARBLE_HAVE_SIMD_UTF8
// Scalar stand-ins until the SIMD kernels (utf8_simd.cpp) are in the build.
namespace ungarble {
std::size_t ascii_prefix_length(std::span<const std::uint8_t> b) noexcept {
  return codec::ascii_run(b.data(), b.size());
}
bool is_valid_utf8(std::span<const std::uint8_t> b) noexcept {
  std::string sink;
  return decode(b, EncodingId::utf_8, {DecodeErrorMode::strict}, BomPolicy::keep).ok;
}
}  // namespace ungarble
#endif
