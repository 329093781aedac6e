// CRC-32C (Castagnoli, as in iSCSI/ext4): SSE4.2 instruction when the CPU has it, else
// slice-by-8 tables. Both give the same value; the hardware path checks ~15 MB of models in a
// few milliseconds at load.
#include <array>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define UNGARBLE_CRC_HW 1
#endif

#include "model/format.h"

namespace ungarble::model {
namespace {
struct Tables {
  std::uint32_t t[8][256];
  Tables() {
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0x82F63B78u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (std::uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 8; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  }
};
const Tables& tables() {
  static const Tables t;
  return t;
}

std::uint32_t crc_sw(const unsigned char* p, std::size_t n, std::uint32_t crc) noexcept {
  const auto& T = tables().t;
  while (n >= 8) {
    std::uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + 4, 4);
    a ^= crc;
    crc = T[7][a & 0xFF] ^ T[6][(a >> 8) & 0xFF] ^ T[5][(a >> 16) & 0xFF] ^ T[4][a >> 24] ^
          T[3][b & 0xFF] ^ T[2][(b >> 8) & 0xFF] ^ T[1][(b >> 16) & 0xFF] ^ T[0][b >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) crc = T[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return crc;
}

#ifdef UNGARBLE_CRC_HW
__attribute__((target("sse4.2"))) std::uint32_t crc_hw(const unsigned char* p, std::size_t n,
                                                         std::uint32_t crc) noexcept {
  std::uint64_t c = crc;
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n--) c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}
bool have_hw() {
  static const bool yes = __builtin_cpu_supports("sse4.2");
  return yes;
}
#endif
}  // namespace

std::uint32_t crc32c_software(const void* data, std::size_t n, std::uint32_t crc) noexcept {
  return ~crc_sw(static_cast<const unsigned char*>(data), n, ~crc);
}

std::uint32_t crc32(const void* data, std::size_t n, std::uint32_t crc) noexcept {
#ifdef UNGARBLE_CRC_HW
  if (have_hw()) return ~crc_hw(static_cast<const unsigned char*>(data), n, ~crc);
#endif
  return crc32c_software(data, n, crc);
}

}  // namespace ungarble::model
