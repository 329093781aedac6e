// decode.cpp — the public decoding API over the family decoders: BOM policy, streaming,
// and the result record.
#include <memory>

#include "codec/decoder_core.h"
#include "codec/utf32.h"

namespace ungarble {
namespace {

codec::Decoder* make_decoder(EncodingId id) {
  if (codec::is_utf32(id)) return codec::new_utf32_decoder(id);
  switch (encoding(id).kind) {
    case EncodingKind::single_byte: return codec::new_single_byte_decoder(id);
    case EncodingKind::utf: return codec::new_utf_decoder(id);
    case EncodingKind::multi_byte: return codec::new_cjk_decoder(id);
    case EncodingKind::special: return codec::new_special_decoder(id);
  }
  return nullptr;
}

// Which BOM, if any, starts `p`; its length in *len. UTF-32 BOMs are looked for only when
// decoding UTF-32 (WHATWG sniffing reads FF FE 00 00 as a UTF-16LE BOM, and so does this).
std::optional<EncodingId> bom_of(const std::uint8_t* p, std::size_t n, std::size_t* len,
                                 EncodingId enc) {
  if (codec::is_utf32(enc) && n >= 4) {
    if (p[0] == 0xFF && p[1] == 0xFE && p[2] == 0 && p[3] == 0) return *len = 4, EncodingId::utf_32le;
    if (p[0] == 0 && p[1] == 0 && p[2] == 0xFE && p[3] == 0xFF) return *len = 4, EncodingId::utf_32be;
  }
  if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return *len = 3, EncodingId::utf_8;
  if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) return *len = 2, EncodingId::utf_16be;
  if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) return *len = 2, EncodingId::utf_16le;
  return std::nullopt;
}

// Could `p` still grow into a BOM with more bytes?
bool bom_prefix(const std::uint8_t* p, std::size_t n, EncodingId enc) {
  static const std::uint8_t u8[3] = {0xEF, 0xBB, 0xBF};
  static const std::uint8_t u32le[4] = {0xFF, 0xFE, 0, 0}, u32be[4] = {0, 0, 0xFE, 0xFF};
  if (codec::is_utf32(enc) && n > 0 && n < 4 &&
      (std::equal(p, p + n, u32le) || std::equal(p, p + n, u32be)))
    return true;
  if (n < 3 && std::equal(p, p + n, u8)) return n > 0;
  if (n == 1 && (p[0] == 0xFE || p[0] == 0xFF)) return true;
  return false;
}

}  // namespace

struct StreamDecoder::Impl {
  EncodingId enc{};
  DecodeErrors errors;
  BomPolicy bom{};
  std::unique_ptr<codec::Decoder> dec;
  std::uint64_t offset = 0;  // absolute offset of the next byte fed to dec
  bool bom_done = false;
  std::uint8_t pending[4] = {};
  std::size_t npending = 0;
  std::size_t errors_seen = 0;
  std::uint64_t first_error = 0;
  bool failed = false;

  bool run(const std::uint8_t* p, std::size_t n, bool last, std::string& out) {
    if (!dec) dec.reset(make_decoder(enc));
    codec::Sink s(out, errors);
    dec->feed(p, n, offset, last, s);
    offset += n;
    if (s.errors() && errors_seen == 0) first_error = s.first_error();
    errors_seen += s.errors();
    if (s.stopped()) failed = true;
    return !failed;
  }

  // Holds back up to 4 leading bytes until the BOM question is settled.
  bool feed(std::span<const std::uint8_t> chunk, bool last, std::string& out) {
    if (failed) return false;
    if (bom_done || bom == BomPolicy::keep) {
      bom_done = true;
      return run(chunk.data(), chunk.size(), last, out);
    }
    std::uint8_t head[4];
    std::size_t nh = npending;
    std::copy(pending, pending + npending, head);
    std::size_t take = std::min<std::size_t>(4 - nh, chunk.size());
    std::copy(chunk.data(), chunk.data() + take, head + nh);
    nh += take;
    std::size_t len = 0;
    auto b = bom_of(head, nh, &len, enc);
    if (!last && (b ? codec::is_utf32(enc) && len < 4 && bom_prefix(head, nh, enc)
                    : bom_prefix(head, nh, enc))) {
      std::copy(head, head + nh, pending);
      npending = nh;
      return true;
    }
    bom_done = true;
    std::size_t skip = 0;  // leading bytes that are a BOM to drop
    if (b && (bom == BomPolicy::sniff || *b == enc)) {
      if (bom == BomPolicy::sniff && *b != enc) {
        enc = *b;
        dec.reset();
      }
      skip = len;
    }
    // The stream is pending[0..npending) then chunk; drop `skip` bytes from its front.
    offset = skip;
    std::size_t held = npending;
    npending = 0;
    if (skip < held) {
      std::uint8_t tmp[4];
      std::copy(pending + skip, pending + held, tmp);
      if (!run(tmp, held - skip, false, out)) return false;
    }
    std::size_t cstart = skip > held ? skip - held : 0;
    return run(chunk.data() + cstart, chunk.size() - cstart, last, out);
  }
};

StreamDecoder::StreamDecoder(EncodingId enc, DecodeErrors errors, BomPolicy bom)
    : impl_(new Impl) {
  impl_->enc = enc;
  impl_->errors = errors;
  impl_->bom = bom;
}
StreamDecoder::~StreamDecoder() { delete impl_; }
StreamDecoder::StreamDecoder(StreamDecoder&& o) noexcept : impl_(o.impl_) { o.impl_ = nullptr; }
StreamDecoder& StreamDecoder::operator=(StreamDecoder&& o) noexcept {
  std::swap(impl_, o.impl_);
  return *this;
}
bool StreamDecoder::feed(std::span<const std::uint8_t> chunk, bool last, std::string& out) {
  return impl_->feed(chunk, last, out);
}
std::size_t StreamDecoder::errors() const noexcept { return impl_->errors_seen; }
std::uint64_t StreamDecoder::error_offset() const noexcept { return impl_->first_error; }
EncodingId StreamDecoder::used() const noexcept { return impl_->enc; }

DecodeResult decode(std::span<const std::uint8_t> bytes, EncodingId enc, DecodeErrors errors,
                    BomPolicy bom) {
  DecodeResult r;
  StreamDecoder d(enc, errors, bom);
  r.text.reserve(bytes.size() + bytes.size() / 2);
  r.ok = d.feed(bytes, true, r.text);
  r.errors = d.errors();
  r.error_offset = d.error_offset();
  r.used = d.used();
  return r;
}

}  // namespace ungarble
