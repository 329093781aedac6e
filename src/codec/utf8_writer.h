// utf8_writer.h — how the decoders' bulk loops write UTF-8: through a pointer into the output
// string, with plain stores.
//
// Why: appending a character at a time (push_back, or append of 1–4 bytes) pays a capacity check
// and a length update per character, and that was most of the decoders' time. A bulk loop here
// keeps a write pointer and a limit, stores 16 bytes for an ASCII window or 4 bytes for any
// character and then advances by the bytes that count, and trims the string once at the end.
//
// std::string cannot grow without initialising what it adds (until C++23's
// resize_and_overwrite), so room is added in blocks that start small and double: the zero-fill
// stays proportional to what is written, and each block is still in cache when it is
// overwritten. Long ASCII runs skip all that and are appended straight from the input.
//
// A writer lives on the stack of one bulk loop and its address never escapes (grow() is static),
// so the compiler keeps its pointers in registers; a store through char* may alias any object
// whose address has escaped, which would force reloads on the hot path. For the same reason the
// loops copy the tables they read into locals.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "codec/utf8_simd.h"

namespace ungarble::codec {

// Number of leading bytes < 0x80 among p[0, 16) (16 when all are).
inline unsigned ascii_prefix16(const std::uint8_t* p) noexcept {
#if defined(__SSE2__)
  unsigned m = static_cast<unsigned>(
      _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  return m ? static_cast<unsigned>(std::countr_zero(m)) : 16;
#else
  if constexpr (std::endian::native == std::endian::little) {
    for (unsigned h = 0; h < 16; h += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + h, 8);
      if (std::uint64_t hi = w & 0x8080808080808080ULL) return h + std::countr_zero(hi) / 8;
    }
    return 16;
  } else {
    unsigned k = 0;
    while (k < 16 && p[k] < 0x80) ++k;
    return k;
  }
#endif
}

class Utf8Writer {
 public:
  explicit Utf8Writer(std::string& out) noexcept
      : out_(out), d_(out.data() + out.size()), lim_(d_) {}
  ~Utf8Writer() { out_.resize(static_cast<std::size_t>(d_ - out_.data())); }
  Utf8Writer(const Utf8Writer&) = delete;
  Utf8Writer& operator=(const Utf8Writer&) = delete;

  // Makes room for a store of k bytes at the write pointer.
  void ensure(std::size_t k) {
    if (static_cast<std::size_t>(lim_ - d_) < k) grow(k);
  }

  // One code point (any scalar value; callers never pass surrogates or values above U+10FFFF).
  void put(char32_t c) {
    ensure(4);
    char* d = d_;
    if (c < 0x80) {
      d[0] = static_cast<char>(c);
      d_ = d + 1;
    } else if (c < 0x800) {
      d[0] = static_cast<char>(0xC0 | (c >> 6));
      d[1] = static_cast<char>(0x80 | (c & 0x3F));
      d_ = d + 2;
    } else if (c < 0x10000) {
      d[0] = static_cast<char>(0xE0 | (c >> 12));
      d[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      d[2] = static_cast<char>(0x80 | (c & 0x3F));
      d_ = d + 3;
    } else {
      d[0] = static_cast<char>(0xF0 | (c >> 18));
      d[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      d[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      d[3] = static_cast<char>(0x80 | (c & 0x3F));
      d_ = d + 4;
    }
  }

  // The two stores below write into room already made by ensure(): a loop makes room for a
  // whole window at once rather than checking per character.

  // 16 bytes of ASCII (16 bytes of room).
  void store16(const std::uint8_t* q) {
    std::memcpy(d_, q, 16);
    d_ += 16;
  }

  // A character already encoded: 4 bytes are stored (4 bytes of room), the first `len` (1–4)
  // of them kept.
  void store_encoded(const void* four, unsigned len) {
    std::memcpy(d_, four, 4);
    d_ += len;
  }

  // Copies the ASCII run that starts at q (p[0] < 0x80) and returns where it ends (at the
  // first byte >= 0x80, or at end).
  const std::uint8_t* ascii(const std::uint8_t* q, const std::uint8_t* end) {
    if (end - q >= 16) {
      ensure(16);
      unsigned k = ascii_prefix16(q);
      std::memcpy(d_, q, 16);
      if (k < 16) {  // a short run, the common case between non-ASCII characters
        d_ += k;
        return q + k;
      }
      // A long run: the SIMD kernel finds its end; beyond the room at hand it is appended as is.
      std::size_t run = ascii_prefix_length(q, static_cast<std::size_t>(end - q));
      if (run <= static_cast<std::size_t>(lim_ - d_)) {
        std::memcpy(d_, q, run);
        d_ += run;
      } else {
        out_.resize(static_cast<std::size_t>(d_ - out_.data()));
        out_.append(reinterpret_cast<const char*>(q), run);
        d_ = lim_ = out_.data() + out_.size();
      }
      return q + run;
    }
    ensure(16);
    char* d = d_;
    while (q < end && *q < 0x80) *d++ = static_cast<char>(*q++);
    d_ = d;
    return q;
  }

 private:
  static constexpr std::size_t kFirstBlock = 64, kMaxBlock = 64 * 1024;

  struct Room {
    char* d;
    char* lim;
  };
  // Out of line (rare), and static so that the writer's address never escapes the hot loop.
  // Asks for `want` bytes but settles for what the capacity holds when that is at least `need`:
  // a caller that reserved enough for the whole output must not see it reallocated.
  [[gnu::noinline]] static Room grow(std::string& out, char* d, std::size_t need,
                                     std::size_t want) {
    std::size_t at = static_cast<std::size_t>(d - out.data());
    std::size_t spare = out.capacity() - at;
    out.resize(at + (want <= spare || need > spare ? want : spare));
    return {out.data() + at, out.data() + out.size()};
  }
  void grow(std::size_t k) {
    Room r = grow(out_, d_, k, block_ > k ? block_ : k);
    if (block_ < kMaxBlock) block_ *= 2;
    d_ = r.d;
    lim_ = r.lim;
  }

  std::string& out_;
  char* d_;
  char* lim_;  // the string's size() is always lim_ - data(); [d_, lim_) is room
  std::size_t block_ = kFirstBlock;
};

}  // namespace ungarble::codec
