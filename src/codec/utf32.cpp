// utf32.cpp — UTF-32LE and UTF-32BE. Not in the WHATWG standard (browsers never decode it), so
// the error handling follows the standard's UTF-16 decoder in spirit: every 4-byte code unit
// that is not a Unicode scalar value (above U+10FFFF, or a surrogate D800–DFFF) is one
// malformed sequence of those four bytes, and 1–3 bytes left at the end of the stream are one
// more. Decoding never resynchronises inside a unit: UTF-32 has no way to, and guessing would
// turn one error into many. Whole units in the clean state are decoded in bulk.
//
// The encoder writes every scalar value as four bytes; it never refuses a character (the
// UTF-8 reader in encode.cpp has already turned invalid input into errors).
#include "codec/utf32.h"

namespace ungarble::codec {
namespace {

template <bool BigEndian>
std::uint32_t unit_at(const std::uint8_t* p) {
  if constexpr (BigEndian)
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
  else
    return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

bool scalar(std::uint32_t c) { return c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF); }

template <bool BigEndian>
struct Utf32Handler {
  Held held;  // bytes of the unit being read (0–3)

  // Whole, valid units while nothing is held; stops before the first invalid unit so that
  // byte() reports it with its offset.
  std::size_t fast(const std::uint8_t* p, std::size_t n, Sink& s) {
    if (held.n) return 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
      std::uint32_t c = unit_at<BigEndian>(p + i);
      if (!scalar(c)) break;
      s.put(static_cast<char32_t>(c));
    }
    return i;
  }
  void byte(std::uint8_t b, std::uint64_t off, Replay&, Sink& s) {
    held.push(b, off);
    if (held.n < 4) return;
    std::uint32_t c = unit_at<BigEndian>(held.b);
    if (scalar(c)) {
      held.clear();
      s.put(static_cast<char32_t>(c));
    } else {
      held.error(s);
    }
  }
  bool eof(Replay&, Sink& s) {
    if (held.n) held.error(s);  // a unit cut by the end of the stream
    return true;
  }
};

template <bool BigEndian>
class Utf32Encoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t*) override {
    auto u = static_cast<std::uint32_t>(c);
    char b[4];
    for (int k = 0; k < 4; ++k) {
      int shift = BigEndian ? 24 - 8 * k : 8 * k;
      b[k] = static_cast<char>((u >> shift) & 0xFF);
    }
    out.append(b, 4);
    return true;
  }
};

}  // namespace

Decoder* new_utf32_decoder(EncodingId id) {
  switch (id) {
    case EncodingId::utf_32le: return new Driven<Utf32Handler<false>>();
    case EncodingId::utf_32be: return new Driven<Utf32Handler<true>>();
    default: return nullptr;
  }
}

Encoder* new_utf32_encoder(EncodingId id) {
  switch (id) {
    case EncodingId::utf_32le: return new Utf32Encoder<false>();
    case EncodingId::utf_32be: return new Utf32Encoder<true>();
    default: return nullptr;
  }
}

}  // namespace ungarble::codec
