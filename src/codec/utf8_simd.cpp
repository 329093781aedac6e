// utf8_simd.cpp — UTF-8 validation and ASCII-run scanning at memory speed.
//
// Validation follows the idea of Keiser & Lemire, "Validating UTF-8 in less than one instruction
// per byte" (Software: Practice and Experience, 2021): almost every way UTF-8 can be ill-formed
// is visible in a pair of adjacent bytes, and the pair is classified by three 16-entry table
// look-ups — on the high nibble of the first byte, the low nibble of the first byte and the high
// nibble of the second — ANDed together: each table entry is a set of error classes, and a pair is
// in error when all three agree on one class. What a pair cannot show (a 3-/4-byte sequence with
// too few or too many continuation bytes) is settled by comparing "this byte is a continuation
// that follows another continuation" (one of the classes) with "a lead byte 2 or 3 positions back
// asks for a continuation here". The tables below are written from that description and checked
// at compile time against a plain byte-pair rule for all 256 × 16 cases (pair_tables_are_exact).
//
// Kernels: scalar (any CPU, any architecture), SSE4.2 (16-byte vectors; really SSSE3 shuffles +
// SSE4.1 ptest) and AVX2 (32-byte vectors). They are compiled with per-function target attributes,
// so the library itself still targets baseline x86-64, and chosen once at run time with
// __builtin_cpu_supports. Non-x86 builds (or -DUNGARBLE_NO_SIMD) have the scalar kernel only.
#include "codec/utf8_simd.h"

#include <array>
#include <atomic>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(UNGARBLE_NO_SIMD)
#define UNGARBLE_UTF8_X86 1
#include <immintrin.h>
#else
#define UNGARBLE_UTF8_X86 0
#endif

