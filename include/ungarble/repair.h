// ungarble/repair.h — undo mojibake, and say exactly how.
//
// The idea is a noisy channel. Garbled text T was produced from the author's text X by a chain
// of steps that real software takes: encode X with A, decode the bytes with the wrong B (under
// one of B's failure modes), perhaps again, perhaps strip "invisible" characters, perhaps have
// an earlier fixer re-decode some runs. We look for the X and the chain that best explain T:
// the language models say how probable each candidate X is, priors say how common each step
// is, and T itself is the hypothesis "nothing happened", which must be beaten by a clear margin.
// Where bytes were lost, the missing bytes are unknowns decoded by a beam search over a lattice
// of the channel's possible values. Each repaired span carries its chain (the recipe), so the
// repair can be audited and replayed: applying a span's forward steps to its repaired text
// gives back the input span.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ungarble/codec.h"

namespace ungarble {

class ModelSet;

// One step of how the text got broken, in the order it happened (forward direction).
struct Step {
  enum class Op : std::uint8_t {
    encode,      // text → bytes with `encoding` (strict)
    decode,      // bytes → text with `encoding` under `errors`
    strip,       // characters in `chars` were removed (a cleaner)
    redecode,    // an earlier fixer re-read the runs listed in `ranges` (byte offsets in the
                 // text of this point of the chain) as `encoding` → UTF-8 bytes → UTF-8 text
    split_ligatures  // ǲ/Ǳ/ǳ/ĳ/Ĳ/ǈ/ǉ/ǋ/ǌ… were spelled out as two letters
  };
  Op op;
  EncodingId encoding = EncodingId::utf_8;
  DecodeErrors errors{DecodeErrorMode::strict};
  std::string chars{};                                  // strip: UTF-8 characters removed
  std::vector<std::pair<std::size_t, std::size_t>> ranges{};  // redecode / split_ligatures
};

// A restored unknown: where lost or replaced bytes were filled in.
struct Restored {
  std::size_t out_offset = 0;   // byte offset in the repaired text
  std::string chosen;           // the text chosen there (UTF-8)
  std::vector<std::pair<std::string, double>> alternatives;  // other readings, probability
  double confidence = 0;        // posterior of `chosen` among the beam's readings
};

struct SpanRepair {
  std::size_t in_begin = 0, in_end = 0;    // byte range in the input
  std::size_t out_begin = 0, out_end = 0;  // byte range in the repaired text
  std::vector<Step> forward;               // how the damage happened, oldest first
  double confidence = 0;                   // probability the repair is right
  double gain_bits = 0;                    // log2 P(repaired) − log2 P(input), after priors
  std::string language;                    // language of the repaired span
  bool lossy = false;                      // bytes were restored (see `restored`)
  std::vector<Restored> restored;
  std::size_t undecided = 0;               // restored unknowns with confidence < 0.5
};

struct RepairOptions {
  std::optional<EncodingId> original;  // the true encoding, when known (--from)
  bool per_line = false;               // repair each line independently
  int max_depth = 3;                   // layers peeled at most
  bool lossy = true;                   // try lattice decoding for lost bytes
  // A chain that explained earlier text of the same document (the forward steps of its span,
  // e.g. the previous block of a stream): tried first on the whole text, and kept when it
  // undoes all of it exactly and the result reads better by the usual margin. Saves the
  // search on every block after the first. Only exact chains (encode/decode pairs) are used.
  const std::vector<Step>* hint = nullptr;
};

struct RepairResult {
  std::string text;               // UTF-8
  bool changed = false;
  double confidence = 1;          // lowest span confidence (1 when nothing changed)
  std::vector<SpanRepair> spans;  // in input order, non-overlapping
};

RepairResult repair(std::string_view utf8, const ModelSet& models, const RepairOptions& = {});

// Repairs a long input block by block (the caller cuts it, say at a line end every ~1 MiB, so
// that memory stays bounded), carrying what one block taught to the next: a chain that
// explained a whole block exactly is tried first on the next one (RepairOptions::hint), which
// spares the search on every block after the first. This is what `ungarble fix` does with
// files and pipes. Offsets in each result are relative to its block.
class StreamRepair {
 public:
  StreamRepair(const ModelSet& models, RepairOptions opt = {}) : models_(models), opt_(std::move(opt)) {}
  RepairResult next(std::string_view block);

 private:
  const ModelSet& models_;
  RepairOptions opt_;
  std::vector<Step> hint_;
};

// Applies each span's forward chain to its repaired text; for lossless chains this gives back
// the input byte for byte. Returns false (and a reason) when a step cannot be applied.
bool replay(const RepairResult& r, std::string* out, std::string* why = nullptr);

// The recipe as JSON and back (the format `ungarble fix --json` prints and `replay` reads).
std::string recipe_to_json(const RepairResult& r, bool include_text = true);
bool recipe_from_json(std::string_view json, RepairResult* r, std::string* why = nullptr);

// Human-readable account, one line per span and step.
std::string explain(const RepairResult& r, std::string_view input);

}  // namespace ungarble
