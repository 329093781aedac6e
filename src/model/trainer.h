// Training a .ugm model from clean text: interpolated modified Kneser-Ney over normalized
// symbols, count pruning to an entry budget, exact backoff renormalization after pruning,
// 8-bit quantile quantization, open-addressing hash table. Deterministic: the same text and
// options give the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ungarble::model {

struct TrainOptions {
  std::string lang;            // model name, e.g. "de", "zh-Hans" (≤ 15 bytes)
  std::string script;          // ISO 15924 code (≤ 7 bytes)
  int order = 5;               // 1…5
  std::uint64_t max_entries = 120000;  // n-gram budget (every unigram is always kept)
  std::uint32_t min_char_count = 2;    // rarer characters are scored as their script class
  std::uint32_t max_vocab = 4000;      // vocabulary cap (most frequent first)
  double load_factor = 0.8;    // hash table fill
  double prune_growth = 1.0;   // count threshold of order k = T / growth^(order-k)
};

struct TrainReport {
  std::uint64_t training_chars = 0, training_bytes = 0;
  std::uint32_t vocab = 0, entries = 0, slots = 0, threshold = 0;
  std::uint64_t ngrams_before[6] = {}, ngrams_after[6] = {};
  double discounts[6][3] = {};
  std::string summary() const;
};

// text: UTF-8, one segment per line (lines are independent: no n-gram spans a newline).
// Returns the complete model file; *report (optional) says what was kept. Throws
// std::invalid_argument for bad options (a tool-time error, not a data error).
std::string train_model(std::string_view text, const TrainOptions& opt, TrainReport* report = nullptr);

}  // namespace ungarble::model