namespace ungarble {
namespace codec::utf8_simd {
namespace {

// ---- Scalar ------------------------------------------------------------------------------------

inline bool is_cont(std::uint8_t b) { return (b & 0xC0) == 0x80; }

std::size_t scalar_ascii_prefix(const std::uint8_t* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// Unicode table 3-7, one sequence at a time.
std::size_t scalar_valid_prefix(const std::uint8_t* p, std::size_t n) noexcept {
  std::size_t i = 0;
  while (i < n) {
    std::uint8_t b = p[i];
    if (b < 0x80) {
      i += scalar_ascii_prefix(p + i, n - i);
      continue;
    }
    if (b < 0xC2) return i;
    if (b < 0xE0) {
      if (i + 1 >= n || !is_cont(p[i + 1])) return i;
      i += 2;
    } else if (b < 0xF0) {
      if (i + 2 >= n) return i;
      std::uint8_t lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
      if (p[i + 1] < lo || p[i + 1] > hi || !is_cont(p[i + 2])) return i;
      i += 3;
    } else if (b < 0xF5) {
      if (i + 3 >= n) return i;
      std::uint8_t lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
      if (p[i + 1] < lo || p[i + 1] > hi || !is_cont(p[i + 2]) || !is_cont(p[i + 3])) return i;
      i += 4;
    } else {
      return i;
    }
  }
  return n;
}

// ---- The pair tables ---------------------------------------------------------------------------
//
// Error classes, one bit each (two classes share bit 6: their low-nibble sets are disjoint, so
// the AND keeps them apart). "1st" is the earlier byte of the pair, "2nd" the later one.
constexpr std::uint8_t kTooShort = 1 << 0;    // lead, then ASCII or another lead
constexpr std::uint8_t kTooLong = 1 << 1;     // ASCII, then a continuation
constexpr std::uint8_t kOverlong3 = 1 << 2;   // E0, then 80–9F
constexpr std::uint8_t kTooLarge = 1 << 3;    // F4–FF, then 90–BF
constexpr std::uint8_t kSurrogate = 1 << 4;   // ED, then A0–BF
constexpr std::uint8_t kOverlong2 = 1 << 5;   // C0 or C1, then a continuation
constexpr std::uint8_t kTooLarge80 = 1 << 6;  // F5–FF, then 80–8F
constexpr std::uint8_t kOverlong4 = 1 << 6;   // F0, then 80–8F
constexpr std::uint8_t kTwoConts = 1 << 7;    // continuation, then continuation (not an error
                                              // by itself: compared with what leads require)
constexpr std::uint8_t kAnyFirstLow = kTooShort | kTooLong | kTwoConts;

// Indexed by the high nibble of the 1st byte.
constexpr std::array<std::uint8_t, 16> kFirstHigh = {
    kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,  // 0–7
    kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                      // 8–B
    kTooShort | kOverlong2,                                                          // C
    kTooShort,                                                                       // D
    kTooShort | kOverlong3 | kSurrogate,                                             // E
    kTooShort | kTooLarge | kTooLarge80 | kOverlong4,                                // F
};
// Indexed by the low nibble of the 1st byte.
constexpr std::array<std::uint8_t, 16> kFirstLow = {
    kAnyFirstLow | kOverlong3 | kOverlong2 | kOverlong4,        // 0: C0 E0 F0
    kAnyFirstLow | kOverlong2,                                  // 1: C1
    kAnyFirstLow,                                               // 2
    kAnyFirstLow,                                               // 3
    kAnyFirstLow | kTooLarge,                                   // 4: F4
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // 5
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // 6
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // 7
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // 8
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // 9
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // A
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // B
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // C
    kAnyFirstLow | kTooLarge | kTooLarge80 | kSurrogate,        // D: ED
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // E
    kAnyFirstLow | kTooLarge | kTooLarge80,                     // F
};
// Indexed by the high nibble of the 2nd byte.
constexpr std::uint8_t kCont8 = kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge80 |
                                kOverlong4;
constexpr std::uint8_t kCont9 = kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge;
constexpr std::uint8_t kContAB = kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge;
constexpr std::array<std::uint8_t, 16> kSecondHigh = {
    kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
    kCont8, kCont9, kContAB, kContAB,
    kTooShort, kTooShort, kTooShort, kTooShort,
};

constexpr std::uint8_t pair_classes(std::uint8_t first, std::uint8_t second_high) {
  return kFirstHigh[first >> 4] & kFirstLow[first & 15] & kSecondHigh[second_high];
}

// The byte-pair rule the tables must encode. Returns 0x80 for "continuation after continuation",
// 1 for a pair that no well-formed text contains, 0 otherwise.
constexpr int pair_rule(int first, int second_high) {
  const bool cont2 = second_high >= 8 && second_high <= 11;
  if (first < 0x80) return cont2 ? 1 : 0;
  if (first < 0xC0) return cont2 ? 0x80 : 0;
  if (!cont2) return 1;                                  // lead without continuation
  if (first < 0xC2) return 1;                            // overlong 2-byte
  if (first == 0xE0 && second_high < 0xA) return 1;      // overlong 3-byte
  if (first == 0xED && second_high >= 0xA) return 1;     // surrogate
  if (first == 0xF0 && second_high == 8) return 1;       // overlong 4-byte
  if (first == 0xF4 && second_high >= 9) return 1;       // above U+10FFFF
  if (first >= 0xF5) return 1;                           // no such lead
  return 0;
}

constexpr bool pair_tables_are_exact() {
  for (int a = 0; a < 256; ++a) {
    for (int h = 0; h < 16; ++h) {
      const std::uint8_t c = pair_classes(static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(h));
      const int want = pair_rule(a, h);
      if ((c & 0x80) != (want & 0x80)) return false;
      if (((c & 0x7F) != 0) != ((want & 1) != 0)) return false;
    }
  }
  return true;
}
static_assert(pair_tables_are_exact(), "UTF-8 pair tables disagree with the byte-pair rule");

#if UNGARBLE_UTF8_X86

#define UG_SSE42 __attribute__((target("sse4.2")))
#define UG_AVX2 __attribute__((target("avx2")))

// Continuation required at position i when byte i-2 is ≥ E0 or byte i-3 is ≥ F0: as a
// saturating subtraction, bit 7 of (b - 0x60) is set exactly when b ≥ E0, of (b - 0x70) when
// b ≥ F0.
constexpr std::uint8_t kThirdSub = 0xE0 - 0x80;
constexpr std::uint8_t kFourthSub = 0xF0 - 0x80;

// A block whose last bytes are an unfinished sequence: byte n-3 ≥ F0, n-2 ≥ E0 or n-1 ≥ C0.
// (Saturating subtraction of these maxima is non-zero exactly then.)
template <std::size_t N>
constexpr std::array<std::uint8_t, N> incomplete_max() {
  std::array<std::uint8_t, N> a{};
  for (auto& x : a) x = 0xFF;
  a[N - 3] = 0xF0 - 1;
  a[N - 2] = 0xE0 - 1;
  a[N - 1] = 0xC0 - 1;
  return a;
}

template <std::size_t N>
constexpr std::array<std::uint8_t, N> repeat16(const std::array<std::uint8_t, 16>& t) {
  std::array<std::uint8_t, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = t[i % 16];
  return a;
}

alignas(32) constexpr std::array<std::uint8_t, 32> kFirstHigh32 = repeat16<32>(kFirstHigh);
alignas(32) constexpr std::array<std::uint8_t, 32> kFirstLow32 = repeat16<32>(kFirstLow);
alignas(32) constexpr std::array<std::uint8_t, 32> kSecondHigh32 = repeat16<32>(kSecondHigh);
alignas(16) constexpr std::array<std::uint8_t, 16> kIncomplete16 = incomplete_max<16>();
alignas(32) constexpr std::array<std::uint8_t, 32> kIncomplete32 = incomplete_max<32>();

// ---- SSE4.2 ------------------------------------------------------------------------------------

struct Sse {
  __m128i first_high, first_low, second_high, incomplete, nibble, third, fourth, bit7;
  UG_SSE42 Sse()
      : first_high(_mm_load_si128(reinterpret_cast<const __m128i*>(kFirstHigh32.data()))),
        first_low(_mm_load_si128(reinterpret_cast<const __m128i*>(kFirstLow32.data()))),
        second_high(_mm_load_si128(reinterpret_cast<const __m128i*>(kSecondHigh32.data()))),
        incomplete(_mm_load_si128(reinterpret_cast<const __m128i*>(kIncomplete16.data()))),
        nibble(_mm_set1_epi8(0x0F)),
        third(_mm_set1_epi8(static_cast<char>(kThirdSub))),
        fourth(_mm_set1_epi8(static_cast<char>(kFourthSub))),
        bit7(_mm_set1_epi8(static_cast<char>(0x80))) {}

  // Error bits of the 16 bytes of `in`, given the 16 bytes before them.
  UG_SSE42 __m128i check(__m128i in, __m128i prev) const {
    const __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    const __m128i prev2 = _mm_alignr_epi8(in, prev, 14);
    const __m128i prev3 = _mm_alignr_epi8(in, prev, 13);
    const __m128i h1 = _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble);
    const __m128i l1 = _mm_and_si128(prev1, nibble);
    const __m128i h2 = _mm_and_si128(_mm_srli_epi16(in, 4), nibble);
    const __m128i classes =
        _mm_and_si128(_mm_and_si128(_mm_shuffle_epi8(first_high, h1), _mm_shuffle_epi8(first_low, l1)),
                      _mm_shuffle_epi8(second_high, h2));
    const __m128i must = _mm_and_si128(
        _mm_or_si128(_mm_subs_epu8(prev2, third), _mm_subs_epu8(prev3, fourth)), bit7);
    return _mm_xor_si128(classes, must);
  }
  UG_SSE42 __m128i unfinished(__m128i in) const { return _mm_subs_epu8(in, incomplete); }
};

UG_SSE42 inline __m128i load16(const std::uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// The error bits of 64 bytes at p; updates prev (last 16 bytes) and pending (an unfinished
// sequence at the end, which is an error if the next block starts with ASCII).
UG_SSE42 inline __m128i sse_block64(const Sse& k, const std::uint8_t* p, __m128i& prev,
                                    __m128i& pending) {
  const __m128i a = load16(p), b = load16(p + 16), c = load16(p + 32), d = load16(p + 48);
  const __m128i any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
  __m128i err;
  if (_mm_movemask_epi8(any) == 0) {
    err = pending;
    pending = _mm_setzero_si128();
  } else {
    err = _mm_or_si128(_mm_or_si128(k.check(a, prev), k.check(b, a)),
                       _mm_or_si128(k.check(c, b), k.check(d, c)));
    pending = k.unfinished(d);
  }
  prev = d;
  return err;
}

UG_SSE42 bool sse_validate(const std::uint8_t* p, std::size_t n) noexcept {
  const Sse k;
  __m128i prev = _mm_setzero_si128(), pending = _mm_setzero_si128(), err = _mm_setzero_si128();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    err = _mm_or_si128(err, sse_block64(k, p + i, prev, pending));
    if (!_mm_testz_si128(err, err)) return false;
  }
  if (i < n) {
    // The tail, padded with NULs: a sequence cut short by the end meets a NUL and fails.
    alignas(16) std::uint8_t buf[64] = {};
    std::memcpy(buf, p + i, n - i);
    err = _mm_or_si128(err, sse_block64(k, buf, prev, pending));
  }
  err = _mm_or_si128(err, pending);
  return _mm_testz_si128(err, err);
}

// First byte of the sequence that may be unfinished at the end of the validated p[0, i).
inline std::size_t back_to_boundary(const std::uint8_t* p, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && i - j < 3 && is_cont(p[j - 1])) --j;
  if (j > 0 && p[j - 1] >= 0xC0) --j;  // the lead byte (of at most 3 continuation bytes seen)
  return j;
}

UG_SSE42 std::size_t sse_valid_prefix(const std::uint8_t* p, std::size_t n) noexcept {
  const Sse k;
  __m128i prev = _mm_setzero_si128(), pending = _mm_setzero_si128();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m128i err = sse_block64(k, p + i, prev, pending);
    if (!_mm_testz_si128(err, err)) break;
  }
  // Everything before i is well-formed but for a possibly unfinished last sequence: the scalar
  // code takes over from its lead byte for the (short) rest or to pin the error down.
  const std::size_t j = back_to_boundary(p, i);
  return j + scalar_valid_prefix(p + j, n - j);
}

UG_SSE42 std::size_t sse_ascii_prefix(const std::uint8_t* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m128i a = load16(p + i), b = load16(p + i + 16), c = load16(p + i + 32),
                  d = load16(p + i + 48);
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)))) break;
  }
  for (; i + 16 <= n; i += 16) {
    const int m = _mm_movemask_epi8(load16(p + i));
    if (m) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(m)));
  }
  if (n >= 16 && i < n) {
    // The last 16 bytes, overlapping what was already seen (all ASCII).
    const int m = _mm_movemask_epi8(load16(p + n - 16));
    return m ? n - 16 + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(m))) : n;
  }
  return i + scalar_ascii_prefix(p + i, n - i);
}

