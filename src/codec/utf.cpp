// utf.cpp — UTF-8 and UTF-16BE/LE decoders, exactly as the WHATWG Encoding Standard defines
// them: one U+FFFD per maximal subpart of an ill-formed UTF-8 sequence, and for UTF-16 lone
// surrogates and odd trailing bytes reported as errors.
//
// UTF-8 in the clean state is decoded in bulk: the longest run of well-formed, complete
// sequences is validated by the SIMD kernels of utf8_simd.h and copied as is; only the bytes
// around an error or a chunk boundary go through the byte-at-a-time handler.
#include "codec/decoder_core.h"

namespace ungarble::codec {
namespace {

struct Utf8Handler {
  char32_t cp = 0;
  int seen = 0, needed = 0;
  std::uint8_t lower = 0x80, upper = 0xBF;
  Held held;

  std::size_t fast(const std::uint8_t* p, std::size_t n, Sink& s) {
    if (needed) return 0;
    std::size_t k = utf8_valid_prefix_length(p, n);  // SIMD (utf8_simd.h)
    s.ascii(p, k);
    return k;
  }
  void byte(std::uint8_t b, std::uint64_t off, Replay& rq, Sink& s) {
    if (needed == 0) {
      if (b < 0x80) {
        s.put(b);
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1, cp = b & 0x1F, held.push(b, off);
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2, cp = b & 0xF, held.push(b, off);
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3, cp = b & 0x7, held.push(b, off);
      } else {
        s.error(&b, 1, off);
      }
      return;
    }
    if (b < lower || b > upper) {
      cp = 0, needed = seen = 0, lower = 0x80, upper = 0xBF;
      rq.prepend(b, off);
      held.error(s);
      return;
    }
    lower = 0x80, upper = 0xBF;
    cp = (cp << 6) | (b & 0x3F);
    held.push(b, off);
    if (++seen != needed) return;
    s.put(cp);
    cp = 0, needed = seen = 0;
    held.clear();
  }
  bool eof(Replay&, Sink& s) {
    if (needed) {
      needed = seen = 0, cp = 0, lower = 0x80, upper = 0xBF;
      held.error(s);
    }
    return true;
  }
};

template <bool BigEndian>
struct Utf16Handler {
  int lead_byte = -1;
  int lead_surrogate = -1;
  Held held;

  std::size_t fast(const std::uint8_t*, std::size_t, Sink&) { return 0; }
  void byte(std::uint8_t b, std::uint64_t off, Replay& rq, Sink& s) {
    if (lead_byte < 0) {
      lead_byte = b;
      held.push(b, off);
      return;
    }
    std::uint16_t cu = BigEndian ? static_cast<std::uint16_t>((lead_byte << 8) | b)
                                 : static_cast<std::uint16_t>((b << 8) | lead_byte);
    std::uint64_t cu_off = off - 1;
    std::uint8_t cu_bytes[2] = {static_cast<std::uint8_t>(lead_byte), b};
    lead_byte = -1;
    if (lead_surrogate >= 0) {
      int ls = lead_surrogate;
      lead_surrogate = -1;
      if (cu >= 0xDC00 && cu <= 0xDFFF) {
        held.clear();
        s.put(0x10000 + ((ls - 0xD800) << 10) + (cu - 0xDC00));
        return;
      }
      // The lead surrogate alone is the error; the two bytes of this unit are read again.
      std::uint64_t offs[2] = {cu_off, off};
      rq.prepend2(cu_bytes, offs, 2);
      held.n = 2;
      held.error(s);
      return;
    }
    if (cu >= 0xD800 && cu <= 0xDBFF) {
      lead_surrogate = cu;
      held.push(b, off);
      return;
    }
    if (cu >= 0xDC00 && cu <= 0xDFFF) {
      held.push(b, off);
      held.error(s);
      return;
    }
    held.clear();
    s.put(cu);
  }
  bool eof(Replay&, Sink& s) {
    if (lead_byte >= 0 || lead_surrogate >= 0) {
      lead_byte = lead_surrogate = -1;
      held.error(s);
    }
    return true;
  }
};

}  // namespace

Decoder* new_utf_decoder(EncodingId id) {
  switch (id) {
    case EncodingId::utf_8: return new Driven<Utf8Handler>();
    case EncodingId::utf_16be: return new Driven<Utf16Handler<true>>();
    case EncodingId::utf_16le: return new Driven<Utf16Handler<false>>();
    default: return nullptr;
  }
}

}  // namespace ungarble::codec
