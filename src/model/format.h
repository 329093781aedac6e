// The .ugm file: one language model, used in place after mmap. All integers little-endian.
//
//   Header (kHeaderSize bytes, below)
//   vocab bitmap      8192 bytes: bit cp set ⇔ BMP symbol cp is in the vocabulary
//   astral vocab      astral_count × u32, sorted (symbols ≥ 0x10000)
//   class penalties   kClassCount × f32: log2 of "which member of the class" for unseen chars
//   prob codebook     256 × f32: log2 P for each 8-bit code
//   backoff codebook  256 × f32: log2 backoff for each 8-bit code (code 0 = 0.0)
//   table             slot_count × u32 entries: fingerprint(16) | prob code(8) | backoff code(8)
//
// An n-gram (c_1 … c_{k-1}, w) is found by hashing its symbols newest first,
// g = step(…step(seed(w), c_{k-1})…, c_1); slot = (g · slot_count) >> 64 with linear probing;
// fingerprint = low 16 bits of g (0 means empty, so 0 is stored as 1). The CRC-32C
// covers the whole file with the crc field read as zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "model/normalize.h"

namespace ungarble::model {

inline constexpr char kMagic[8] = {'U', 'G', 'L', 'M', 'o', 'd', 'e', 'l'};
inline constexpr std::uint32_t kFormatVersion = 1;  // 1: CRC-32C, 8-bit codes, order ≤ 5
inline constexpr std::size_t kHeaderSize = 256;
inline constexpr std::size_t kBitmapBytes = 8192;
inline constexpr int kMaxOrder = 6;

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_size;
  std::uint64_t file_size;
  std::uint32_t crc32;
  std::uint32_t order;
  char lang[16];    // NUL-padded
  char script[8];   // NUL-padded
  std::uint64_t training_chars;
  std::uint64_t training_bytes;
  std::uint32_t ngram_count;
  std::uint32_t slot_count;
  std::uint32_t vocab_size;     // symbols in the vocabulary (excluding class symbols)
  std::uint32_t astral_count;
  std::uint64_t bitmap_off, astral_off, penalty_off, prob_cb_off, bow_cb_off, table_off;
  std::uint8_t reserved[kHeaderSize - 8 - 4 - 4 - 8 - 4 - 4 - 16 - 8 - 8 - 8 - 4 - 4 - 4 - 4 - 6 * 8];
};
static_assert(sizeof(Header) == kHeaderSize);

inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 31;
  x *= 0x7fb5d329728ea185ULL;
  x ^= x >> 27;
  x *= 0x81dadef4bc2dd44dULL;
  x ^= x >> 33;
  return x;
}
inline std::uint64_t hash_seed(std::uint32_t w) noexcept {
  return mix64(0x9E3779B97F4A7C15ULL ^ (std::uint64_t{w} * 0xD6E8FEB86659FD93ULL));
}
inline std::uint64_t hash_step(std::uint64_t g, std::uint32_t c) noexcept {
  return mix64(g + 0x632BE59BD9B4E019ULL + (std::uint64_t{c} << 1));
}
inline std::uint32_t slot_of(std::uint64_t g, std::uint32_t slots) noexcept {
  return static_cast<std::uint32_t>((static_cast<unsigned __int128>(g) * slots) >> 64);
}
inline std::uint32_t fingerprint(std::uint64_t g) noexcept {
  std::uint32_t f = static_cast<std::uint32_t>(g & 0xFFFF);
  return f == 0 ? 1 : f;
}

// CRC-32C (Castagnoli); crc32() uses the SSE4.2 instruction when present.
std::uint32_t crc32(const void* data, std::size_t n, std::uint32_t crc = 0) noexcept;
std::uint32_t crc32c_software(const void* data, std::size_t n, std::uint32_t crc = 0) noexcept;

}  // namespace ungarble::model
