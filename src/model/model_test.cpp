// Tests of the language models: normalization, format round trip and determinism, rejection of
// corrupt/truncated files, scoring against a slow reference Kneser-Ney implementation, and
// (with the shipped models) language ID sanity and mojibake-vs-text decisions.
#include <gtest/gtest.h>

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 reports a false -Wrestrict inside std::u32string concatenation at -O3 (GCC bug 105329).
#pragma GCC diagnostic ignored "-Wrestrict"
#endif
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "model/format.h"
#include "model/normalize.h"
#include "model/trainer.h"
#include "ungarble/model.h"

namespace fs = std::filesystem;
using namespace ungarble;
using namespace ungarble::model;

namespace {

std::string utf8(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += char(c);
  } else if (c < 0x800) {
    s += char(0xC0 | (c >> 6)), s += char(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += char(0xE0 | (c >> 12)), s += char(0x80 | ((c >> 6) & 0x3F)), s += char(0x80 | (c & 0x3F));
  } else {
    s += char(0xF0 | (c >> 18)), s += char(0x80 | ((c >> 12) & 0x3F));
    s += char(0x80 | ((c >> 6) & 0x3F)), s += char(0x80 | (c & 0x3F));
  }
  return s;
}

// A made-up "language": words built from a small alphabet by a seeded random process, with a
// skewed word distribution, so n-gram statistics are non-trivial.
std::string synthetic_text(unsigned seed, std::size_t lines, const std::u32string& alphabet) {
  std::mt19937 rng(seed);
  std::vector<std::string> words;
  for (int w = 0; w < 300; ++w) {
    std::string word;
    int len = 2 + int(rng() % 7);
    for (int i = 0; i < len; ++i) word += utf8(alphabet[rng() % alphabet.size()]);
    words.push_back(word);
  }
  std::string text;
  for (std::size_t l = 0; l < lines; ++l) {
    int n = 3 + int(rng() % 10);
    for (int i = 0; i < n; ++i) {
      std::size_t r = rng() % 1000;
      std::size_t idx = (r * r) / 3334;  // Zipf-ish
      if (i) text += ' ';
      text += words[idx % words.size()];
      if (rng() % 17 == 0) text += ", 42";
    }
    text += ".\n";
  }
  return text;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("ugm-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(std::random_device{}()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& bytes) const {
    auto p = path / name;
    std::ofstream(p, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    return p.string();
  }
};

const std::u32string kAlpha = U"aeioubdgklmnrstzäöü";

TrainOptions opts(std::string lang, int order = 4, std::uint64_t entries = 1000000) {
  TrainOptions o;
  o.lang = std::move(lang);
  o.script = "Latn";
  o.order = order;
  o.max_entries = entries;
  o.min_char_count = 1;
  return o;
}

}  // namespace

TEST(Normalize, MapsForMixedText) {
  EXPECT_EQ(normalize_cp(U'A'), U'a');
  EXPECT_EQ(normalize_cp(U'7'), U'0');
  EXPECT_EQ(normalize_cp(U'\uFF21'), U'a');   // full-width A
  EXPECT_EQ(normalize_cp(U'\uFF17'), U'0');   // full-width 7
  EXPECT_EQ(normalize_cp(U'\u3000'), U' ');   // ideographic space
  EXPECT_EQ(normalize_cp(U'\t'), U' ');
  EXPECT_EQ(normalize_cp(U'Д'), U'д');
  EXPECT_EQ(normalize_cp(U'Σ'), U'σ');
  EXPECT_EQ(normalize_cp(U'中'), U'中');
  EXPECT_EQ(normalize_cp(U'\u200B'), kSkip);
  EXPECT_EQ(normalize_cp(U'\uFEFF'), kSkip);
  EXPECT_EQ(class_of(U'中'), kHan);
  EXPECT_EQ(class_of(U'д'), kCyrillic);
  EXPECT_EQ(class_of(U'°'), kLatin1Symbol);
  EXPECT_EQ(class_of(U'é'), kLatin);
  EXPECT_EQ(class_of(0x8F), kControl);
  EXPECT_EQ(class_of(U'가'), kHangul);
  EXPECT_EQ(class_of(U'か'), kKana);
}

TEST(Crc32, MatchesKnownValueHardwareAndSoftware) {
  EXPECT_EQ(crc32("123456789", 9), 0xE3069283u);  // CRC-32C check value
  EXPECT_EQ(crc32c_software("123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32("", 0), 0u);
  std::string big(100003, '\0');
  std::mt19937 rng(3);
  for (auto& c : big) c = char(rng());
  EXPECT_EQ(crc32(big.data(), big.size()), crc32c_software(big.data(), big.size()));
  // Incremental = one shot.
  EXPECT_EQ(crc32(big.data() + 5000, big.size() - 5000, crc32(big.data(), 5000)), crc32(big.data(), big.size()));
}

TEST(Format, RoundTripAndDeterminism) {
  std::string text = synthetic_text(1, 3000, kAlpha);
  TrainReport rep;
  std::string a = train_model(text, opts("xx", 4, 20000), &rep);
  std::string b = train_model(text, opts("xx", 4, 20000));
  EXPECT_EQ(a, b) << "training must be deterministic";
  EXPECT_LE(rep.entries, 20000u);
  TempDir d;
  d.write("xx.ugm", a);
  ModelSet set;
  ASSERT_EQ(set.load_dir(d.path.string()), "");
  ASSERT_EQ(set.size(), 1u);
  const LanguageModel& m = set[0];
  EXPECT_EQ(m.lang(), "xx");
  EXPECT_EQ(m.script(), "Latn");
  EXPECT_EQ(m.order(), 4);
  EXPECT_EQ(m.size_bytes(), a.size());
  EXPECT_EQ(m.training_bytes(), text.size());
  EXPECT_EQ(m.training_chars(), rep.training_chars);
  EXPECT_EQ(m.ngram_count(), rep.entries);
  EXPECT_EQ(set.find("xx"), &m);
  EXPECT_EQ(set.find("yy"), nullptr);
  // In-domain text is far more probable than a shuffle of the same characters.
  std::string sample = synthetic_text(1, 20, kAlpha);
  std::string shuffled = sample;
  std::mt19937 rng(7);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);  // bytes: also makes invalid UTF-8
  EXPECT_LT(m.bits_per_char(sample), 4.0);
  EXPECT_GT(m.bits_per_char(shuffled), m.bits_per_char(sample) + 2.0);
  // Every probability is finite and ≤ 0, even for unseen scripts and invalid bytes.
  ScoreState st;
  for (char32_t c : std::u32string(U"abc 中文 кот \x8f\uFFFD\U0001F600 ZZ")) {
    double lp = m.next(st, c);
    EXPECT_TRUE(std::isfinite(lp));
    EXPECT_LE(lp, 0.0);
  }
}

TEST(Format, IncrementalEqualsSpan) {
  TempDir d;
  d.write("xx.ugm", train_model(synthetic_text(2, 2000, kAlpha), opts("xx", 5, 30000)));
  ModelSet set;
  ASSERT_EQ(set.load_dir(d.path.string()), "");
  const auto& m = set[0];
  std::string s = "Bada  zuke\tÖrin 1234, mänu.\n中 x";
  ScoreState st;
  double total = 0;
  for (std::size_t i = 0; i < s.size();) total += m.next(st, decode_utf8(s, i));
  EXPECT_NEAR(total, m.log2prob(s), 1e-9);
  // A copied state continues identically (beam search relies on it).
  ScoreState a = st, b = st;
  EXPECT_EQ(m.next(a, U'k'), m.next(b, U'k'));
  EXPECT_EQ(a, b);
}

// log2prob() and log2prob_floored() run their own scoring loop (it keeps the context's table
// slots); its sums must equal next()'s bit for bit, for every order, on text with unseen
// characters, invalid bytes, space runs and dropped characters, and with pruned backoff.
TEST(Scoring, SpanAndBatchAreBitExactWithNext) {
  std::mt19937 rng(4242);
  std::u32string pool = kAlpha + U"  \t\n.,0Xqй中\u00AD\u200B\u3000\uFF21\U0001F600\U00020001\x85";
  for (int order = 1; order <= 5; ++order) {
    TempDir d;
    d.write("xx.ugm", train_model(synthetic_text(10 + unsigned(order), 800, kAlpha), opts("xx", order, 3000)));
    ModelSet set;
    ASSERT_EQ(set.load_dir(d.path.string()), "");
    const auto& m = set[0];
    for (int t = 0; t < 60; ++t) {
      std::string s = t % 3 ? synthetic_text(unsigned(t), 3, kAlpha) : "";
      std::u32string cps;
      for (int i = int(rng() % 120); i > 0; --i) {
        char32_t c = pool[rng() % pool.size()];
        cps += c;
        s += utf8(c);
        if (rng() % 29 == 0) s += char(0x80 + rng() % 0x40);  // stray continuation byte
      }
      ScoreState st;
      double total = 0;
      std::size_t scored = 0, n = 0;
      for (std::size_t i = 0; i < s.size();) {
        char32_t c = decode_utf8(s, i);
        std::uint32_t sym = normalize_cp(c);
        scored += sym != kSkip && !(sym == ' ' && st.ctx[0] == ' ');
        total += m.next(st, c);
      }
      EXPECT_EQ(m.log2prob(s, &n), total) << "order " << order << " text " << t;
      EXPECT_EQ(n, scored);
      for (double floor : {40.0, 3.0}) {
        ScoreState fs;
        double ft = 0;
        for (char32_t c : cps) ft += std::max(m.next(fs, c), -floor);
        EXPECT_EQ(m.log2prob_floored(cps.data(), cps.size(), floor), ft);
        // Early stop: the partial sum at the first multiple of 16 below stop.
        double stop = ft / 2, part = 0;
        ScoreState ps;
        for (std::size_t k = 0; k < cps.size(); ++k) {
          part += std::max(m.next(ps, cps[k]), -floor);
          if ((k & 15) == 15 && part < stop) break;
        }
        EXPECT_EQ(m.log2prob_floored(cps.data(), cps.size(), floor, stop), part);
      }
    }
  }
}

TEST(Format, CorruptAndTruncatedFilesAreRejected) {
  std::string good = train_model(synthetic_text(3, 500, kAlpha), opts("xx", 3, 5000));
  TempDir d;
  {
    ModelSet set;
    EXPECT_EQ(set.load_file(d.write("ok.ugm", good)), "");
  }
  auto rejected = [&](const std::string& bytes, const std::string& expect) {
    ModelSet set;
    std::string err = set.load_file(d.write("bad.ugm", bytes));
    EXPECT_NE(err, "");
    EXPECT_EQ(set.size(), 0u);
    if (!expect.empty()) {
      EXPECT_NE(err.find(expect), std::string::npos) << err;
    }
  };
  rejected("", "empty");
  rejected("hello", "truncated");
  rejected(std::string(300, 'x'), "magic");
  rejected(good.substr(0, good.size() - 1), "truncated");
  rejected(good.substr(0, kHeaderSize), "truncated");
  rejected(good + "x", "padded");
  for (std::size_t cut : {std::size_t(8), std::size_t(100), std::size_t(kHeaderSize + 10), good.size() / 2})
    rejected(good.substr(0, cut), "");
  // Flip single bits all over the file, header fields included: all must be caught.
  std::mt19937 rng(11);
  for (int t = 0; t < 300; ++t) {
    std::string bad = good;
    std::size_t pos = t < 256 ? std::size_t(t) : rng() % bad.size();
    bad[pos] = char(bad[pos] ^ (1 << (rng() % 8)));
    rejected(bad, "");
  }
  // A wrong version is named as such.
  std::string v = good;
  v[8] = 9;
  rejected(v, "version");
  // A directory with one bad and one good file loads the good one and names the bad one.
  TempDir d2;
  d2.write("a.ugm", good);
  d2.write("b.ugm", good.substr(0, 1000));
  ModelSet set;
  std::string err = set.load_dir(d2.path.string());
  EXPECT_NE(err.find("b.ugm"), std::string::npos);
  EXPECT_EQ(set.size(), 1u);
  ModelSet none;
  EXPECT_NE(none.load_dir((d.path / "missing").string()), "");
}

// ---- Slow reference: interpolated modified Kneser-Ney straight from the definition ----------
namespace {
struct RefKN {
  int n;
  std::set<std::u32string> vocab;  // includes class symbols as one-char strings
  std::map<std::u32string, double> adj[6];   // adjusted counts per order
  std::map<std::u32string, std::array<double, 4>> ctx[6];  // c(h), N1, N2, N3+ per order
  double D[6][4] = {};
  std::map<std::u32string, unsigned> raw[6];
  std::map<char32_t, std::uint64_t> freq;
  std::set<char32_t> vocab_chars;

  RefKN(const std::string& text, int order) : n(order) {
    std::vector<std::u32string> lines;
    std::u32string line = U" ";
    auto flush = [&] {
      while (!line.empty() && line.back() == U' ') line.pop_back();
      if (line.size() > 1) lines.push_back(line + U" ");
      line = U" ";
    };
    for (std::size_t i = 0; i < text.size();) {
      if (text[i] == '\n') {
        ++i, flush();
        continue;
      }
      std::uint32_t s = normalize_cp(decode_utf8(text, i));
      if (s == kSkip || (s == U' ' && line.back() == U' ')) continue;
      line += char32_t(s);
    }
    flush();
    for (auto& l : lines)
      for (char32_t c : l) vocab_chars.insert(c);
    // raw counts, and left extensions (U'\1' = line start) for continuation counts
    std::map<std::u32string, std::set<char32_t>> left[6];
    for (auto& l : lines)
      for (std::size_t j = 1; j < l.size(); ++j)
        for (int k = 1; k <= n; ++k) {
          if (j + 1 < std::size_t(k)) break;
          std::u32string g = l.substr(j + 1 - k, k);
          raw[k][g]++;
          if (j + 1 == std::size_t(k)) left[k][g].insert(U'\1');
          else left[k][g].insert(l[j - k]);
        }
    for (int k = 1; k <= n; ++k)
      for (auto& [g, c] : raw[k]) adj[k][g] = k == n ? c : double(left[k][g].size());
    for (char32_t c : vocab_chars) adj[1].try_emplace(std::u32string(1, c), 0.0);
    for (unsigned c = 0; c < kClassCount; ++c) adj[1].try_emplace(std::u32string(1, char32_t(kClassBase + c)), 0.0);
    for (int k = 1; k <= n; ++k) {
      double cc[5] = {};
      for (auto& [g, a] : adj[k])
        if (a >= 1 && a <= 4) cc[int(a)]++;
      D[k][1] = 0.5, D[k][2] = 1.0, D[k][3] = 1.5;
      if (cc[1] && cc[2] && cc[3] && cc[4]) {
        double Y = cc[1] / (cc[1] + 2 * cc[2]);
        D[k][1] = std::clamp(1 - 2 * Y * cc[2] / cc[1], 0.05, 0.95);
        D[k][2] = std::clamp(2 - 3 * Y * cc[3] / cc[2], 0.1, 1.95);
        D[k][3] = std::clamp(3 - 4 * Y * cc[4] / cc[3], 0.1, 2.95);
      }
      for (auto& [g, a] : adj[k]) {
        auto& c = ctx[k][g.substr(0, k - 1)];
        c[0] += a;
        if (a >= 1) c[std::min(3, int(a))]++;
      }
    }
  }
  double disc(int k, double a) const { return a == 0 ? 0 : D[k][std::min(3, int(a))]; }
  double p(const std::u32string& h, char32_t w) const {  // h: context, oldest first
    int k = int(h.size()) + 1;
    double lower = k == 1 ? 1.0 / double(adj[1].size()) : p(h.substr(1), w);
    auto it = ctx[k].find(h);
    if (it == ctx[k].end() || it->second[0] == 0) return lower;
    auto& c = it->second;
    double gamma = (D[k][1] * c[1] + D[k][2] * c[2] + D[k][3] * c[3]) / c[0];
    auto g = adj[k].find(h + w);
    double a = g == adj[k].end() ? 0 : g->second;
    return std::max(a - disc(k, a), 0.0) / c[0] + gamma * lower;
  }
};
}  // namespace

TEST(Scoring, MatchesSlowReferenceKneserNey) {
  std::string text = synthetic_text(5, 1500, kAlpha);
  const int order = 4;
  RefKN ref(text, order);
  TempDir d;
  d.write("xx.ugm", train_model(text, opts("xx", order, 100000000)));  // no pruning
  ModelSet set;
  ASSERT_EQ(set.load_dir(d.path.string()), "");
  const auto& m = set[0];
  // Random text over the alphabet plus characters the model never saw.
  std::mt19937 rng(99);
  std::u32string pool = kAlpha + U"  .,0xqй中";
  double max_err = 0, sum_err = 0;
  int count = 0;
  for (int trial = 0; trial < 40; ++trial) {
    ScoreState st;
    std::u32string hist = U" ";
    std::string sample = trial % 2 ? synthetic_text(100 + trial, 2, kAlpha) : "";
    std::u32string chars;
    if (trial % 2) {
      for (std::size_t i = 0; i < sample.size();) chars += decode_utf8(sample, i);
    } else {
      for (int i = 0; i < 60; ++i) chars += pool[rng() % pool.size()];
    }
    for (char32_t c : chars) {
      std::uint32_t s = normalize_cp(c);
      if (s == kSkip || (s == U' ' && hist.back() == U' ')) {
        EXPECT_EQ(m.next(st, c), 0.0);
        continue;
      }
      double penalty = 0;
      if (!ref.vocab_chars.count(char32_t(s))) {
        unsigned cls = class_of(s);
        std::size_t in_cls = 0;
        for (char32_t v : ref.vocab_chars) in_cls += class_of(v) == cls;
        penalty = std::log2(std::max(2.0, double(class_size(cls)) - double(in_cls)));
        s = kClassBase + cls;
      }
      std::u32string h = hist.substr(hist.size() - std::min<std::size_t>(hist.size(), order - 1));
      double expect = std::log2(ref.p(h, char32_t(s))) - penalty;
      double got = m.next(st, c);
      double err = std::fabs(got - expect);
      max_err = std::max(max_err, err);
      sum_err += err;
      ++count;
      hist += char32_t(s);
    }
  }
  // 8-bit quantization of log-probabilities is the only difference.
  EXPECT_LT(sum_err / count, 0.03) << "mean |Δ log2 p|";
  EXPECT_LT(max_err, 0.6) << "max |Δ log2 p|";
}

TEST(Scoring, PrunedModelIsNormalizedEnough) {
  // Σ_w P(w | h) over the whole vocabulary (incl. class symbols × class sizes) ≈ 1.
  std::string text = synthetic_text(8, 3000, kAlpha);
  TempDir d;
  d.write("xx.ugm", train_model(text, opts("xx", 4, 3000)));
  ModelSet set;
  ASSERT_EQ(set.load_dir(d.path.string()), "");
  const auto& m = set[0];
  std::set<char32_t> seen;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t s = normalize_cp(decode_utf8(text, i));
    if (s != kSkip) seen.insert(char32_t(s));
  }
  for (const char* ctx : {"", "ba", "zu k", "x"}) {
    ScoreState base;
    std::string c = ctx;
    for (std::size_t i = 0; i < c.size();) m.next(base, decode_utf8(c, i));
    double sum = 0;
    for (char32_t w : seen) {
      if (w == U' ' && base.ctx[0] == U' ') continue;
      ScoreState st = base;
      sum += std::exp2(m.next(st, w));
    }
    // Unseen characters: one representative per class, times the class's unseen size.
    for (char32_t rep : {U'ß', U'°', U'α', U'д', U'中', U'가', U'#'}) {
      if (seen.count(rep)) continue;
      ScoreState st = base;
      double lp = m.next(st, rep);
      std::size_t in_cls = 0;
      for (char32_t v : seen) in_cls += class_of(v) == class_of(rep);
      sum += std::exp2(lp) * std::max(2.0, double(class_size(class_of(rep))) - double(in_cls));
    }
    EXPECT_GT(sum, 0.9) << "context '" << ctx << "'";
    EXPECT_LT(sum, 1.1) << "context '" << ctx << "'";
  }
}
