// decoder_core.h — the machinery every decoder shares: where decoded text goes, what happens on
// a malformed sequence, and how bytes are "prepended" back to the stream.
//
// The WHATWG decoders are written as handlers that see one byte at a time, keep a little state
// and sometimes push bytes back ("prepend byte to stream"). We keep that shape, because it is
// what makes error positions and resynchronisation exact, and add two things the standard does
// not need: every malformed sequence is reported with its bytes and absolute offset (so the
// error policy can replace it, drop it, or re-read it with a fallback code page), and ASCII runs
// in a decoder's clean state are copied in bulk.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "codec/utf8_simd.h"
#include "ungarble/codec.h"

namespace ungarble::codec {

inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    char b[2] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
    out.append(b, 2);
  } else if (c < 0x10000) {
    char b[3] = {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
                 static_cast<char>(0x80 | (c & 0x3F))};
    out.append(b, 3);
  } else {
    char b[4] = {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
                 static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
    out.append(b, 4);
  }
}

// Upper half (0x80–0xFF) of a single-byte table, 0 = unmapped; nullptr for non-single-byte.
const std::uint16_t* single_byte_upper(EncodingId id) noexcept;

// Receives decoded code points and malformed sequences; applies the error policy.
class Sink {
 public:
  Sink(std::string& out, DecodeErrors policy)
      : out_(out), policy_(policy),
        fallback_(policy.mode == DecodeErrorMode::fallback ? single_byte_upper(policy.fallback)
                                                           : nullptr) {}

  void put(char32_t c) { append_utf8(out_, c); }
  void ascii(const std::uint8_t* p, std::size_t n) {
    out_.append(reinterpret_cast<const char*>(p), n);
  }

  // A malformed sequence: its bytes (n may be 0 for errors that consume nothing, such as
  // ISO-2022-JP's escape without output) and the absolute offset of its first byte.
  void error(const std::uint8_t* bytes, std::size_t n, std::uint64_t offset) {
    if (errors_++ == 0) first_error_ = offset;
    switch (policy_.mode) {
      case DecodeErrorMode::strict: stopped_ = true; break;
      case DecodeErrorMode::replace: put(0xFFFD); break;
      case DecodeErrorMode::question: out_.push_back('?'); break;
      case DecodeErrorMode::ignore: break;
      case DecodeErrorMode::fallback:
        for (std::size_t i = 0; i < n; ++i) {
          std::uint8_t b = bytes[i];
          if (b < 0x80) {
            out_.push_back(static_cast<char>(b));
          } else if (policy_.fallback == EncodingId::iso_8859_1) {
            put(b);
          } else if (policy_.fallback == EncodingId::x_user_defined) {
            put(0xF780 + b - 0x80);
          } else {
            std::uint16_t c = fallback_ ? fallback_[b - 0x80] : 0;
            put(c ? c : 0xFFFD);
          }
        }
        break;
    }
  }

  bool stopped() const { return stopped_; }
  std::size_t errors() const { return errors_; }
  std::uint64_t first_error() const { return first_error_; }
  std::string& out() { return out_; }

 private:
  std::string& out_;
  DecodeErrors policy_;
  const std::uint16_t* fallback_;
  std::size_t errors_ = 0;
  std::uint64_t first_error_ = 0;
  bool stopped_ = false;
};

// Bytes a decoder holds while a sequence is incomplete; they are the bytes of the error if
// the sequence turns out malformed. Stream bytes are processed in order, so they are
// contiguous and `offset` is the offset of the first.
struct Held {
  std::uint8_t b[4];
  std::uint8_t n = 0;
  std::uint64_t offset = 0;
  void clear() { n = 0; }
  void push(std::uint8_t x, std::uint64_t off) {
    if (n == 0) offset = off;
    if (n < 4) b[n++] = x;
  }
  void error(Sink& s) {
    s.error(b, n, offset);
    n = 0;
  }
};

// Bytes pushed back to the front of the stream ("prepend"), with their offsets.
class Replay {
 public:
  bool empty() const { return n_ == 0; }
  // Prepends in stream order: prepend({a, b}) makes a the next byte, then b.
  void prepend(std::uint8_t b, std::uint64_t off) { prepend2(&b, &off, 1); }
  void prepend2(const std::uint8_t* b, const std::uint64_t* off, int k) {
    for (int i = k - 1; i >= 0; --i) {
      bytes_[n_] = b[i];
      offs_[n_] = off[i];
      ++n_;
    }
  }
  void pop(std::uint8_t& b, std::uint64_t& off) {
    --n_;
    b = bytes_[n_];
    off = offs_[n_];
  }

 private:
  std::uint8_t bytes_[8];
  std::uint64_t offs_[8];
  int n_ = 0;
};

// One streaming decoder. feed() may be called any number of times; the last call has last=true.
class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void feed(const std::uint8_t* p, std::size_t n, std::uint64_t base, bool last,
                    Sink& s) = 0;
};

// Runs a WHATWG-shaped handler D over a chunk: D provides
//   void byte(std::uint8_t b, std::uint64_t off, Replay&, Sink&);
//   bool eof(Replay&, Sink&);            // true when finished (no bytes were prepended)
//   std::size_t fast(const std::uint8_t* p, std::size_t n, Sink&);  // bulk run in clean state
template <class D>
class Driven final : public Decoder {
 public:
  template <class... A>
  explicit Driven(A&&... a) : d_(static_cast<A&&>(a)...) {}
  void feed(const std::uint8_t* p, std::size_t n, std::uint64_t base, bool last,
            Sink& s) override {
    std::size_t i = 0;
    for (;;) {
      if (s.stopped()) return;
      if (!rq_.empty()) {
        std::uint8_t b;
        std::uint64_t off;
        rq_.pop(b, off);
        d_.byte(b, off, rq_, s);
        continue;
      }
      if (i == n) break;
      std::size_t k = d_.fast(p + i, n - i, s);
      if (k) {
        i += k;
        continue;
      }
      d_.byte(p[i], base + i, rq_, s);
      ++i;
    }
    if (!last) return;
    while (!s.stopped() && !d_.eof(rq_, s)) {
      while (!rq_.empty() && !s.stopped()) {
        std::uint8_t b;
        std::uint64_t off;
        rq_.pop(b, off);
        d_.byte(b, off, rq_, s);
      }
    }
  }
  D& handler() { return d_; }

 private:
  D d_;
  Replay rq_;
};

// Length of the leading ASCII run: inline when there is none (as in CJK text, where a decoder asks
// after almost every character), the SIMD kernels of utf8_simd.cpp otherwise.
inline std::size_t ascii_run(const std::uint8_t* p, std::size_t n) noexcept {
  return ascii_prefix_length(p, n);
}

// Factories, one per family.
Decoder* new_single_byte_decoder(EncodingId id);
Decoder* new_utf_decoder(EncodingId id);
Decoder* new_cjk_decoder(EncodingId id);
Decoder* new_special_decoder(EncodingId id);

}  // namespace ungarble::codec