// ---- AVX2 --------------------------------------------------------------------------------------

struct Avx {
  __m256i first_high, first_low, second_high, incomplete, nibble, third, fourth, bit7;
  UG_AVX2 Avx()
      : first_high(_mm256_load_si256(reinterpret_cast<const __m256i*>(kFirstHigh32.data()))),
        first_low(_mm256_load_si256(reinterpret_cast<const __m256i*>(kFirstLow32.data()))),
        second_high(_mm256_load_si256(reinterpret_cast<const __m256i*>(kSecondHigh32.data()))),
        incomplete(_mm256_load_si256(reinterpret_cast<const __m256i*>(kIncomplete32.data()))),
        nibble(_mm256_set1_epi8(0x0F)),
        third(_mm256_set1_epi8(static_cast<char>(kThirdSub))),
        fourth(_mm256_set1_epi8(static_cast<char>(kFourthSub))),
        bit7(_mm256_set1_epi8(static_cast<char>(0x80))) {}

  UG_AVX2 __m256i check(__m256i in, __m256i prev) const {
    // Per 128-bit lane, alignr shifts within the lane; feed it the lane before (the previous
    // vector's upper lane for the lower lane) so that prevN are the bytes N positions back.
    const __m256i before = _mm256_permute2x128_si256(prev, in, 0x21);
    const __m256i prev1 = _mm256_alignr_epi8(in, before, 15);
    const __m256i prev2 = _mm256_alignr_epi8(in, before, 14);
    const __m256i prev3 = _mm256_alignr_epi8(in, before, 13);
    const __m256i h1 = _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble);
    const __m256i l1 = _mm256_and_si256(prev1, nibble);
    const __m256i h2 = _mm256_and_si256(_mm256_srli_epi16(in, 4), nibble);
    const __m256i classes = _mm256_and_si256(
        _mm256_and_si256(_mm256_shuffle_epi8(first_high, h1), _mm256_shuffle_epi8(first_low, l1)),
        _mm256_shuffle_epi8(second_high, h2));
    const __m256i must = _mm256_and_si256(
        _mm256_or_si256(_mm256_subs_epu8(prev2, third), _mm256_subs_epu8(prev3, fourth)), bit7);
    return _mm256_xor_si256(classes, must);
  }
  UG_AVX2 __m256i unfinished(__m256i in) const { return _mm256_subs_epu8(in, incomplete); }
};

