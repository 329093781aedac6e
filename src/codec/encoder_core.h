// encoder_core.h — what every encoder shares: a per-code-point interface that says whether a
// character could be encoded, so that the error policy (strict, '?', drop, &#NNNN;) is applied
// in one place, the way the WHATWG "encode or fail" and "html" modes do.
#pragma once

#include <cstdint>
#include <string>

#include "ungarble/codec.h"

namespace ungarble::codec {

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Appends the bytes of `c` to `out` and returns true, or returns false when `c` cannot be
  // encoded; then *reported is the code point the error reports (ISO-2022-JP reports U+FFFD for
  // the control bytes it refuses).
  virtual bool put(char32_t c, std::string& out, char32_t* reported) = 0;
  // End of input (ISO-2022-JP returns to ASCII here).
  virtual void finish(std::string&) {}
};

Encoder* new_single_byte_encoder(EncodingId id);
Encoder* new_utf_encoder(EncodingId id);
Encoder* new_cjk_encoder(EncodingId id);

// Reverse table of a single-byte page: code point (BMP) → byte, 0 = not encodable.
const std::uint8_t* single_byte_reverse(EncodingId id);

}  // namespace ungarble::codec
