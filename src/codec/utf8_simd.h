// utf8_simd.h — private UTF-8 primitives for the decoders: ASCII-run length, strict UTF-8
// validation and the length of the longest well-formed prefix, each with SSE4.2 and AVX2 kernels
// picked at run time (scalar elsewhere). The public entry points are in ungarble/codec.h
// (is_valid_utf8(span), ascii_prefix_length(span)); these pointer/length forms skip the span and
// make the common "no ASCII here" case an inline test, which matters for CJK text where a
// decoder asks for the ASCII run after almost every character.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ungarble/codec.h"

namespace ungarble {

namespace codec::utf8_simd {
std::size_t ascii_prefix_length_dispatch(const std::uint8_t* p, std::size_t n) noexcept;
}  // namespace codec::utf8_simd

// Length of the leading run of bytes < 0x80 in p[0, n).
inline std::size_t ascii_prefix_length(const std::uint8_t* p, std::size_t n) noexcept {
  if (n == 0 || p[0] >= 0x80) return 0;
  return codec::utf8_simd::ascii_prefix_length_dispatch(p, n);
}

// Strict UTF-8 (Unicode ch. 3, table 3-7): no overlongs, no surrogates, nothing above U+10FFFF,
// no sequence cut short at the end.
bool is_valid_utf8(const std::uint8_t* p, std::size_t n) noexcept;

// Length of the longest prefix of p[0, n) made of complete, well-formed UTF-8 sequences: n when
// the whole buffer is valid; otherwise the offset of the first byte of the first ill-formed or
// truncated sequence (always a character boundary).
std::size_t utf8_valid_prefix_length(const std::uint8_t* p, std::size_t n) noexcept;

namespace codec::utf8_simd {

// Which kernels run. Exposed for tests and benchmarks, which compare every path on the same
// input; the library itself always uses the best the CPU supports.
enum class Isa : int { scalar = 0, sse42 = 1, avx2 = 2 };
const char* isa_name(Isa isa) noexcept;

// The best ISA this CPU (and this build) supports.
Isa detected_isa() noexcept;
// The ISA the public entry points use now (detected_isa() unless overridden).
Isa active_isa() noexcept;
// Test hook: makes the public entry points use `isa`, clamped to detected_isa(); returns the
// ISA actually set. Not thread-safe with respect to concurrent callers' choice of kernel (each
// kernel gives the same answers, so this only matters for what a test means to measure).
Isa force_isa(Isa isa) noexcept;
// Restores detected_isa().
void reset_isa() noexcept;

// Direct calls of one kernel; `isa` must not exceed detected_isa() (it is clamped if it does).
bool validate(const std::uint8_t* p, std::size_t n, Isa isa) noexcept;
std::size_t valid_prefix(const std::uint8_t* p, std::size_t n, Isa isa) noexcept;
std::size_t ascii_prefix(const std::uint8_t* p, std::size_t n, Isa isa) noexcept;

}  // namespace codec::utf8_simd
}  // namespace ungarble
