// lattice.h — decoding a lossy channel: text that was bytes in encoding A, decoded one byte per
// character with a single-byte page B, and then damaged further — bytes lost (a cleaner stripped
// the soft hyphens that byte 0xAD became), bytes replaced (U+FFFD or '?' where B had no
// character), runs re-decoded as UTF-8 by an earlier fixer (so one character stands for two to
// four bytes), ligatures spelled out (ǲ → "Dz").
//
// Each input character becomes a small set of byte readings, each with a cost in bits; between
// characters a lost byte may be re-inserted. A beam search runs A's decoder over every path and
// scores the decoded characters with a language model; hypotheses in the same decoder state and
// model context are merged (Viterbi), so the beam stays small. The best path is the repair; the
// final beam gives each restored byte a posterior, and where no reading is clearly best the
// decision is reported as undecided.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ungarble/codec.h"
#include "ungarble/model.h"
#include "ungarble/repair.h"

namespace ungarble::repair_detail {

// The bytes a strict Windows/Python/Java cp1252 decoder has no character for: where its
// U+FFFD or '?' came from, and what it drops when errors are ignored.
inline constexpr std::uint8_t kStrictCp1252Unmapped[] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};

// The models drop format characters (ZWJ, RLM, soft hyphen…) and fold unusual spaces (em
// quad…) into one space before scoring, so such a character costs nothing or a space's price.
// Where bytes are restored that makes them the cheapest guess: "”" (E2 80 9D) loses its 9D and
// comes back as RLM (E2 80 8F). Every candidate the channel makes pays this instead.
inline double invisible_cost_bits(char32_t c) {
  const bool format = c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
                      (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
  const bool odd_space = (c >= 0x2000 && c <= 0x200A) || c == 0x205F || c == 0x180E;
  return format || odd_space ? 16 : 0;
}

// The models fold case, so a restoration that puts a capital inside a word ("zloĐinima" for
// "zločinima": the lost byte was 8D or 90) reads as well as the small letter would; a capital
// right after a small letter costs this many bits wherever a reading is chosen.
inline constexpr double kCaseBits = 8;
enum class LetterCase : std::uint8_t { none, lower, upper };
// Of Latin, Greek, Cyrillic and Armenian letters (below U+0590); none for everything else.
LetterCase letter_case(char32_t c);
inline double case_cost_bits(LetterCase before, LetterCase now) {
  return before == LetterCase::lower && now == LetterCase::upper ? kCaseBits : 0;
}

struct LatticeChannel {
  EncodingId original;          // A
  EncodingId misread;           // B (single-byte)
  std::vector<std::uint8_t> lost_bytes = {0xAD};  // bytes a cleaner may have removed
  double lost_cost = 6;         // bits per re-inserted byte
  double redecode_cost = 3;     // bits per character an earlier fixer re-decoded as UTF-8
  double ligature_cost = 4;     // bits per ligature spelled out
  double replaced_cost = 1;     // bits per choice for U+FFFD / '?'
  int beam = 16;
  double prune_bits = 30;       // hypotheses this far behind the best are dropped
};

struct LatticeResult {
  std::string text;
  double log2p = 0;            // language-model log-probability of text (blocks: of the beam windows)
  double channel_bits = 0;     // cost of the channel events on the best path
  std::vector<Restored> restored;
  std::size_t undecided = 0;
  std::vector<Step> forward;   // the chain, with the redecoded / ligature ranges
  bool ok = false;             // false when no path decodes without errors
  std::size_t invalid = 0;     // sequences A could not decode on the best path
  std::size_t t2_size = 0;     // bytes of the text as it stood before the earlier fixer
};

// A few bytes decoded strictly with A's table (the beam's own decoder): for judging single
// characters without a decoder object per call. False on any error or an unfinished sequence.
bool decode_few(EncodingId a, std::string_view bytes, std::string* out);

LatticeResult decode_lattice(std::string_view text, const LatticeChannel& ch,
                             const LanguageModel& model, const ScoreState& start = {});

// The same over text of any length: stretches whose exact reading succeeds are decoded
// directly, the beam runs only over the damaged ones (windows of at most block_bytes), and
// the results are merged into one (see lattice.cpp: "where the beam is needed").
LatticeResult decode_lattice_blocks(std::string_view text, const LatticeChannel& ch,
                                    const LanguageModel& model, std::size_t block_bytes = 8192);

}  // namespace ungarble::repair_detail
