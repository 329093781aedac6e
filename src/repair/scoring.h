// scoring.h — how probable is this text as something a person wrote? The language models
// answer per language; here we pick the languages worth asking (by the text's dominant script)
// and return the best total log-probability, so that readings of the same bytes in different
// scripts and lengths can be compared directly.
#pragma once

#include <cmath>
#include <string_view>
#include <vector>

#include "ungarble/model.h"

namespace ungarble::repair_detail {

enum class Script : std::uint8_t { none, latin, cyrillic, greek, arabic, hebrew, thai, han, kana,
                                   hangul, other };

// The script most letters of the text belong to (none for text without letters).
Script dominant_script(std::string_view utf8);

struct TextScore {
  double log2p = 0;                     // total log2 probability under the best model
  const LanguageModel* model = nullptr;  // that model (nullptr when no model applies)
  std::size_t chars = 0;
};

// Does this reading look like running text of its model's language, rather than a page swap's
// best effort? Bits per character under the chosen model, against a per-script ceiling well
// above what short clean text costs (alphabets ~2–4 bits/char, Han ~8–10, kana/Hangul ~7–9).
bool fluent(const TextScore& s);

class Scorer {
 public:
  explicit Scorer(const ModelSet& models) : models_(models) {}
  // The best model's total. With `floor`: a search only needs to know whether the text beats
  // floor, so a model stops as soon as its running total falls below floor or below the best
  // total found so far (totals only fall); when no model beats floor the result has
  // log2p = -inf and no model. The winner is exact either way.
  TextScore score(std::string_view utf8, double floor = -INFINITY) const;
  // Models whose script fits `s` (all models when none fits).
  std::vector<const LanguageModel*> models_for(Script s) const;
  const ModelSet& models() const { return models_; }

 private:
  const ModelSet& models_;
  // Per script, the model that won last: tried first, so that the bound is tight early.
  mutable std::vector<const LanguageModel*> last_winner_ = std::vector<const LanguageModel*>(11);
  mutable std::vector<char32_t> cps_;
};

}  // namespace ungarble::repair_detail