UG_AVX2 inline __m256i load32(const std::uint8_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

UG_AVX2 inline __m256i avx_block64(const Avx& k, const std::uint8_t* p, __m256i& prev,
                                   __m256i& pending) {
  const __m256i a = load32(p), b = load32(p + 32);
  __m256i err;
  if (_mm256_movemask_epi8(_mm256_or_si256(a, b)) == 0) {
    err = pending;
    pending = _mm256_setzero_si256();
  } else {
    err = _mm256_or_si256(k.check(a, prev), k.check(b, a));
    pending = k.unfinished(b);
  }
  prev = b;
  return err;
}

UG_AVX2 bool avx2_validate(const std::uint8_t* p, std::size_t n) noexcept {
  const Avx k;
  __m256i prev = _mm256_setzero_si256(), pending = _mm256_setzero_si256(),
          err = _mm256_setzero_si256();
  std::size_t i = 0;
  // Two 64-byte blocks per error test: the test is a dependency the loop need not wait on often.
  for (; i + 128 <= n; i += 128) {
    err = _mm256_or_si256(err, avx_block64(k, p + i, prev, pending));
    err = _mm256_or_si256(err, avx_block64(k, p + i + 64, prev, pending));
    if (!_mm256_testz_si256(err, err)) return false;
  }
  for (; i + 64 <= n; i += 64) err = _mm256_or_si256(err, avx_block64(k, p + i, prev, pending));
  if (i < n) {
    alignas(32) std::uint8_t buf[64] = {};
    std::memcpy(buf, p + i, n - i);
    err = _mm256_or_si256(err, avx_block64(k, buf, prev, pending));
  }
  err = _mm256_or_si256(err, pending);
  return _mm256_testz_si256(err, err);
}

UG_AVX2 std::size_t avx2_valid_prefix(const std::uint8_t* p, std::size_t n) noexcept {
  const Avx k;
  __m256i prev = _mm256_setzero_si256(), pending = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m256i err = avx_block64(k, p + i, prev, pending);
    if (!_mm256_testz_si256(err, err)) break;
  }
  const std::size_t j = back_to_boundary(p, i);
  return j + scalar_valid_prefix(p + j, n - j);
}

