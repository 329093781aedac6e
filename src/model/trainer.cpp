#include "model/trainer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "model/format.h"
#include "model/normalize.h"

namespace ungarble::model {
namespace {

constexpr int kIdBits = 12;
constexpr std::uint32_t kBos = (1u << kIdBits) - 1;  // virtual left context of a line start
constexpr std::uint64_t kIdMask = (1u << kIdBits) - 1;

std::uint64_t low_mask(int k) { return k >= 5 ? ~0ull >> (64 - 5 * kIdBits) : (1ull << (kIdBits * k)) - 1; }

struct Order {
  std::vector<std::uint64_t> keys;   // sorted packed k-grams, first symbol in the high bits
  std::vector<std::uint32_t> raw;    // occurrence counts
  std::vector<std::uint32_t> adj;    // KN adjusted counts (continuation counts below the top)
  std::vector<double> prob;          // interpolated P(w | h), unpruned
  std::vector<char> keep;
  std::vector<double> bow;           // log2 backoff when this n-gram is a context
  std::ptrdiff_t find(std::uint64_t k) const {
    auto it = std::lower_bound(keys.begin(), keys.end(), k);
    return it != keys.end() && *it == k ? it - keys.begin() : -1;
  }
};

void sort_count(std::vector<std::uint64_t>& v, std::vector<std::uint64_t>& keys,
                std::vector<std::uint32_t>& counts) {
  std::sort(v.begin(), v.end());
  keys.clear();
  counts.clear();
  for (std::size_t i = 0; i < v.size();) {
    std::size_t j = i;
    while (j < v.size() && v[j] == v[i]) ++j;
    keys.push_back(v[i]);
    counts.push_back(static_cast<std::uint32_t>(std::min<std::size_t>(j - i, 0xFFFFFFFFu)));
    i = j;
  }
}

// 256-level codebook: half quantile centroids, half an even grid over the range (so that rare
// extreme values keep a bounded error), refined by a few Lloyd iterations.
std::vector<float> codebook(std::vector<double> v, bool zero_code) {
  std::size_t levels = zero_code ? 255 : 256;
  if (v.empty()) v.push_back(0.0);
  std::sort(v.begin(), v.end());
  std::vector<double> c;
  const std::size_t half = levels / 2;
  for (std::size_t b = 0; b < half; ++b) c.push_back(v[std::min(v.size() - 1, v.size() * (2 * b + 1) / (2 * half))]);
  double lo = v.front(), hi = v.back();
  for (std::size_t b = 0; c.size() < levels; ++b) c.push_back(lo + (hi - lo) * double(b) / double(levels - half - 1));
  std::sort(c.begin(), c.end());
  for (int it = 0; it < 8; ++it) {
    std::vector<double> sum(c.size(), 0), cnt(c.size(), 0);
    std::size_t j = 0;
    for (double x : v) {
      while (j + 1 < c.size() && std::fabs(c[j + 1] - x) <= std::fabs(c[j] - x)) ++j;
      sum[j] += x, cnt[j] += 1;
    }
    for (std::size_t i = 0; i < c.size(); ++i)
      if (cnt[i] > 0) c[i] = sum[i] / cnt[i];
    std::sort(c.begin(), c.end());
  }
  std::vector<float> cb;
  if (zero_code) cb.push_back(0.0f);
  for (double x : c) cb.push_back(static_cast<float>(x));
  return cb;
}

std::uint8_t encode(const std::vector<float>& cb, double x, bool zero_code) {
  if (zero_code && x == 0.0) return 0;
  std::size_t first = zero_code ? 1 : 0;
  auto it = std::lower_bound(cb.begin() + static_cast<std::ptrdiff_t>(first), cb.end(), x);
  std::size_t i = static_cast<std::size_t>(it - cb.begin());
  std::size_t best = i < cb.size() ? i : cb.size() - 1;
  if (i > first && (i == cb.size() || std::fabs(cb[i - 1] - x) <= std::fabs(cb[i] - x))) best = i - 1;
  return static_cast<std::uint8_t>(best);
}

template <class T>
void put(std::string& out, std::size_t off, const T& v) {
  std::memcpy(out.data() + off, &v, sizeof v);
}

}  // namespace

std::string TrainReport::summary() const {
  std::ostringstream o;
  o << "chars=" << training_chars << " bytes=" << training_bytes << " vocab=" << vocab
    << " threshold=" << threshold << " entries=" << entries << " slots=" << slots << " kept/all:";
  for (int k = 1; k <= 5; ++k)
    if (ngrams_before[k]) o << " " << k << ":" << ngrams_after[k] << "/" << ngrams_before[k];
  return o.str();
}

std::string train_model(std::string_view text, const TrainOptions& opt, TrainReport* report) {
  const int n = opt.order;
  if (n < 1 || n > 5) throw std::invalid_argument("order must be 1…5");
  if (opt.lang.empty() || opt.lang.size() > 15 || opt.script.size() > 7)
    throw std::invalid_argument("lang must be 1…15 bytes, script ≤ 7");
  if (!(opt.prune_growth >= 1.0 && opt.prune_growth <= 100)) throw std::invalid_argument("prune growth");
  if (!(opt.load_factor > 0.1 && opt.load_factor < 0.95)) throw std::invalid_argument("load factor");
  TrainReport rep;
  rep.training_bytes = text.size();

  // 1. Normalize into symbols, one line at a time (each line: ' ' symbols… ' ').
  std::vector<std::uint32_t> syms;
  syms.reserve(text.size());
  std::map<std::uint32_t, std::uint64_t> freq;
  {
    std::vector<std::uint32_t> line;
    auto flush = [&] {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      if (line.size() > 1) {
        line.push_back(' ');
        syms.push_back(kSkip);  // line separator
        syms.insert(syms.end(), line.begin(), line.end());
      }
      line.assign(1, ' ');
    };
    line.assign(1, ' ');
    for (std::size_t i = 0; i < text.size();) {
      if (text[i] == '\n') {
        ++i;
        flush();
        continue;
      }
      std::uint32_t s = normalize_cp(decode_utf8(text, i));
      if (s == kSkip || (s == ' ' && line.back() == ' ')) continue;
      line.push_back(s);
    }
    flush();
  }
  for (std::uint32_t s : syms)
    if (s != kSkip) ++freq[s];

  // 2. Vocabulary: frequent symbols get ids; the rest become their class symbol.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> byfreq;
  for (auto [s, f] : freq)
    if (f >= opt.min_char_count && s != 0xFFFD) byfreq.push_back({f, s});
  std::sort(byfreq.begin(), byfreq.end(), [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::uint32_t cap = std::min<std::uint32_t>(opt.max_vocab, kBos - 1 - kClassCount);
  if (byfreq.size() > cap) byfreq.resize(cap);
  std::vector<std::uint32_t> sym_of_id(1, 0);  // id 0 unused
  std::map<std::uint32_t, std::uint32_t> id_of;
  std::vector<std::uint32_t> in_class(kClassCount, 0);
  std::vector<std::uint32_t> vocab_syms;
  for (auto [f, s] : byfreq) {
    id_of[s] = static_cast<std::uint32_t>(sym_of_id.size());
    sym_of_id.push_back(s);
    vocab_syms.push_back(s);
    ++in_class[class_of(s)];
  }
  for (unsigned c = 0; c < kClassCount; ++c) {
    id_of[kClassBase + c] = static_cast<std::uint32_t>(sym_of_id.size());
    sym_of_id.push_back(kClassBase + c);
  }
  const std::uint32_t V = static_cast<std::uint32_t>(sym_of_id.size() - 1);
  rep.vocab = static_cast<std::uint32_t>(vocab_syms.size());
  std::vector<std::uint16_t> seq;  // 0 = line separator
  seq.reserve(syms.size());
  for (std::uint32_t s : syms) {
    if (s == kSkip) {
      seq.push_back(0);
      continue;
    }
    auto it = id_of.find(s);
    seq.push_back(static_cast<std::uint16_t>(it != id_of.end() ? it->second : id_of[kClassBase + class_of(s)]));
  }
  syms.clear();
  syms.shrink_to_fit();

  // 3. Count k-grams (targets: every symbol but the line-initial space). A k-gram reaching one
  // before the line start gets kBos as first symbol: it only feeds continuation counts.
  std::vector<Order> ord(n + 1);
  std::vector<std::vector<std::uint64_t>> bos_led(n + 1);
  for (int k = 1; k <= n; ++k) {
    std::vector<std::uint64_t> all;
    std::size_t p0 = 0;
    for (std::size_t j = 0; j < seq.size(); ++j) {
      if (seq[j] == 0) {
        p0 = j + 1;
        continue;
      }
      if (j == p0) continue;
      if (j + 1 < p0 + static_cast<std::size_t>(k) - 1) continue;  // starts before BOS
      std::uint64_t key = 0;
      bool bos = j + 1 == p0 + static_cast<std::size_t>(k) - 1;
      if (bos) key = kBos;
      std::size_t start = bos ? p0 : j + 1 - static_cast<std::size_t>(k);
      for (std::size_t i = start; i <= j; ++i) key = (key << kIdBits) | seq[i];
      all.push_back(key);
    }
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> counts;
    sort_count(all, keys, counts);
    Order& o = ord[k];
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (k > 1 && (keys[i] >> (kIdBits * (k - 1))) == kBos) {
        bos_led[k].push_back(keys[i]);
        continue;
      }
      o.keys.push_back(keys[i]);
      o.raw.push_back(counts[i]);
    }
    if (k == 1) {  // every id gets a unigram, seen or not
      std::vector<std::uint32_t> c(V + 1, 0);
      for (std::size_t i = 0; i < o.keys.size(); ++i) c[o.keys[i]] = o.raw[i];
      o.keys.clear();
      o.raw.clear();
      for (std::uint32_t id = 1; id <= V; ++id) {
        o.keys.push_back(id);
        o.raw.push_back(c[id]);
      }
    }
    rep.ngrams_before[k] = o.keys.size();
  }
  for (auto s : seq)
    if (s) ++rep.training_chars;
  rep.training_chars -= std::count(seq.begin(), seq.end(), 0);  // the line-initial spaces
  seq.clear();
  seq.shrink_to_fit();

  // 4. Adjusted counts: raw at the top order, continuation counts (distinct left extensions,
  // line start counting as one) below.
  for (int k = 1; k <= n; ++k) {
    Order& o = ord[k];
    if (k == n) {
      o.adj = o.raw;
      continue;
    }
    std::vector<std::uint64_t> suf;
    for (auto key : ord[k + 1].keys) suf.push_back(key & low_mask(k));
    for (auto key : bos_led[k + 1]) suf.push_back(key & low_mask(k));
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> counts;
    sort_count(suf, keys, counts);
    o.adj.assign(o.keys.size(), 0);
    for (std::size_t i = 0, j = 0; i < o.keys.size(); ++i) {
      while (j < keys.size() && keys[j] < o.keys[i]) ++j;
      if (j < keys.size() && keys[j] == o.keys[i]) o.adj[i] = counts[j];
    }
  }

  // 5. Interpolated modified Kneser-Ney.
  for (int k = 1; k <= n; ++k) {
    Order& o = ord[k];
    std::uint64_t cc[5] = {};
    for (auto a : o.adj)
      if (a >= 1 && a <= 4) ++cc[a];
    double D[4] = {0, 0.5, 1.0, 1.5};
    if (cc[1] && cc[2] && cc[3] && cc[4]) {
      double Y = double(cc[1]) / (cc[1] + 2.0 * cc[2]);
      D[1] = std::clamp(1 - 2 * Y * cc[2] / cc[1], 0.05, 0.95);
      D[2] = std::clamp(2 - 3 * Y * cc[3] / cc[2], 0.1, 1.95);
      D[3] = std::clamp(3 - 4 * Y * cc[4] / cc[3], 0.1, 2.95);
    }
    for (int d = 0; d < 3; ++d) rep.discounts[k][d] = D[d + 1];
    auto disc = [&](std::uint32_t a) { return a == 0 ? 0.0 : D[std::min<std::uint32_t>(a, 3)]; };
    o.prob.assign(o.keys.size(), 0);
    for (std::size_t i = 0; i < o.keys.size();) {
      std::uint64_t ctx = o.keys[i] >> kIdBits;
      std::size_t j = i;
      double total = 0, dsum = 0;
      while (j < o.keys.size() && (o.keys[j] >> kIdBits) == ctx) {
        total += o.adj[j];
        dsum += disc(o.adj[j]);
        ++j;
      }
      double gamma = total > 0 ? dsum / total : 1.0;
      for (std::size_t t = i; t < j; ++t) {
        double lower;
        if (k == 1) {
          lower = 1.0 / V;
        } else {
          auto idx = ord[k - 1].find(o.keys[t] & low_mask(k - 1));
          lower = idx >= 0 ? ord[k - 1].prob[idx] : 1.0 / V;
        }
        double a = o.adj[t];
        o.prob[t] = (total > 0 ? std::max(a - disc(o.adj[t]), 0.0) / total : 0.0) + gamma * lower;
      }
      i = j;
    }
  }

  // 6. Count pruning to the entry budget: one threshold T for every order ≥ 2.
  // Lower orders get lower thresholds (T / growth^(n-k), at least 1): they are few and carry
  // most of the information for short texts. Thresholds fall with the order, so every kept
  // n-gram keeps its prefix (the context holding its backoff) and its suffix.
  auto thr = [&](std::uint32_t T, int k) {
    return std::max(1.0, double(T) / std::pow(opt.prune_growth, double(n - k)));
  };
  auto entries_for = [&](std::uint32_t T) {
    std::uint64_t e = ord[1].keys.size();
    for (int k = 2; k <= n; ++k) {
      double t = thr(T, k);
      for (auto r : ord[k].raw) e += r >= t;
    }
    return e;
  };
  std::uint32_t T = 1;
  if (entries_for(1) > opt.max_entries) {
    std::uint32_t lo = 1, hi = 1;
    while (entries_for(hi) > opt.max_entries && hi < (1u << 30)) lo = hi, hi *= 2;
    while (lo + 1 < hi) {
      std::uint32_t mid = lo + (hi - lo) / 2;
      (entries_for(mid) > opt.max_entries ? lo : hi) = mid;
    }
    T = hi;
  }
  rep.threshold = T;
  for (int k = 1; k <= n; ++k) {
    Order& o = ord[k];
    o.keep.assign(o.keys.size(), 0);
    for (std::size_t i = 0; i < o.keys.size(); ++i) o.keep[i] = k == 1 || o.raw[i] >= thr(T, k);
    o.bow.assign(o.keys.size(), 0.0);
    rep.ngrams_after[k] = static_cast<std::uint64_t>(std::count(o.keep.begin(), o.keep.end(), 1));
  }

  // 7. Backoff weights that renormalize the pruned model exactly: for a kept context h,
  // bow(h) = (1 − Σ_kept P(w|h)) / (1 − Σ_kept P(w|h')).
  for (int k = 2; k <= n; ++k) {
    Order& o = ord[k];
    for (std::size_t i = 0; i < o.keys.size();) {
      std::uint64_t ctx = o.keys[i] >> kIdBits;
      std::size_t j = i;
      double num = 1, den = 1;
      bool any = false;
      while (j < o.keys.size() && (o.keys[j] >> kIdBits) == ctx) {
        if (o.keep[j]) {
          any = true;
          num -= o.prob[j];
          auto idx = ord[k - 1].find(o.keys[j] & low_mask(k - 1));
          if (idx >= 0) den -= ord[k - 1].prob[idx];
        }
        ++j;
      }
      if (any) {
        auto cidx = ord[k - 1].find(ctx);
        if (cidx >= 0) ord[k - 1].bow[cidx] = std::log2(std::max(num, 1e-12) / std::max(den, 1e-12));
      }
      i = j;
    }
  }

  // 8. Quantize and lay out the file.
  std::vector<double> lps, bows;
  std::uint64_t total = 0;
  for (int k = 1; k <= n; ++k)
    for (std::size_t i = 0; i < ord[k].keys.size(); ++i)
      if (ord[k].keep[i]) {
        ++total;
        lps.push_back(std::log2(std::max(ord[k].prob[i], 1e-19)));
        if (ord[k].bow[i] != 0.0) bows.push_back(ord[k].bow[i]);
      }
  auto pcb = codebook(lps, false);
  auto bcb = codebook(bows, true);
  std::uint32_t slots = static_cast<std::uint32_t>(std::max<double>(total + 1, std::ceil(total / opt.load_factor)));
  rep.entries = static_cast<std::uint32_t>(total);
  rep.slots = slots;

  std::vector<std::uint32_t> astral;
  for (auto s : vocab_syms)
    if (s >= 0x10000) astral.push_back(s);
  std::sort(astral.begin(), astral.end());
  std::size_t off = kHeaderSize;
  const std::size_t bitmap_off = off;
  off += kBitmapBytes;
  const std::size_t astral_off = off;
  off += 4 * astral.size();
  const std::size_t penalty_off = off;
  off += 4 * kClassCount;
  const std::size_t pcb_off = off;
  off += 1024;
  const std::size_t bcb_off = off;
  off += 1024;
  const std::size_t table_off = off;
  off += 4ull * slots;
  std::string out(off, '\0');

  for (auto s : vocab_syms)
    if (s < 0x10000) out[bitmap_off + (s >> 3)] = static_cast<char>(out[bitmap_off + (s >> 3)] | (1 << (s & 7)));
  for (std::size_t i = 0; i < astral.size(); ++i) put(out, astral_off + 4 * i, astral[i]);
  for (unsigned c = 0; c < kClassCount; ++c) {
    double unseen = std::max<double>(2.0, double(class_size(c)) - in_class[c]);
    put(out, penalty_off + 4 * c, static_cast<float>(std::log2(unseen)));
  }
  for (int i = 0; i < 256; ++i) {
    put(out, pcb_off + 4 * i, std::min(pcb[i], 0.0f));
    put(out, bcb_off + 4 * i, bcb[i]);
  }
  auto* table = reinterpret_cast<std::uint32_t*>(out.data() + table_off);  // 4-aligned offset
  for (int k = 1; k <= n; ++k)
    for (std::size_t i = 0; i < ord[k].keys.size(); ++i) {
      if (!ord[k].keep[i]) continue;
      std::uint64_t key = ord[k].keys[i];
      std::uint64_t g = hash_seed(sym_of_id[key & kIdMask]);
      for (int j = 1; j < k; ++j) g = hash_step(g, sym_of_id[(key >> (kIdBits * j)) & kIdMask]);
      std::uint32_t e = (fingerprint(g) << 16) |
                        (std::uint32_t{encode(pcb, std::log2(std::max(ord[k].prob[i], 1e-19)), false)} << 8) |
                        encode(bcb, ord[k].bow[i], true);
      std::uint32_t s = slot_of(g, slots);
      while (table[s] != 0) s = s + 1 == slots ? 0 : s + 1;
      table[s] = e;
    }

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kFormatVersion;
  h.header_size = kHeaderSize;
  h.file_size = out.size();
  h.order = static_cast<std::uint32_t>(n);
  std::memcpy(h.lang, opt.lang.data(), opt.lang.size());
  std::memcpy(h.script, opt.script.data(), opt.script.size());
  h.training_chars = rep.training_chars;
  h.training_bytes = rep.training_bytes;
  h.ngram_count = static_cast<std::uint32_t>(total);
  h.slot_count = slots;
  h.vocab_size = static_cast<std::uint32_t>(vocab_syms.size());
  h.astral_count = static_cast<std::uint32_t>(astral.size());
  h.bitmap_off = bitmap_off;
  h.astral_off = astral_off;
  h.penalty_off = penalty_off;
  h.prob_cb_off = pcb_off;
  h.bow_cb_off = bcb_off;
  h.table_off = table_off;
  h.crc32 = 0;
  std::uint32_t crc = crc32(&h, sizeof h);
  crc = crc32(out.data() + kHeaderSize, out.size() - kHeaderSize, crc);
  h.crc32 = crc;
  std::memcpy(out.data(), &h, sizeof h);
  if (report) *report = rep;
  return out;
}

}  // namespace ungarble::model
