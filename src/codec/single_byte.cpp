// single_byte.cpp — the table-driven code pages: one byte, one code point.
//
// Bytes 00–7F are ASCII in every one of them; the upper half comes from a generated table
// (WHATWG's, or for the DOS pages the vendor's), where 0 marks a byte the page leaves unmapped.
// Decoding copies ASCII runs with SIMD and turns every other byte into UTF-8 with one look-up in
// a second, compile-time table of the upper half already encoded as UTF-8 (why: encoding each
// code point on the fly, and appending it to the string one at a time, cost three times as
// much). Encoding uses a reverse table built once per page.
#include <array>
#include <mutex>
#include <vector>

#include "codec/decoder_core.h"
#include "codec/encoder_core.h"
#include "codec/utf8_writer.h"

namespace ungarble::codec {
namespace {

// A page: its upper half as code points (0 = unmapped), and all 256 bytes as UTF-8 (len 0 =
// unmapped; ASCII included, so that a window of mixed bytes needs no branch per byte).
struct Utf8Char {
  char bytes[3];
  std::uint8_t len;  // stored with the bytes (one 4-byte store), then overwritten
};
static_assert(sizeof(Utf8Char) == 4);
struct Page {
  std::uint16_t upper[128];
  Utf8Char utf8[256];
};

constexpr Page make_page(const std::array<std::uint16_t, 128>& upper) {
  Page p{};
  for (int i = 0; i < 256; ++i) {
    std::uint16_t c = i < 0x80 ? static_cast<std::uint16_t>(i) : upper[i - 0x80];
    if (i >= 0x80) p.upper[i - 0x80] = c;
    Utf8Char& u = p.utf8[i];
    if (c == 0 && i != 0) {
      u = {{0, 0, 0}, 0};
    } else if (c < 0x80) {
      u = {{static_cast<char>(c), 0, 0}, 1};
    } else if (c < 0x800) {
      u = {{static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F)), 0}, 2};
    } else {
      u = {{static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
            static_cast<char>(0x80 | (c & 0x3F))},
           3};
    }
  }
  return p;
}

#define UNGARBLE_SINGLE_BYTE(name, ident, ...) \
  constexpr Page k_##ident = make_page(std::array<std::uint16_t, 128>{__VA_ARGS__});
#include "tables/legacy_single_byte.inc"
#include "tables/whatwg_single_byte.inc"
#undef UNGARBLE_SINGLE_BYTE

// Identity upper half for true ISO-8859-1.
constexpr Page kLatin1 = make_page([] {
  std::array<std::uint16_t, 128> a{};
  for (int i = 0; i < 128; ++i) a[i] = static_cast<std::uint16_t>(0x80 + i);
  return a;
}());

const Page* page(EncodingId id) noexcept {
  using E = EncodingId;
  switch (id) {
    case E::ibm866: return &k_ibm866;
    case E::iso_8859_2: return &k_iso_8859_2;
    case E::iso_8859_3: return &k_iso_8859_3;
    case E::iso_8859_4: return &k_iso_8859_4;
    case E::iso_8859_5: return &k_iso_8859_5;
    case E::iso_8859_6: return &k_iso_8859_6;
    case E::iso_8859_7: return &k_iso_8859_7;
    case E::iso_8859_8: case E::iso_8859_8_i: return &k_iso_8859_8;
    case E::iso_8859_10: return &k_iso_8859_10;
    case E::iso_8859_13: return &k_iso_8859_13;
    case E::iso_8859_14: return &k_iso_8859_14;
    case E::iso_8859_15: return &k_iso_8859_15;
    case E::iso_8859_16: return &k_iso_8859_16;
    case E::koi8_r: return &k_koi8_r;
    case E::koi8_u: return &k_koi8_u;
    case E::macintosh: return &k_macintosh;
    case E::windows_874: return &k_windows_874;
    case E::windows_1250: return &k_windows_1250;
    case E::windows_1251: return &k_windows_1251;
    case E::windows_1252: return &k_windows_1252;
    case E::windows_1253: return &k_windows_1253;
    case E::windows_1254: return &k_windows_1254;
    case E::windows_1255: return &k_windows_1255;
    case E::windows_1256: return &k_windows_1256;
    case E::windows_1257: return &k_windows_1257;
    case E::windows_1258: return &k_windows_1258;
    case E::x_mac_cyrillic: return &k_x_mac_cyrillic;
    case E::iso_8859_1: return &kLatin1;
    case E::ibm437: return &k_ibm437;
    case E::ibm850: return &k_ibm850;
    case E::ibm852: return &k_ibm852;
    case E::ibm1125: return &k_ibm1125;
    case E::x_cp1252_strict: return &k_x_cp1252_strict;
    default: return nullptr;
  }
}

}  // namespace

