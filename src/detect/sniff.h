// sniff.h — the structural half of charset detection (private to src/detect): byte-order marks,
// magic numbers, NUL/control-byte statistics, UTF-16/32 without BOM, ISO-2022-JP escapes, and
// the script class of a code point for judging readings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "ungarble/codec.h"
#include "ungarble/detect.h"

namespace ungarble::detail {

struct Bom {
  EncodingId id;  // utf_8, utf_16le/be, utf_32le/be
  std::size_t length;
};
std::optional<Bom> sniff_bom(std::span<const std::uint8_t> b) noexcept;

// PNG, JPEG, GIF, PDF, ZIP, gzip, bzip2, xz, zstd, 7z, ELF, PE, Mach-O, Java class, wasm,
// SQLite, OLE, ar/deb, RIFF, Ogg, FLAC, MP4, ICO, … at the start of the bytes.
bool has_binary_magic(std::span<const std::uint8_t> b) noexcept;

struct ByteStats {
  std::size_t len = 0;
  std::size_t nul = 0;       // 0x00
  std::size_t ctrl = 0;      // C0 controls no text uses: 01–08, 0E–1A, 1C–1F (not \t\n\v\f\r ESC)
  std::size_t nul_even = 0, nul_odd = 0;
  std::size_t nul_mod4[4] = {0, 0, 0, 0};
};
ByteStats byte_stats(std::span<const std::uint8_t> b) noexcept;

// Binary by statistics (call after UTF-16/32 had their chance).
bool looks_binary(const ByteStats& s) noexcept;

struct Unicode16or32 {
  EncodingId id;  // utf_16le/be, utf_32le/be
  double confidence;
};
// UTF-16/32 without BOM: NUL bytes at one parity (or at two of four positions), or — for text in
// one non-Latin script — control bytes that read cleanly as UTF-16 letters.
std::optional<Unicode16or32> sniff_utf16_32(std::span<const std::uint8_t> b, const ByteStats& s);

// Whether UTF-16 (id) is worth asking the models about: decodes cleanly to letters.
bool utf16_plausible(std::span<const std::uint8_t> b, EncodingId id, const ByteStats& s);

// Whether the head reads cleanly as UTF-16 (id) into letters of few scripts.
bool utf16_texty(std::span<const std::uint8_t> b, EncodingId id);

bool has_iso2022jp_escapes(std::span<const std::uint8_t> b) noexcept;

enum class Script : std::uint8_t {
  space, ascii_letter, ascii_other, latin, greek, cyrillic, hebrew, arabic, thai, cjk,
  symbol,  // Latin-1 symbols, general punctuation, box drawing, …
  other,   // letters of scripts no candidate needs
  bad      // C1 controls, C0 controls, private use, U+FFFD, noncharacters
};
Script script_of(char32_t c) noexcept;
inline bool is_letter_script(Script s) noexcept {
  return s == Script::ascii_letter || (s >= Script::latin && s <= Script::cjk);
}

}  // namespace ungarble::detail
