// ungarble/detect.h — charset detection: given raw bytes, which encoding are they in?
//
// The idea. Most of the answer is structure, and structure is cheap; only what structure leaves
// open is asked of the language models, and only on the bytes that can tell the readings apart.
//
//  1. Structure first, at memory speed. Empty input is `empty`. A BOM (UTF-8, UTF-16LE/BE,
//     UTF-32LE/BE; FF FE 00 00 is UTF-32LE only when what follows reads as UTF-32) decides. Magic numbers of images/archives/executables and a density of NUL
//     and C0 control bytes that no text has (after UTF-16/32 have been given their chance
//     through their NUL-byte patterns) give `binary` — its own verdict, never a forced guess.
//     ASCII up to the first non-ASCII byte is skipped with a SIMD scan; ASCII-only input is
//     utf-8 (every ASCII-compatible encoding reads it the same); 7-bit input with ISO-2022-JP
//     escape sequences is iso-2022-jp. Valid UTF-8 with non-ASCII bytes is utf-8 — legacy text
//     almost never forms valid multi-byte UTF-8 by accident — unless it is *double-encoded*:
//     valid UTF-8 whose characters all fit windows-1252/latin-1 and whose bytes there are again
//     valid multi-byte UTF-8 ("Ã©" for "é"); that is reported as `double_utf8`, for repair.
//  2. Evidence. Otherwise a bounded window from the first non-ASCII byte is taken and from it
//     the *evidence*: the whitespace-separated tokens that contain non-ASCII bytes (ASCII
//     whitespace is never a trail byte in any candidate, so every candidate sees the same
//     tokens). Each candidate encoding decodes the evidence; a candidate with decoding errors
//     beyond a truncated last character pays a heavy per-error cost and is dropped when errors
//     are more than rare. Readings that come out identical are scored once.
//  3. Judgement. Each surviving reading is scored by the language models of its script (the
//     Latin-script models are first narrowed to the few that fit the ASCII words of the text,
//     which every reading shares): score = max over languages of log2 P(text) + log2 prior of
//     the encoding (how common it is on the web) + a bonus for a declared charset (BOM-less
//     hint: --declared, <meta charset>, <?xml encoding>; a hint, not truth — the web lies).
//     Cheap first: a character-class heuristic (C1 controls, private use, symbols inside words,
//     script changes inside words) drops hopeless readings, a 64-byte probe scored by two or
//     three models drops readings 30 bits behind, and only the survivors are scored on all the
//     evidence, in a shared set of languages. What the models cannot see is charged apart:
//     case folded away ("своЯта" for "своята"), İ outside Turkish, typographic quotes (scored
//     as ASCII ones, which training text often had instead). Without models the heuristic
//     stands in, and the priors carry more weight. A Latin-script language without a model
//     (Esperanto) is not left to whichever wrong page turns its letters into some modelled
//     language's: each Latin reading may also be scored as its skeleton (base letters under the
//     diacritics) with a price for the unmodelled alphabet it needs.
//  4. Answer. Readings whose decoded text is identical are one answer, named by the most
//     common member (gbk, reported as gb18030 only when four-byte sequences occur; windows-1252
//     for Latin text). Confidences are a softmax over the scores in bits with a temperature
//     fitted on the tuning half of the evaluation set (bench/detect: Debian documentation), so
//     that 0.9 means right about 90 % of the time; the UDHR half measures that it holds. In the default mode the best reading is then verified over the bounded
//     prefix (`DetectOptions::prefix`); with `full` over the whole input, falling back to the
//     next candidate when it fails.
//
// Never throws for bad data; any byte string gets a Detection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ungarble/codec.h"

namespace ungarble {

class ModelSet;

struct Candidate {
  EncodingId encoding = EncodingId::utf_8;
  double confidence = 0;                    // calibrated probability of being text-correct
  std::string_view language;                // best language of this reading ("" if unknown)
  // Canonical lower-case name: WHATWG's (e.g. "windows-1252") or the codec layer's for legacy
  // pages and UTF-32 ("utf-32le").
  std::string_view name() const noexcept;
};

struct Detection {
  enum class Kind : std::uint8_t {
    text,         // candidates[0] is the answer
    binary,       // not text (image, archive, executable, …); candidates is empty
    empty,        // no bytes; candidates is empty
    double_utf8,  // valid UTF-8 that went through a single-byte decode and back: candidates[0]
                  // is utf-8, `double_via` the single-byte page; the text wants repair
  };
  Kind kind = Kind::empty;
  std::vector<Candidate> candidates;  // ranked, best first, at most DetectOptions::max_candidates
  bool from_bom = false;              // decided by a byte-order mark
  std::size_t bom_length = 0;         // bytes of that BOM
  std::optional<EncodingId> declared;  // the hint that was used (option, or sniffed <meta>/<?xml>)
  bool declared_overruled = false;     // a hint was given and the answer differs from it
  EncodingId double_via = EncodingId::windows_1252;  // for double_utf8
  std::size_t bytes_examined = 0;      // how much of the input was looked at
  const char* why = "";                // short reason ("bom", "utf-8 valid", "ascii", "models", …)

  // "empty", "binary", or candidates[0].name().
  std::string_view encoding_name() const noexcept;
  double confidence() const noexcept { return candidates.empty() ? 1.0 : candidates[0].confidence; }
  std::string_view language() const noexcept {
    return candidates.empty() ? std::string_view{} : candidates[0].language;
  }
};

struct DetectOptions {
  std::optional<EncodingId> declared;  // e.g. from an HTTP Content-Type header
  bool sniff_declarations = true;      // look for <meta charset> / <?xml encoding> in the bytes
  bool full = false;                   // verify over the whole input, not just the prefix
  std::size_t prefix = 64 * 1024;      // bytes from the first non-ASCII byte verified by default
  std::size_t evidence = 512;          // bytes of non-ASCII-bearing tokens scored per candidate
  std::size_t max_candidates = 5;
  double temperature = 0;              // softmax temperature in bits; 0 = the fitted default
};

Detection detect(std::span<const std::uint8_t> bytes, const ModelSet* models,
                 const DetectOptions& options = {});
inline Detection detect(std::string_view bytes, const ModelSet* models,
                        const DetectOptions& options = {}) {
  return detect({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, models,
                options);
}

// The charset a document declares in its first 1024 bytes (<meta charset=…>,
// <meta http-equiv=Content-Type content="…; charset=…">, <?xml … encoding="…"?>), if any.
std::optional<EncodingId> sniff_declared_charset(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace ungarble