const std::uint16_t* single_byte_upper(EncodingId id) noexcept {
  const Page* p = page(id);
  return p ? p->upper : nullptr;
}

namespace {

class SingleByteDecoder final : public Decoder {
 public:
  explicit SingleByteDecoder(const Utf8Char* utf8) : utf8_(utf8) {}
  void feed(const std::uint8_t* p, std::size_t n, std::uint64_t base, bool, Sink& s) override {
    std::size_t i = 0;
    while (i < n) {
      i += mapped_run(p + i, n - i, utf8_, s.out());
      if (i == n) break;
      s.error(p + i, 1, base + i);
      if (s.stopped()) return;
      ++i;
    }
  }

 private:
  // Decodes up to the first unmapped byte; returns how many bytes that was.
  //
  // 16 bytes at a time: a window of ASCII is copied with one store; any other window goes
  // through the table byte by byte, ASCII too. Deciding per byte instead ("ASCII run or
  // not?") mispredicts at every word boundary of Cyrillic or Greek text, and cost more than the
  // look-ups.
  static std::size_t mapped_run(const std::uint8_t* p, std::size_t n, const Utf8Char* utf8,
                                std::string& out) {
    Utf8Writer w(out);
    const std::uint8_t* q = p;
    const std::uint8_t* end = p + n;
    int ascii_windows = 0;
    while (end - q >= 16) {
      w.ensure(16 * 3 + 4);
      if (ascii_prefix16(q) == 16) {
        if (++ascii_windows < 4) {
          w.store16(q);
          q += 16;
        } else {  // a long run: the SIMD kernel finds its end
          q = w.ascii(q, end);
          ascii_windows = 0;
        }
        continue;
      }
      ascii_windows = 0;
      for (int j = 0; j < 16; ++j, ++q) {
        const Utf8Char& u = utf8[*q];
        if (!u.len) return static_cast<std::size_t>(q - p);
        w.store_encoded(&u, u.len);
      }
    }
    for (; q < end; ++q) {
      const Utf8Char& u = utf8[*q];
      if (!u.len) break;
      w.ensure(4);
      w.store_encoded(&u, u.len);
    }
    return static_cast<std::size_t>(q - p);
  }

  const Utf8Char* utf8_;
};

}  // namespace

Decoder* new_single_byte_decoder(EncodingId id) {
  const Page* t = page(id);
  return t ? new SingleByteDecoder(t->utf8) : nullptr;
}

// Reverse table: code point (BMP) → byte, 0 = not encodable. Built once per page.
const std::uint8_t* single_byte_reverse(EncodingId id) {
  static std::array<std::vector<std::uint8_t>, kEncodingCount> cache;
  static std::array<std::once_flag, kEncodingCount> once;
  auto i = static_cast<std::size_t>(id);
  std::call_once(once[i], [&] {
    const std::uint16_t* t = single_byte_upper(id);
    if (!t) return;
    std::vector<std::uint8_t> r(0x10000, 0);
    for (int b = 0xFF; b >= 0x80; --b)  // the lowest byte wins for duplicates
      if (t[b - 0x80]) r[t[b - 0x80]] = static_cast<std::uint8_t>(b);
    cache[i] = std::move(r);
  });
  return cache[i].empty() ? nullptr : cache[i].data();
}

}  // namespace ungarble::codec
