// sniff.cpp — structural evidence for charset detection (see sniff.h and detect.h).
#include "detect/sniff.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace ungarble::detail {
namespace {

bool starts(std::span<const std::uint8_t> b, std::string_view magic, std::size_t at = 0) {
  return b.size() >= at + magic.size() && std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}

template <class F>
void for_each_cp(std::string_view s, F&& f) {
  std::size_t i = 0, n = s.size();
  while (i < n) {
    auto b = static_cast<unsigned char>(s[i]);
    char32_t c;
    std::size_t len;
    if (b < 0x80) c = b, len = 1;
    else if (b < 0xE0) c = b & 0x1F, len = 2;
    else if (b < 0xF0) c = b & 0x0F, len = 3;
    else c = b & 0x07, len = 4;
    if (i + len > n) break;
    for (std::size_t k = 1; k < len; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    f(c);
    i += len;
  }
}

// Decoded text that is mostly letters of one script, spaces and punctuation, with nothing bad.
bool texty(std::string_view text, std::size_t* cjk_out = nullptr) {
  std::size_t total = 0, good = 0, bad = 0, cjk = 0, other = 0;
  for_each_cp(text, [&](char32_t c) {
    ++total;
    Script s = script_of(c);
    if (s == Script::bad) ++bad;
    else if (s == Script::cjk) ++cjk, ++good;
    else if (is_letter_script(s) || s == Script::space) ++good;
    else if (s == Script::ascii_other) good += (c >= 0x20 || c == '\n' || c == '\r' || c == '\t');
    else if (s == Script::other) ++other;
  });
  if (cjk_out) *cjk_out = cjk;
  return total > 0 && bad == 0 && good * 100 >= total * 85 && other * 10 <= total;
}

}  // namespace

// Whether b reads as UTF-32 (id) with no error but a unit cut by the end of the head.
bool reads_as_utf32(std::span<const std::uint8_t> b, EncodingId id, bool whole) {
  std::size_t len = std::min<std::size_t>(b.size(), 4096);
  if (len < 4) return false;
  DecodeResult r = decode(b.first(len), id, {DecodeErrorMode::replace}, BomPolicy::keep);
  return r.errors <= (whole && len == b.size() && len % 4 == 0 ? 0u : 1u);
}

std::optional<Bom> sniff_bom(std::span<const std::uint8_t> b) noexcept {
  if (starts(b, "\xEF\xBB\xBF")) return Bom{EncodingId::utf_8, 3};
  // FF FE 00 00 is also a UTF-16LE BOM followed by U+0000: UTF-32LE only if the rest reads so.
  if (starts(b, std::string_view("\xFF\xFE\x00\x00", 4)) &&
      (b.size() == 4 || reads_as_utf32(b.subspan(4), EncodingId::utf_32le, true)))
    return Bom{EncodingId::utf_32le, 4};
  if (starts(b, std::string_view("\x00\x00\xFE\xFF", 4))) return Bom{EncodingId::utf_32be, 4};
  if (starts(b, "\xFF\xFE")) return Bom{EncodingId::utf_16le, 2};
  if (starts(b, "\xFE\xFF")) return Bom{EncodingId::utf_16be, 2};
  return std::nullopt;
}

bool has_binary_magic(std::span<const std::uint8_t> b) noexcept {
  using sv = std::string_view;
  static const sv simple[] = {
      sv("\x89PNG\r\n\x1A\n", 8), sv("\xFF\xD8\xFF", 3), sv("GIF87a"), sv("GIF89a"),
      sv("%PDF-"), sv("PK\x03\x04", 4), sv("PK\x05\x06", 4), sv("PK\x07\x08", 4),
      sv("\x1F\x8B\x08", 3), sv("BZh91AY&SY"), sv("\xFD" "7zXZ\x00", 6),
      sv("\x28\xB5\x2F\xFD", 4), sv("7z\xBC\xAF\x27\x1C", 6), sv("\x7F" "ELF", 4),
      sv("\xCA\xFE\xBA\xBE", 4), sv("\xCF\xFA\xED\xFE", 4), sv("\xCE\xFA\xED\xFE", 4),
      sv("\x00" "asm", 4), sv("SQLite format 3\x00", 16), sv("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
      sv("!<arch>\n"), sv("OggS\x00", 5), sv("fLaC"), sv("\x00\x00\x01\x00", 4),
      sv("\x04\x22\x4D\x18", 4), sv("Rar!\x1A\x07", 6), sv("\x1A\x45\xDF\xA3", 4),
      sv("wOFF"), sv("wOF2"), sv("\x00\x01\x00\x00\x00", 5), sv("II*\x00", 4), sv("MM\x00*", 4),
      sv("\x00\x00\x01\xBA", 4), sv("\x00\x00\x01\xB3", 4)};
  for (sv m : simple)
    if (starts(b, m)) return true;
  if (b.size() >= 10 && starts(b, "BZh") && b[3] >= '1' && b[3] <= '9' && starts(b, "1AY&SY", 4))
    return true;
  if (starts(b, "RIFF") && (starts(b, "WAVE", 8) || starts(b, "AVI ", 8) || starts(b, "WEBP", 8)))
    return true;
  if (starts(b, "ftyp", 4) && b.size() >= 8 && b[0] == 0) return true;
  if (starts(b, "ID3") && b.size() >= 10 && b[3] < 5 && b[4] == 0) return true;
  if (starts(b, "MZ") && b.size() >= 64 &&
      std::find(b.begin(), b.begin() + 64, std::uint8_t{0}) != b.begin() + 64)
    return true;
  return false;
}

ByteStats byte_stats(std::span<const std::uint8_t> b) noexcept {
  ByteStats s;
  s.len = b.size();
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::uint8_t x = b[i];
    if (x >= 0x20) continue;
    if (x == 0) {
      ++s.nul;
      ++(i & 1 ? s.nul_odd : s.nul_even);
      ++s.nul_mod4[i & 3];
    } else if (x <= 0x08 || (x >= 0x0E && x <= 0x1A) || (x >= 0x1C && x <= 0x1F)) {
      ++s.ctrl;
    }
  }
  return s;
}

bool looks_binary(const ByteStats& s) noexcept {
  if (s.len == 0) return false;
  if (s.nul > 0 && (s.nul * 1000 > s.len || s.len < 4096)) return true;
  return (s.nul + s.ctrl) * 20 > s.len;
}

std::optional<Unicode16or32> sniff_utf16_32(std::span<const std::uint8_t> b, const ByteStats& s) {
  const std::size_t len = std::min<std::size_t>(b.size(), 1 << 16);
  auto head = b.first(len);
  if (s.nul > 0 && len >= 4) {
    std::size_t quads = s.len / 4;  // the statistics cover all of b
    const auto* z = s.nul_mod4;
    // UTF-32: the highest byte of every unit is zero, the lowest mostly not, and the second
    // highest either mostly zero (the BMP) or the second lowest mostly not (emoji and other
    // supplementary planes) — UTF-16 of Latin text has its zeros at the two odd positions
    // instead. The head must then decode without error.
    if (quads > 0) {
      const bool whole = len == b.size();
      if (z[3] * 20 >= quads * 19 && z[0] * 4 < quads && (z[2] * 2 >= quads || z[1] * 4 < quads) &&
          reads_as_utf32(head, EncodingId::utf_32le, whole))
        return Unicode16or32{EncodingId::utf_32le, 0.99};
      if (z[0] * 20 >= quads * 19 && z[3] * 4 < quads && (z[1] * 2 >= quads || z[2] * 4 < quads) &&
          reads_as_utf32(head, EncodingId::utf_32be, whole))
        return Unicode16or32{EncodingId::utf_32be, 0.99};
    }
  }
  if (s.nul > 0 && len >= 2) {
    std::size_t pairs = len / 2;
    for (EncodingId id : {EncodingId::utf_16le, EncodingId::utf_16be}) {
      std::size_t hi = id == EncodingId::utf_16le ? s.nul_odd : s.nul_even;
      std::size_t lo = id == EncodingId::utf_16le ? s.nul_even : s.nul_odd;
      if (hi * 10 >= pairs && lo * 10 <= hi) {
        DecodeResult r = decode(head.first(pairs * 2), id, {DecodeErrorMode::replace}, BomPolicy::keep);
        // allow a pair cut at the end of the head
        if (r.errors <= 1 + pairs / 200) {
          double conf = hi * 2 >= pairs ? 0.999 : 0.995;
          return Unicode16or32{id, conf};
        }
      }
    }
  }
  if (s.ctrl > 0 || s.nul > 0) {
    // Non-Latin UTF-16 has few NULs but many bytes below 0x20 at the high-byte parity.
    for (EncodingId id : {EncodingId::utf_16le, EncodingId::utf_16be}) {
      std::size_t pairs = len / 2;
      if (pairs < 2) break;
      DecodeResult r = decode(head.first(pairs * 2), id, {DecodeErrorMode::replace}, BomPolicy::keep);
      if (r.errors <= (len == b.size() ? 0u : 1u) && texty(r.text))
        return Unicode16or32{id, 0.95};
    }
  }
  return std::nullopt;
}

bool utf16_plausible(std::span<const std::uint8_t> b, EncodingId id, const ByteStats&) {
  std::size_t len = std::min<std::size_t>(b.size(), 4096) & ~std::size_t{1};
  if (len < 8) return false;
  DecodeResult r = decode(b.first(len), id, {DecodeErrorMode::replace}, BomPolicy::keep);
  if (r.errors > (len == b.size() ? 0u : 1u)) return false;
  std::size_t cjk = 0;
  return texty(r.text, &cjk) && cjk * 2 >= len / 2;
}

bool utf16_texty(std::span<const std::uint8_t> b, EncodingId id) {
  std::size_t len = std::min<std::size_t>(b.size(), 1 << 16);
  std::size_t pairs = len / 2;
  if (pairs < 2) return false;
  DecodeResult r = decode(b.first(pairs * 2), id, {DecodeErrorMode::replace}, BomPolicy::keep);
  return r.errors <= (len == b.size() ? 0u : 1u) && texty(r.text);
}

bool has_iso2022jp_escapes(std::span<const std::uint8_t> b) noexcept {
  for (std::size_t i = 0; i + 2 < b.size(); ++i) {
    if (b[i] != 0x1B) continue;
    if ((b[i + 1] == '$' && (b[i + 2] == '@' || b[i + 2] == 'B')) ||
        (b[i + 1] == '(' && (b[i + 2] == 'J' || b[i + 2] == 'I')))
      return true;
  }
  return false;
}

Script script_of(char32_t c) noexcept {
  if (c < 0x80) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') return Script::space;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return Script::ascii_letter;
    if (c < 0x20 && c != 0x1B && c != 0x0C && c != 0x0B) return Script::bad;
    return Script::ascii_other;
  }
  if (c < 0xA0) return Script::bad;
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return c == 0xA0 ? Script::space : Script::symbol;
  if (c < 0x250) return Script::latin;
  if (c < 0x2B0) return Script::latin;           // IPA: rare, but Latin
  if (c < 0x300) return Script::symbol;          // spacing modifiers
  if (c < 0x370) return Script::latin;           // combining diacritics (Vietnamese, NFD)
  if (c < 0x400) return Script::greek;
  if (c < 0x530) return Script::cyrillic;
  if (c >= 0x590 && c < 0x600) return Script::hebrew;
  if (c >= 0x600 && c < 0x700) return Script::arabic;
  if (c >= 0x750 && c < 0x780) return Script::arabic;
  if (c >= 0xE00 && c < 0xE80) return Script::thai;
  if (c >= 0x1100 && c < 0x1200) return Script::cjk;
  if (c >= 0x1E00 && c < 0x1F00) return Script::latin;
  if (c >= 0x1F00 && c < 0x2000) return Script::greek;
  if (c >= 0x2000 && c < 0x2C00) return c == 0x200B || c == 0x200C || c == 0x200D ? Script::symbol : Script::symbol;
  if (c >= 0x2E80 && c < 0xA000) return Script::cjk;  // CJK radicals, punct, kana, Han
  if (c >= 0xAC00 && c < 0xD7B0) return Script::cjk;
  if (c >= 0xD800 && c < 0xE000) return Script::bad;
  if (c >= 0xE000 && c < 0xF900) return Script::bad;  // private use
  if (c >= 0xF900 && c < 0xFB00) return Script::cjk;
  if (c >= 0xFB1D && c < 0xFB50) return Script::hebrew;
  if (c >= 0xFB50 && c < 0xFE00) return Script::arabic;
  if (c >= 0xFE30 && c < 0xFE50) return Script::cjk;
  if (c >= 0xFE70 && c < 0xFF00) return Script::arabic;
  if (c >= 0xFF00 && c < 0xFFF0) return Script::cjk;  // full/half-width forms
  if (c >= 0xFFF0) return c == 0xFFFC ? Script::symbol : Script::bad;
  if (c >= 0x20000 && c < 0x32000) return Script::cjk;
  if (c >= 0xF0000) return Script::bad;
  return Script::other;
}

}  // namespace ungarble::detail

