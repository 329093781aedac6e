// special.cpp — the two WHATWG encodings that are not really encodings: "replacement" (labels
// of encodings the web must never decode, such as ISO-2022-KR and HZ: any input is one error)
// and "x-user-defined" (bytes 80–FF to the private-use block U+F780–U+F7FF).
#include "codec/decoder_core.h"

namespace ungarble::codec {
namespace {

class ReplacementDecoder final : public Decoder {
 public:
  void feed(const std::uint8_t* p, std::size_t n, std::uint64_t base, bool, Sink& s) override {
    if (n && !reported_) {
      reported_ = true;
      s.error(p, 1, base);  // the error is the stream; its first byte stands for it
    }
  }

 private:
  bool reported_ = false;
};

class UserDefinedDecoder final : public Decoder {
 public:
  void feed(const std::uint8_t* p, std::size_t n, std::uint64_t, bool, Sink& s) override {
    std::size_t i = 0;
    while (i < n) {
      std::size_t k = ascii_run(p + i, n - i);
      s.ascii(p + i, k);
      i += k;
      if (i < n) s.put(0xF780 + p[i++] - 0x80);
    }
  }
};

}  // namespace

Decoder* new_special_decoder(EncodingId id) {
  switch (id) {
    case EncodingId::replacement: return new ReplacementDecoder();
    case EncodingId::x_user_defined: return new UserDefinedDecoder();
    default: return nullptr;
  }
}

}  // namespace ungarble::codec
