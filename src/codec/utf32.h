// utf32.h — UTF-32LE/BE (private to src/codec): the decoder and encoder factories that
// decode.cpp and encode.cpp dispatch to for EncodingId::utf_32le / utf_32be.
#pragma once

#include "codec/decoder_core.h"
#include "codec/encoder_core.h"

namespace ungarble::codec {

inline bool is_utf32(EncodingId id) noexcept {
  return id == EncodingId::utf_32le || id == EncodingId::utf_32be;
}

Decoder* new_utf32_decoder(EncodingId id);
Encoder* new_utf32_encoder(EncodingId id);

}  // namespace ungarble::codec