namespace ungarble {

std::optional<EncodingId> sniff_declared_charset(std::span<const std::uint8_t> bytes) noexcept {
  std::size_t n = std::min<std::size_t>(bytes.size(), 1024);
  std::string low(reinterpret_cast<const char*>(bytes.data()), n);
  for (char& c : low)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
  auto label_at = [&](std::size_t p) -> std::optional<EncodingId> {
    while (p < n && (low[p] == ' ' || low[p] == '\t' || low[p] == '\n' || low[p] == '\r')) ++p;
    if (p >= n || low[p] != '=') return std::nullopt;
    ++p;
    while (p < n && (low[p] == ' ' || low[p] == '\t' || low[p] == '\n' || low[p] == '\r')) ++p;
    if (p < n && (low[p] == '"' || low[p] == '\'')) ++p;
    std::size_t s = p;
    while (p < n && low[p] != '"' && low[p] != '\'' && low[p] != ' ' && low[p] != ';' &&
           low[p] != '>' && low[p] != '/' && low[p] != '?' && p - s < 40)
      ++p;
    if (p == s) return std::nullopt;
    const Encoding* e = find_encoding(std::string_view(low).substr(s, p - s));
    if (!e) return std::nullopt;
    EncodingId id = e->id;
    // WHATWG: a document that can declare in ASCII is not UTF-16; x-user-defined is 1252.
    // The same holds for UTF-32 (not a WHATWG encoding at all).
    if (id == EncodingId::utf_16le || id == EncodingId::utf_16be || id == EncodingId::utf_32le ||
        id == EncodingId::utf_32be)
      id = EncodingId::utf_8;
    if (id == EncodingId::x_user_defined) id = EncodingId::windows_1252;
    if (id == EncodingId::replacement) return std::nullopt;
    return id;
  };
  if (low.rfind("<?xml", 0) == 0) {
    std::size_t end = low.find("?>");
    std::size_t p = low.find("encoding");
    if (p != std::string::npos && (end == std::string::npos || p < end))
      if (auto id = label_at(p + 8)) return id;
  }
  for (std::size_t m = low.find("<meta"); m != std::string::npos; m = low.find("<meta", m + 5)) {
    std::size_t end = low.find('>', m);
    if (end == std::string::npos) end = n;
    std::size_t p = low.find("charset", m);
    if (p == std::string::npos || p > end) continue;
    if (auto id = label_at(p + 7)) return id;
  }
  return std::nullopt;
}

}  // namespace ungarble
