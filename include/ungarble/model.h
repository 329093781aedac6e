// ungarble/model.h — character n-gram language models: "which of these readings is text a
// person wrote?", asked in bits.
//
// The idea. One model per language predicts the next Unicode code point from the previous
// (order-1) ones, trained on clean translated prose (see docs/models.md). Text is normalized
// the same way in training and scoring so that mixed text works: Latin/Greek/Cyrillic… are
// lower-cased, full-width ASCII becomes ASCII, every ASCII digit is one symbol ('0'),
// whitespace runs collapse to one space, format characters (ZWSP, BOM, soft hyphen) vanish.
// A model keeps its own vocabulary; a code point outside it is scored as its Unicode script
// class (Han, Hangul, Latin letter, Latin-1 symbol, control/invalid, …) with the class's
// probability in context times an explicit "which member of the class" cost, so an unseen
// ideograph is cheap-ish in a Chinese model and a Cyrillic letter is expensive there.
// Probabilities are interpolated modified Kneser-Ney, count-pruned, stored in backoff form
// (KenLM-like) in one open-addressing hash table of 4-byte entries with 8-bit quantized
// log-probabilities and backoffs, in a file that is memory-mapped and used in place: a
// header with magic, version, CRC-32 and offsets, validated on load, nothing parsed.
//
// Use log2prob() to compare readings of the same bytes (more is better; lengths may differ,
// so compare totals), bits_per_char() for cross-entropy, ScoreState/next() in a beam search,
// ModelSet::identify() for language identification.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ungarble {

// Incremental scoring context: the last (order-1) normalized symbols, newest first, as far
// as the model has n-grams for them. Small and trivially copyable, so a beam can hold one per
// hypothesis; it belongs to the model that advanced it. Equal contexts compare equal.
struct ScoreState {
  std::uint32_t ctx[5] = {' ', 0, 0, 0, 0};  // text starts as if after a space
  std::uint8_t len = 1;
  std::uint8_t bow_code = 0;     // cached backoff code of the full context (when bow_known)
  bool bow_known = false;
  bool operator==(const ScoreState& o) const noexcept {
    if (len != o.len) return false;
    for (int i = 0; i < len; ++i)
      if (ctx[i] != o.ctx[i]) return false;
    return true;
  }
};

class LanguageModel {
 public:
  std::string_view lang() const noexcept;    // e.g. "zh-Hans", "de"
  std::string_view script() const noexcept;  // ISO 15924, e.g. "Hani", "Latn", "Jpan"
  int order() const noexcept;
  std::size_t size_bytes() const noexcept;       // file size
  std::uint64_t training_chars() const noexcept;  // normalized symbols trained on
  std::uint64_t training_bytes() const noexcept;  // UTF-8 bytes of clean training text
  std::uint32_t ngram_count() const noexcept;

  // log2 P(cp | state), and advances the state. Returns 0 for characters the normalization
  // drops (format characters, the 2nd… space of a run); always finite and ≤ 0.
  double next(ScoreState& state, char32_t cp) const noexcept;

  // Sum of next() over the UTF-8 span (invalid bytes count as U+FFFD), from a fresh state.
  double log2prob(std::string_view utf8) const noexcept;
  // Same, also returning how many symbols were scored (the denominator of bits/char).
  double log2prob(std::string_view utf8, std::size_t* scored_chars) const noexcept;
  // Scoring a decoded candidate in one call: the sum over the code points of
  // std::max(next(state, cp), -floor_bits) from a fresh state, bit for bit what that loop over
  // next() gives (no NFC; each code point counts, dropped ones add 0), at log2prob speed. With
  // a finite stop it returns early, with the partial sum (then < stop), at the first multiple of
  // 16 code points where the sum is below stop — a caller looking for the best of several models
  // can pass the best total so far.
  double log2prob_floored(const char32_t* cps, std::size_t n, double floor_bits,
                          double stop = -std::numeric_limits<double>::infinity()) const noexcept;
  // Cross-entropy in bits per scored character (0 for empty text).
  double bits_per_char(std::string_view utf8) const noexcept;

  struct Impl;
  explicit LanguageModel(std::unique_ptr<Impl> impl) noexcept;
  ~LanguageModel();
  LanguageModel(const LanguageModel&) = delete;
  LanguageModel& operator=(const LanguageModel&) = delete;

 private:
  std::unique_ptr<Impl> impl_;
};

struct LangGuess {
  std::string_view lang;      // empty when no model is loaded or the text has no characters
  double bits_per_char = 0;
  double margin = 0;          // runner-up's bits/char minus this one's (≥ 0); 0 for the runner-up
};

struct Identification {
  LangGuess best, runner_up;
  std::size_t chars = 0;      // symbols scored
};

class ModelSet {
 public:
  ModelSet();
  ~ModelSet();
  ModelSet(ModelSet&&) noexcept;
  ModelSet& operator=(ModelSet&&) noexcept;

  // Maps every *.ugm file of dir (sorted by name). Returns "" when all loaded; otherwise a
  // message naming each rejected file and why — the good ones are still loaded. Never throws
  // for bad data, never crashes on corrupt or truncated files.
  std::string load_dir(const std::string& dir);
  std::string load_file(const std::string& path);  // one model file

  // $UNGARBLE_MODELS if set, else the build-time default (UNGARBLE_MODEL_DIR).
  static std::string default_dir();

  std::size_t size() const noexcept;
  const LanguageModel& operator[](std::size_t i) const noexcept;
  const LanguageModel* find(std::string_view lang) const noexcept;

  // Scores the text under every model; best = lowest bits/char.
  Identification identify(std::string_view utf8) const;

 private:
  std::vector<std::unique_ptr<LanguageModel>> models_;
};

}  // namespace ungarble
