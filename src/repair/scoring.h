// scoring.h — how probable is this text as something a person wrote? The language models
// answer per language; here we pick the languages worth asking (by the text's dominant script)
// and return the best total log-probability, so that readings of the same bytes in different
// scripts and lengths can be compared directly.
#pragma once

#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "ungarble/codec.h"
#include "ungarble/model.h"

namespace ungarble::repair_detail {

enum class Script : std::uint8_t { none, latin, cyrillic, greek, arabic, hebrew, thai, han, kana,
                                   hangul, other };

struct TextScore {
  double log2p = 0;                     // total log2 probability under the best model
  const LanguageModel* model = nullptr;  // that model (nullptr when no model applies)
  std::size_t chars = 0;
};

// Does this reading look like running text of its model's language, rather than a page swap's
// best effort? Bits per character under the chosen model, against a per-script ceiling well
// above what short clean text costs (alphabets ~2–4 bits/char, Han ~8–10, kana/Hangul ~7–9).
bool fluent(const TextScore& s);
// Stricter: does CJK text read like clean text (≤ 7 bits/char; measured on held-out Chinese
// snippets of 10–60 characters: clean p95 6.8, max 7.8; GBK read as Big5 p5 8.4, UTF-8 read as
// GBK min 8.1)? CJK text that does is not searched for a CJK page swap at all.
bool clean_cjk(const TextScore& s);
// The same for Cyrillic and Greek, whose page swaps give real letters too: ≤ 3.6 bits/char
// (held-out 12–50-character lines: clean Russian and Greek p95 3.2, max 4.3; cp1251 ↔ KOI8-R,
// cp866, 8859-7 ↔ cp1251 and cp1253 → KOI8-R mojibake min 4.1, p5 5.0).
bool clean_alphabet(const TextScore& s);
// Does a reading fit the story "this text was written in `original`"? Text from a CJK page
// is mostly CJK, from a Cyrillic page Cyrillic, and so on (at least half of its non-ASCII
// characters by default); a page swap that turns box drawing into Greek through GB18030 does
// not. Also asked of the input for the page that misread it (`misread`), with a lower share
// (1/3: Big5 read as GBK is half kana, Greek and Cyrillic, for GBK's symbol rows); there the
// half-width katakana and their punctuation (｡｢｣､･ﾏ) count too: Shift_JIS and EUC-JP make them.
bool fits_original(std::string_view text, EncodingId original, double share_needed = 0.5, bool misread = false);

// The per-character table's verdict on a text's CJK characters (see Scorer::cjk_cost).
struct CjkCost {
  double bits = 0;   // sum over the CJK characters
  double most = 0;   // the dearest one
  std::size_t chars = 0;
  double mean() const { return chars ? bits / static_cast<double>(chars) : 0; }
};

class Scorer {
 public:
  explicit Scorer(const ModelSet& models) : models_(models) {}
  // The best model's total. With `floor`: a search only needs to know whether the text beats
  // floor, so a model stops as soon as its running total falls below floor or below the best
  // total found so far (totals only fall); when no model beats floor the result has
  // log2p = -inf and no model.
  //
  // Within a segment (see begin_segment) the first text of each script is scored by every
  // model of that script, and later texts of that script only by the kShortlist models that
  // ranked best on it: the readings a search compares differ in a few characters, not in
  // language, and scoring 30 Latin models per reading was 90 % of the repair time.
  TextScore score(std::string_view utf8, double floor = -INFINITY) const;
  // Forget the shortlists: the next text starts a new segment.
  void begin_segment() const;
  // Every model of the script, and the shortlist re-ranked on this text: for the finalists of
  // a search, whose language the first (garbled) text may have hidden — Serbian read as KOI8-R
  // ranks Bulgarian and Russian first, and ј, љ, њ are foreign to both.
  TextScore score_full(std::string_view utf8) const;
  // Does CJK text read like common characters? The mean cost of its CJK characters each on
  // its own (after an ideograph, under the cheapest CJK model) is a table lookup per character
  // (filled on first sight, kept for this Scorer's life), three orders of magnitude cheaper
  // than the n-gram models. Held-out lines of ≥ 8 CJK characters: clean Chinese, Japanese and
  // Korean cost 7.9–12.4 bits (p1…p99); one CJK page read as another, or UTF-8 read as one,
  // 13.7–23 bits. True at ≤ kCommonCjkBits over ≥ kCommonCjkChars characters: such text needs
  // no page-swap search at all (the models decide everything else).
  bool reads_common_cjk(std::string_view utf8) const { return common_cjk(utf8, false); }
  static constexpr double kCommonCjkBits = 11.5;
  static constexpr std::size_t kCommonCjkChars = 8;
  // The same for a short line (≥ 3 CJK characters) of a text that read as clean CJK: at most
  // 11 bits on average and 16 for any one character. Held-out lines of 3–7 CJK characters:
  // 63 % of clean ones pass, and 19 of 8,228 page-swapped ones (whose own probe would not
  // have read clean).
  bool reads_common_cjk_short(std::string_view utf8) const { return common_cjk(utf8, true); }
  // The table's costs themselves: what the checks above compare with their thresholds.
  CjkCost cjk_cost(std::string_view utf8) const;
  static constexpr double kShortCommonCjkBits = 11, kShortMaxCjkBits = 16;
  static constexpr std::size_t kShortCommonCjkChars = 3;
  // Short texts are cheap to score and say little about their language: no shortlist.
  static constexpr std::size_t kShortlist = 4, kShortlistFrom = 64;
  // Models whose script fits `s` (all models when none fits).
  std::vector<const LanguageModel*> models_for(Script s) const;
  const ModelSet& models() const { return models_; }

 private:
  const ModelSet& models_;
  TextScore score_run(const char32_t* cps, std::size_t n, double floor) const;
  bool common_cjk(std::string_view utf8, bool short_line) const;
  struct Run {
    std::size_t begin, end;
    int group;
  };
  mutable std::array<std::vector<const LanguageModel*>, 11> by_script_, shortlist_;
  mutable std::vector<Run> runs_;
  mutable bool full_ = false;
  mutable std::vector<char32_t> cps_;
  mutable std::vector<std::uint8_t> cjk_cost_;  // 0 = not yet known, else 1 + quarter bits
};

}  // namespace ungarble::repair_detail
