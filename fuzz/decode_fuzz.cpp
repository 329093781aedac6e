// decode_fuzz.cpp — every decoder under every error policy on arbitrary bytes.
// Properties: no crash or sanitizer report; output is well-formed UTF-8; chunked decoding
// equals whole-buffer decoding; replace mode emits one U+FFFD per counted error at most as
// many as there are bytes; a strict success re-encodes to bytes that decode to the same text.
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
  std::uint8_t knobs = data[1];
  std::span<const std::uint8_t> in(data + 2, size - 2);
  DecodeErrors policies[] = {{DecodeErrorMode::replace}, {DecodeErrorMode::strict},
                             {DecodeErrorMode::question}, {DecodeErrorMode::ignore},
                             {DecodeErrorMode::fallback, EncodingId::windows_1252},
                             {DecodeErrorMode::fallback, EncodingId::iso_8859_1}};
  DecodeErrors policy = policies[knobs % 6];
  BomPolicy bom = static_cast<BomPolicy>((knobs >> 3) % 3);
  DecodeResult whole = decode(in, id, policy, bom);
  check(is_valid_utf8(whole.text));
  check(whole.errors <= in.size() + 1);

  // Same input in chunks whose sizes come from the input itself.
  StreamDecoder s(id, policy, bom);
  std::string out;
  std::size_t i = 0, step = 1 + (knobs >> 5);
  bool ok = true;
  while (i < in.size() && ok) {
    std::size_t k = std::min(step, in.size() - i);
    ok = s.feed(in.subspan(i, k), false, out);
    i += k;
    step = step * 3 % 7 + 1;
  }
  if (ok) ok = s.feed({}, true, out);
  check(out == whole.text);
  check(s.errors() == whole.errors);
  check(ok == whole.ok);

  if (policy.mode == DecodeErrorMode::strict && whole.ok && id != EncodingId::replacement) {
    EncodeResult e = encode(whole.text, s.used(), {EncodeErrorMode::ncr});
    DecodeResult again = decode(e.bytes, s.used(), {DecodeErrorMode::replace}, BomPolicy::keep);
    if (e.ok && e.errors == 0) check(again.text == whole.text || bom != BomPolicy::keep);
  }
  return 0;
}