UG_AVX2 std::size_t avx2_ascii_prefix(const std::uint8_t* p, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 64 <= n; i += 64) {
    const __m256i a = load32(p + i), b = load32(p + i + 32);
    if (_mm256_movemask_epi8(_mm256_or_si256(a, b))) break;
  }
  for (; i + 32 <= n; i += 32) {
    const unsigned m = static_cast<unsigned>(_mm256_movemask_epi8(load32(p + i)));
    if (m) return i + static_cast<std::size_t>(__builtin_ctz(m));
  }
  if (n >= 32 && i < n) {
    const unsigned m = static_cast<unsigned>(_mm256_movemask_epi8(load32(p + n - 32)));
    return m ? n - 32 + static_cast<std::size_t>(__builtin_ctz(m)) : n;
  }
  // Fewer than 32 bytes in all: SSE2 is part of x86-64.
  for (; i + 16 <= n; i += 16) {
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(load16(p + i)));
    if (m) return i + static_cast<std::size_t>(__builtin_ctz(m));
  }
  return i + scalar_ascii_prefix(p + i, n - i);
}

#endif  // UNGARBLE_UTF8_X86

// ---- Dispatch ----------------------------------------------------------------------------------

Isa detect() noexcept {
#if UNGARBLE_UTF8_X86
  __builtin_cpu_init();  // dispatch may run before libgcc's own constructor
  if (__builtin_cpu_supports("avx2")) return Isa::avx2;
  if (__builtin_cpu_supports("sse4.2")) return Isa::sse42;
#endif
  return Isa::scalar;
}

