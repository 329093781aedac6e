// encode.cpp — the public encoding API: reads UTF-8, hands code points to the encoder of the
// target encoding and applies the error policy where it refuses one.
#include <memory>

#include "codec/decoder_core.h"
#include "codec/encoder_core.h"
#include "codec/utf32.h"

namespace ungarble {
namespace codec {
namespace {

class SingleByteEncoder final : public Encoder {
 public:
  SingleByteEncoder(EncodingId id) : rev_(single_byte_reverse(id)) {}
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c < 0x80) return out.push_back(static_cast<char>(c)), true;
    if (c < 0x10000 && rev_[c]) return out.push_back(static_cast<char>(rev_[c])), true;
    *reported = c;
    return false;
  }

 private:
  const std::uint8_t* rev_;
};

class UserDefinedEncoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c < 0x80) return out.push_back(static_cast<char>(c)), true;
    if (c >= 0xF780 && c <= 0xF7FF) return out.push_back(static_cast<char>(c - 0xF780 + 0x80)), true;
    *reported = c;
    return false;
  }
};

class Utf8Encoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t*) override {
    append_utf8(out, c);
    return true;
  }
};

template <bool BigEndian>
class Utf16Encoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t*) override {
    if (c >= 0x10000) {
      c -= 0x10000;
      unit(out, static_cast<std::uint16_t>(0xD800 + (c >> 10)));
      unit(out, static_cast<std::uint16_t>(0xDC00 + (c & 0x3FF)));
    } else {
      unit(out, static_cast<std::uint16_t>(c));
    }
    return true;
  }

 private:
  static void unit(std::string& out, std::uint16_t u) {
    char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    if (BigEndian) out.push_back(hi), out.push_back(lo);
    else out.push_back(lo), out.push_back(hi);
  }
};

}  // namespace

Encoder* new_single_byte_encoder(EncodingId id) {
  if (id == EncodingId::x_user_defined) return new UserDefinedEncoder();
  return single_byte_reverse(id) ? new SingleByteEncoder(id) : nullptr;
}

Encoder* new_utf_encoder(EncodingId id) {
  switch (id) {
    case EncodingId::utf_8:
    case EncodingId::replacement: return new Utf8Encoder();
    case EncodingId::utf_16be: return new Utf16Encoder<true>();
    case EncodingId::utf_16le: return new Utf16Encoder<false>();
    default: return nullptr;
  }
}

}  // namespace codec

namespace {

codec::Encoder* make_encoder(EncodingId id) {
  if (codec::is_utf32(id)) return codec::new_utf32_encoder(id);
  switch (encoding(id).kind) {
    case EncodingKind::single_byte: return codec::new_single_byte_encoder(id);
    case EncodingKind::utf: return codec::new_utf_encoder(id);
    case EncodingKind::multi_byte: return codec::new_cjk_encoder(id);
    case EncodingKind::special:
      return id == EncodingId::replacement ? codec::new_utf_encoder(id)
                                           : codec::new_single_byte_encoder(id);
  }
  return nullptr;
}

// Next code point of UTF-8 text, or -1 (and the length of the maximal ill-formed subpart) when
// the input is not well-formed there.
long next_code_point(const std::uint8_t* p, std::size_t n, std::size_t* len) {
  std::uint8_t b = p[0];
  if (b < 0x80) return *len = 1, b;
  int need;
  char32_t c;
  std::uint8_t lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) need = 1, c = b & 0x1F;
  else if (b >= 0xE0 && b <= 0xEF) need = 2, c = b & 0xF, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
  else if (b >= 0xF0 && b <= 0xF4) need = 3, c = b & 7, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
  else return *len = 1, -1;
  std::size_t i = 1;
  for (; i <= static_cast<std::size_t>(need); ++i) {
    if (i >= n || p[i] < lo || p[i] > hi) return *len = i, -1;
    c = (c << 6) | (p[i] & 0x3F);
    lo = 0x80, hi = 0xBF;
  }
  *len = i;
  return static_cast<long>(c);
}

}  // namespace

EncodeResult encode(std::string_view utf8, EncodingId enc, EncodeErrors errors) {
  EncodeResult r;
  const auto* p = reinterpret_cast<const std::uint8_t*>(utf8.data());
  std::size_t n = utf8.size(), i = 0;
  // Fast paths: valid UTF-8 to UTF-8 is a copy (it holds no surrogates to refuse), and every
  // stateless ASCII-compatible encoder writes an ASCII run as itself.
  if (enc == EncodingId::utf_8 && is_valid_utf8(utf8)) {
    r.bytes.assign(utf8);
    return r;
  }
  const bool ascii_as_is = enc != EncodingId::utf_16le && enc != EncodingId::utf_16be &&
                           enc != EncodingId::utf_32le && enc != EncodingId::utf_32be &&
                           enc != EncodingId::iso_2022_jp && enc != EncodingId::replacement;
  // Single-byte pages: one table lookup per character, straight into the output (mojibake
  // being undone is all non-ASCII, and the general loop's virtual call per character was most
  // of the time). Stops at the first character the page lacks or the first ill-formed byte;
  // the general loop below takes over from there with the same results.
  const std::uint8_t* rev = encoding(enc).kind == EncodingKind::single_byte ? codec::single_byte_reverse(enc) : nullptr;
  if (rev) {
    r.bytes.resize(n);
    char* out = r.bytes.data();
    std::size_t o = 0;
    while (i < n) {
      const std::uint8_t b = p[i];
      if (b < 0x80) {
        out[o++] = static_cast<char>(b);
        ++i;
        continue;
      }
      char32_t c;
      std::size_t len;
      if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
        c = (static_cast<char32_t>(b & 0x1F) << 6) | (p[i + 1] & 0x3F);
        len = 2;
      } else if (b >= 0xE1 && b <= 0xEC && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
        c = (static_cast<char32_t>(b & 0x0F) << 12) | (static_cast<char32_t>(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
        len = 3;
      } else {
        break;  // E0, ED–EF, four bytes, ill-formed: the general loop decides
      }
      const std::uint8_t x = rev[c];
      if (!x) break;
      out[o++] = static_cast<char>(x);
      i += len;
    }
    r.bytes.resize(o);
    if (i == n) return r;
  }
  std::unique_ptr<codec::Encoder> e(make_encoder(enc));
  r.bytes.reserve(utf8.size());
  char32_t ignored;
  auto emit_ascii = [&](std::string_view s) {
    for (char ch : s) e->put(static_cast<unsigned char>(ch), r.bytes, &ignored);
  };
  while (i < n) {
    if (ascii_as_is && p[i] < 0x80) {
      const std::size_t k = ascii_prefix_length({p + i, n - i});
      r.bytes.append(reinterpret_cast<const char*>(p + i), k);
      i += k;
      continue;
    }
    std::size_t len;
    long c = next_code_point(p + i, n - i, &len);
    char32_t reported = 0xFFFD;
    bool ok = c >= 0 && e->put(static_cast<char32_t>(c), r.bytes, &reported);
    if (!ok) {
      if (r.errors++ == 0) r.error_offset = i;
      switch (errors.mode) {
        case EncodeErrorMode::strict:
          r.ok = false;
          return r;
        case EncodeErrorMode::replace: emit_ascii("?"); break;
        case EncodeErrorMode::ignore: break;
        case EncodeErrorMode::ncr:
          emit_ascii("&#" + std::to_string(static_cast<std::uint32_t>(reported)) + ";");
          break;
      }
    }
    i += len;
  }
  e->finish(r.bytes);
  return r;
}

}  // namespace ungarble
