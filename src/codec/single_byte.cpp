// single_byte.cpp — the table-driven code pages: one byte, one code point.
//
// Bytes 00–7F are ASCII in every one of them; the upper half comes from a generated table
// (WHATWG's, or for the DOS pages the vendor's), where 0 marks a byte the page leaves unmapped.
// Decoding is a table look-up per byte after a bulk copy of ASCII runs; encoding uses a
// reverse table built once per page.
#include <array>
#include <mutex>
#include <vector>

#include "codec/decoder_core.h"
#include "codec/encoder_core.h"

namespace ungarble::codec {
namespace {

#define UNGARBLE_SINGLE_BYTE(name, ident, ...) \
  constexpr std::uint16_t k_##ident[128] = {__VA_ARGS__};
#include "tables/legacy_single_byte.inc"
#include "tables/whatwg_single_byte.inc"
#undef UNGARBLE_SINGLE_BYTE

// Identity upper half for true ISO-8859-1.
constexpr std::array<std::uint16_t, 128> kLatin1 = [] {
  std::array<std::uint16_t, 128> a{};
  for (int i = 0; i < 128; ++i) a[i] = static_cast<std::uint16_t>(0x80 + i);
  return a;
}();

}  // namespace

const std::uint16_t* single_byte_upper(EncodingId id) noexcept {
  using E = EncodingId;
  switch (id) {
    case E::ibm866: return k_ibm866;
    case E::iso_8859_2: return k_iso_8859_2;
    case E::iso_8859_3: return k_iso_8859_3;
    case E::iso_8859_4: return k_iso_8859_4;
    case E::iso_8859_5: return k_iso_8859_5;
    case E::iso_8859_6: return k_iso_8859_6;
    case E::iso_8859_7: return k_iso_8859_7;
    case E::iso_8859_8: case E::iso_8859_8_i: return k_iso_8859_8;
    case E::iso_8859_10: return k_iso_8859_10;
    case E::iso_8859_13: return k_iso_8859_13;
    case E::iso_8859_14: return k_iso_8859_14;
    case E::iso_8859_15: return k_iso_8859_15;
    case E::iso_8859_16: return k_iso_8859_16;
    case E::koi8_r: return k_koi8_r;
    case E::koi8_u: return k_koi8_u;
    case E::macintosh: return k_macintosh;
    case E::windows_874: return k_windows_874;
    case E::windows_1250: return k_windows_1250;
    case E::windows_1251: return k_windows_1251;
    case E::windows_1252: return k_windows_1252;
    case E::windows_1253: return k_windows_1253;
    case E::windows_1254: return k_windows_1254;
    case E::windows_1255: return k_windows_1255;
    case E::windows_1256: return k_windows_1256;
    case E::windows_1257: return k_windows_1257;
    case E::windows_1258: return k_windows_1258;
    case E::x_mac_cyrillic: return k_x_mac_cyrillic;
    case E::iso_8859_1: return kLatin1.data();
    case E::ibm437: return k_ibm437;
    case E::ibm850: return k_ibm850;
    case E::ibm852: return k_ibm852;
    case E::ibm1125: return k_ibm1125;
    case E::x_cp1252_strict: return k_x_cp1252_strict;
    default: return nullptr;
  }
}

namespace {

class SingleByteDecoder final : public Decoder {
 public:
  explicit SingleByteDecoder(const std::uint16_t* upper) : upper_(upper) {}
  void feed(const std::uint8_t* p, std::size_t n, std::uint64_t base, bool, Sink& s) override {
    std::string& out = s.out();
    std::size_t i = 0;
    while (i < n) {
      std::size_t k = ascii_run(p + i, n - i);
      if (k) {
        out.append(reinterpret_cast<const char*>(p + i), k);
        i += k;
        if (i == n) break;
      }
      std::uint16_t c = upper_[p[i] - 0x80];
      if (c) {
        append_utf8(out, c);
      } else {
        s.error(p + i, 1, base + i);
        if (s.stopped()) return;
      }
      ++i;
    }
  }

 private:
  const std::uint16_t* upper_;
};

}  // namespace

Decoder* new_single_byte_decoder(EncodingId id) {
  const std::uint16_t* t = single_byte_upper(id);
  return t ? new SingleByteDecoder(t) : nullptr;
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