std::atomic<int> g_active{-1};

inline Isa active() noexcept {
  int v = g_active.load(std::memory_order_relaxed);
  if (v < 0) {
    v = static_cast<int>(detected_isa());
    g_active.store(v, std::memory_order_relaxed);
  }
  return static_cast<Isa>(v);
}

inline Isa clamp(Isa isa) noexcept {
  const Isa d = detected_isa();
  return static_cast<int>(isa) > static_cast<int>(d) ? d : isa;
}

}  // namespace

const char* isa_name(Isa isa) noexcept {
  switch (isa) {
    case Isa::scalar: return "scalar";
    case Isa::sse42: return "sse4.2";
    case Isa::avx2: return "avx2";
  }
  return "?";
}

Isa detected_isa() noexcept {
  static const Isa d = detect();
  return d;
}
Isa active_isa() noexcept { return active(); }
Isa force_isa(Isa isa) noexcept {
  isa = clamp(isa);
  g_active.store(static_cast<int>(isa), std::memory_order_relaxed);
  return isa;
}
void reset_isa() noexcept { g_active.store(static_cast<int>(detected_isa()), std::memory_order_relaxed); }

bool validate(const std::uint8_t* p, std::size_t n, Isa isa) noexcept {
  switch (clamp(isa)) {
#if UNGARBLE_UTF8_X86
    case Isa::avx2: return avx2_validate(p, n);
    case Isa::sse42: return sse_validate(p, n);
#endif
    default: return scalar_valid_prefix(p, n) == n;
  }
}

std::size_t valid_prefix(const std::uint8_t* p, std::size_t n, Isa isa) noexcept {
  switch (clamp(isa)) {
#if UNGARBLE_UTF8_X86
    case Isa::avx2: return avx2_valid_prefix(p, n);
    case Isa::sse42: return sse_valid_prefix(p, n);
#endif
    default: return scalar_valid_prefix(p, n);
  }
}

std::size_t ascii_prefix(const std::uint8_t* p, std::size_t n, Isa isa) noexcept {
  switch (clamp(isa)) {
#if UNGARBLE_UTF8_X86
    case Isa::avx2: return avx2_ascii_prefix(p, n);
    case Isa::sse42: return sse_ascii_prefix(p, n);
#endif
    default: return scalar_ascii_prefix(p, n);
  }
}

std::size_t ascii_prefix_length_dispatch(const std::uint8_t* p, std::size_t n) noexcept {
  switch (active()) {
#if UNGARBLE_UTF8_X86
    case Isa::avx2: return avx2_ascii_prefix(p, n);
    case Isa::sse42: return sse_ascii_prefix(p, n);
#endif
    default: return scalar_ascii_prefix(p, n);
  }
}

}  // namespace codec::utf8_simd

// ---- Entry points ------------------------------------------------------------------------------

bool is_valid_utf8(const std::uint8_t* p, std::size_t n) noexcept {
  using namespace codec::utf8_simd;
  switch (active()) {
#if UNGARBLE_UTF8_X86
    case Isa::avx2: return avx2_validate(p, n);
    case Isa::sse42: return sse_validate(p, n);
#endif
    default: return scalar_valid_prefix(p, n) == n;
  }
}

std::size_t utf8_valid_prefix_length(const std::uint8_t* p, std::size_t n) noexcept {
  using namespace codec::utf8_simd;
  switch (active()) {
#if UNGARBLE_UTF8_X86
    case Isa::avx2: return avx2_valid_prefix(p, n);
    case Isa::sse42: return sse_valid_prefix(p, n);
#endif
    default: return scalar_valid_prefix(p, n);
  }
}

bool is_valid_utf8(std::span<const std::uint8_t> bytes) noexcept {
  return is_valid_utf8(bytes.data(), bytes.size());
}

std::size_t ascii_prefix_length(std::span<const std::uint8_t> bytes) noexcept {
  return ascii_prefix_length(bytes.data(), bytes.size());
}

}  // namespace ungarble
