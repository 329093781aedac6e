#include "repair/lattice.h"
#include "repair/layers.h"
#include "repair/utf8_step.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <unordered_map>

namespace ungarble::repair_detail {
namespace {

constexpr double kInvalidBits = 40;  // a byte sequence A cannot decode on this path

// ---- A's decoder as a table: singles, lead bytes, two-byte pairs ---------------------------

struct PairTable {
  bool utf8 = false;
  char32_t single[256] = {};  // 0 = not a single-byte character
  bool lead[256] = {};
  std::vector<char32_t> pair;  // lead << 8 | trail → code point, 0 = invalid
};

void fill_pair_table(EncodingId a, PairTable& t);

// Built once per page and kept (the judge asks for one per restored character): a lock-free
// look-up once built.
const PairTable& pair_table(EncodingId a) {
  static std::array<std::atomic<const PairTable*>, kEncodingCount> built{};
  auto& slot = built[static_cast<std::size_t>(a)];
  if (const PairTable* t = slot.load(std::memory_order_acquire)) return *t;
  static std::mutex mu;
  static std::map<EncodingId, PairTable> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(a);
  if (it == cache.end()) {
    it = cache.emplace(a, PairTable{}).first;
    fill_pair_table(a, it->second);
  }
  slot.store(&it->second, std::memory_order_release);
  return it->second;
}

void fill_pair_table(EncodingId a, PairTable& t) {
  if (a == EncodingId::utf_8) {
    t.utf8 = true;
    return;
  }
  t.pair.assign(65536, 0);
  auto one_cp = [](const std::string& s, char32_t* c) {
    if (s.empty()) return false;
    std::size_t i = 0;
    const char32_t v = next_code_point(s, i);
    if (i != s.size()) return false;
    *c = v;
    return true;
  };
  for (int x = 0; x < 256; ++x) {
    std::string in(1, static_cast<char>(x));
    DecodeResult d = decode(in, a, {DecodeErrorMode::strict}, BomPolicy::keep);
    char32_t c;
    if (d.ok && one_cp(d.text, &c)) t.single[x] = c;
    else if (x >= 0x80) t.lead[x] = true;
  }
  // Every lead with every second byte, through one decoder call (see decode_each).
  std::vector<std::string> pairs;
  for (int x = 0x80; x < 256; ++x)
    if (t.lead[x])
      for (int y = 0; y < 256; ++y) pairs.push_back(std::string{static_cast<char>(x), static_cast<char>(y)});
  const std::vector<std::optional<std::string>> read = decode_each(a, pairs);
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    char32_t c;
    if (read[k] && one_cp(*read[k], &c))
      t.pair[(static_cast<unsigned char>(pairs[k][0]) << 8) | static_cast<unsigned char>(pairs[k][1])] = c;
  }
}

// Feeds one byte; returns the number of code points emitted into out[] (0–2); *bad set when the
// sequence was invalid (then U+FFFD was emitted for it).
int feed(const PairTable& t, std::uint32_t& pend, std::uint8_t& npend, std::uint8_t b,
         char32_t* out, bool* bad) {
  *bad = false;
  if (t.utf8) {
    if (npend == 0) {
      if (b < 0x80) return out[0] = b, 1;
      if (b >= 0xC2 && b <= 0xF4) return pend = b, npend = 1, 0;
      *bad = true;
      return out[0] = 0xFFFD, 1;
    }
    std::uint8_t first = pend & 0xFF;
    std::uint8_t lo = 0x80, hi = 0xBF;
    if (npend == 1) {
      if (first == 0xE0) lo = 0xA0;
      if (first == 0xED) hi = 0x9F;
      if (first == 0xF0) lo = 0x90;
      if (first == 0xF4) hi = 0x8F;
    }
    if (b < lo || b > hi) {
      npend = 0;
      *bad = true;
      int n = 0;
      out[n++] = 0xFFFD;
      char32_t again[2];
      bool bad2;
      n += feed(t, pend, npend, b, again, &bad2);  // the byte starts anew
      if (n == 2) out[1] = again[0];
      return n;
    }
    pend |= static_cast<std::uint32_t>(b) << (8 * npend);
    ++npend;
    int need = first < 0xE0 ? 2 : first < 0xF0 ? 3 : 4;
    if (npend < need) return 0;
    char32_t c = need == 2 ? first & 0x1F : need == 3 ? first & 0x0F : first & 0x07;
    for (int k = 1; k < need; ++k) c = (c << 6) | ((pend >> (8 * k)) & 0x3F);
    npend = 0;
    pend = 0;
    return out[0] = c, 1;
  }
  if (npend == 0) {
    if (t.single[b] || b == 0) return out[0] = t.single[b], 1;
    if (t.lead[b]) return pend = b, npend = 1, 0;
    *bad = true;
    return out[0] = 0xFFFD, 1;
  }
  char32_t c = t.pair[(pend << 8) | b];
  npend = 0;
  if (c) return out[0] = c, 1;
  *bad = true;
  if (b < 0x80) return out[0] = 0xFFFD, out[1] = b, 2;  // an ASCII trail is read again
  return out[0] = 0xFFFD, 1;
}

// ---- the readings of each input character --------------------------------------------------

enum Kind : std::uint8_t { plain, redecoded, redecoded_1250, redecoded_lost, ligature, replaced,
                           replaced_q };

struct Option {
  std::uint8_t bytes[6];
  std::uint8_t nbytes;
  std::uint8_t consumed;  // input characters
  Kind kind;
  double cost;
  char32_t lig = 0;
};

struct Ligature {
  char32_t lig;
  const char* spelled;
};
constexpr Ligature kLigatures[] = {
    {0x01C4, "D\xC5\xBD"}, {0x01C5, "D\xC5\xBE"}, {0x01C6, "d\xC5\xBE"}, {0x01C7, "LJ"},
    {0x01C8, "Lj"},         {0x01C9, "lj"},         {0x01CA, "NJ"},         {0x01CB, "Nj"},
    {0x01CC, "nj"},         {0x01F1, "DZ"},         {0x01F2, "Dz"},         {0x01F3, "dz"},
    {0x0132, "IJ"},         {0x0133, "ij"},         {0xFB00, "ff"},         {0xFB01, "fi"},
    {0xFB02, "fl"},         {0xFB03, "ffi"},        {0xFB04, "ffl"},        {0xFB06, "st"},
};

std::vector<char32_t> to_code_points(std::string_view s, std::vector<std::size_t>* offsets) {
  std::vector<char32_t> v;
  for (std::size_t i = 0; i < s.size();) {
    offsets->push_back(i);
    v.push_back(next_code_point(s, i));
  }
  offsets->push_back(s.size());
  return v;
}

std::string utf8_of(char32_t c) {
  std::string s;
  if (c < 0x80) s.push_back(static_cast<char>(c));
  else if (c < 0x800) s += {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
  else if (c < 0x10000)
    s += {static_cast<char>(0xE0 | (c >> 12)), static_cast<char>(0x80 | ((c >> 6) & 0x3F)),
          static_cast<char>(0x80 | (c & 0x3F))};
  else
    s += {static_cast<char>(0xF0 | (c >> 18)), static_cast<char>(0x80 | ((c >> 12) & 0x3F)),
          static_cast<char>(0x80 | ((c >> 6) & 0x3F)), static_cast<char>(0x80 | (c & 0x3F))};
  return s;
}

// A single-byte page's encoder as a table: the byte each character is read from, or -1. Every
// character of these pages but three of Mac Roman's lies below U+2600: a flat array there.
class PageInverse {
 public:
  explicit PageInverse(EncodingId page) {
    low_.fill(-1);
    for (int b = 0; b < 256; ++b) {
      DecodeResult d = decode(std::string(1, static_cast<char>(b)), page, {DecodeErrorMode::strict},
                              BomPolicy::keep);
      if (!d.ok || d.text.empty()) continue;
      std::vector<std::size_t> offs;
      std::vector<char32_t> cps = to_code_points(d.text, &offs);
      if (cps.size() != 1) continue;
      if (cps[0] < kLow) low_[cps[0]] = static_cast<std::int16_t>(b);
      else high_[cps[0]] = static_cast<std::uint8_t>(b);
    }
  }
  int byte_of(char32_t c) const {
    if (c < kLow) return low_[c];
    auto it = high_.find(c);
    return it == high_.end() ? -1 : it->second;
  }

 private:
  static constexpr char32_t kLow = 0x2600;
  std::array<std::int16_t, kLow> low_;
  std::unordered_map<char32_t, std::uint8_t> high_;
};

class Readings {
 public:
  explicit Readings(const LatticeChannel& ch) : ch_(ch), to_b_(ch.misread) {
    // Each byte under windows-1250 (the other page fixers try).
    for (int b = 0; b < 256; ++b) {
      std::string in(1, static_cast<char>(b));
      DecodeResult d = decode(in, EncodingId::windows_1250, {DecodeErrorMode::strict}, BomPolicy::keep);
      if (d.ok) from1250_[b] = first_cp(d.text);
    }
    holes_.assign(std::begin(kStrictCp1252Unmapped), std::end(kStrictCp1252Unmapped));
    // Two-letter spellings of ligatures (the three-letter ones never come from two bytes).
    for (const Ligature& l : kLigatures) {
      std::vector<std::size_t> offs;
      std::vector<char32_t> sp = to_code_points(l.spelled, &offs);
      if (sp.size() == 2) spelled_.push_back({sp[0], sp[1], l.lig});
    }
  }

  void options(const std::vector<char32_t>& cps, std::size_t i, std::vector<Option>* out) const {
    out->clear();
    char32_t c = cps[i];
    const int b = to_b_.byte_of(c);
    if (c < 0x80 || b >= 0) {
      Option o{{static_cast<std::uint8_t>(c < 0x80 ? c : b)}, 1, 1, plain, 0};
      out->push_back(o);
    }
    if (c >= 0x80 && c != 0xFFFD && !(b >= 0 && sits_in_utf8(cps, i))) {
      // An earlier fixer re-read the pre-fix characters as UTF-8: the bytes are c's UTF-8,
      // seen through B (identity for the sloppy Western page) or through windows-1250.
      std::string u = utf8_of(c);
      // A character B has could have been left alone; re-decoding it is the less likely story.
      double cost = ch_.redecode_cost + (to_b_.byte_of(c) >= 0 ? ch_.redecode_cost + 6 : 0);
      Option o{{}, static_cast<std::uint8_t>(u.size()), 1, redecoded, cost};
      for (std::size_t k = 0; k < u.size(); ++k) o.bytes[k] = static_cast<std::uint8_t>(u[k]);
      if (identity_b()) {
        out->push_back(o);
        // The cleaner ran before the fixer: a lost byte may sit inside the re-decoded run.
        for (std::size_t k = 1; k < u.size(); ++k)
          for (std::uint8_t lb : ch_.lost_bytes) {
            Option q = o;
            std::copy(o.bytes + k, o.bytes + o.nbytes, q.bytes + k + 1);
            q.bytes[k] = lb;
            ++q.nbytes;
            q.cost += ch_.lost_cost;
            q.kind = redecoded_lost;
            out->push_back(q);
          }
      }
      Option p = o;
      p.kind = redecoded_1250;
      p.cost += 3;
      bool ok = true;
      for (std::size_t k = 0; k < u.size() && ok; ++k) {
        char32_t mid = from1250_[static_cast<std::uint8_t>(u[k])];
        const int back = mid ? to_b_.byte_of(mid) : -1;
        ok = back >= 0;
        if (ok) p.bytes[k] = static_cast<std::uint8_t>(back);
      }
      if (ok && !std::equal(p.bytes, p.bytes + p.nbytes, o.bytes)) out->push_back(p);
    }
    if (i + 1 < cps.size() && c < 0x80) {
      for (const auto& [first, second, lig] : spelled_) {
        if (first != c || second != cps[i + 1]) continue;
        std::string u = utf8_of(lig);
        Option o{{}, static_cast<std::uint8_t>(u.size()), 2, ligature, ch_.ligature_cost, lig};
        for (std::size_t k = 0; k < u.size(); ++k) o.bytes[k] = static_cast<std::uint8_t>(u[k]);
        out->push_back(o);
      }
    }
    if (c == 0xFFFD || c == '?') {
      double each = ch_.replaced_cost + std::log2(static_cast<double>(holes_.size())) +
                    (c == '?' ? 4 : 0);
      for (std::uint8_t h : holes_) out->push_back({{h}, 1, 1, c == '?' ? replaced_q : replaced, each});
    }
  }

 private:
  // For UTF-8 text: does c's byte in B sit inside a whole UTF-8 sequence of the bytes around
  // it (U+FFFD and '?' count as the continuation they replaced)? Then it reads as it is, and
  // the story of a fixer who re-decoded it is not offered — the beam's most expensive option
  // spent where nothing asks for it (every "Ð" of Russian). A fixer's output does not sit so:
  // "ö" left by one is a lead byte before ASCII.
  bool sits_in_utf8(const std::vector<char32_t>& cps, std::size_t i) const {
    if (ch_.original != EncodingId::utf_8) return false;
    auto byte_at = [&](std::size_t k) -> int {
      const char32_t x = cps[k];
      if (x == 0xFFFD || x == '?') return 0x80;  // a replaced continuation
      return x < 0x80 ? static_cast<int>(x) : to_b_.byte_of(x);
    };
    auto cont = [](int v) { return v >= 0x80 && v <= 0xBF; };
    auto need = [](int v) { return v >= 0xC2 && v <= 0xDF ? 1 : v >= 0xE0 && v <= 0xEF ? 2 : v >= 0xF0 && v <= 0xF4 ? 3 : -1; };
    // A lead with its continuations after it, or a continuation of such a lead before it.
    for (std::size_t back = 0; back <= 3 && back <= i; ++back) {
      const int lead = byte_at(i - back);
      const int n = need(lead);
      if (n < 0) {  // a continuation: its lead is further back; anything else: no sequence
        if (!cont(lead)) return false;
        continue;
      }
      if (n < static_cast<int>(back)) return false;
      if (i - back + static_cast<std::size_t>(n) >= cps.size()) return false;
      for (int k = 1; k <= n; ++k)
        if (!cont(byte_at(i - back + static_cast<std::size_t>(k)))) return false;
      return true;
    }
    return false;
  }

  bool identity_b() const {
    return ch_.misread == EncodingId::windows_1252 || ch_.misread == EncodingId::iso_8859_1;
  }
  static char32_t first_cp(const std::string& s) {
    std::vector<std::size_t> offs;
    auto v = to_code_points(s, &offs);
    return v.empty() ? 0 : v[0];
  }
  const LatticeChannel& ch_;
  PageInverse to_b_;
  char32_t from1250_[256] = {};
  std::vector<std::uint8_t> holes_;
  struct Spelled {
    char32_t first, second, lig;
  };
  std::vector<Spelled> spelled_;
};

// The misreading step: where characters were replaced, the page was read the strict way
// (Python's and Java's cp1252 leave 81 8D 8F 90 9D unmapped) and the errors became U+FFFD or '?'.
Step misread_step(const LatticeChannel& ch, bool replaced, bool question) {
  Step d{Step::Op::decode, ch.misread};
  if (replaced || question) {
    d.encoding = EncodingId::x_cp1252_strict;
    d.errors = {replaced ? DecodeErrorMode::replace : DecodeErrorMode::question};
  }
  return d;
}

// ---- the beam --------------------------------------------------------------------------------

struct Node {
  std::uint32_t parent;
  std::uint32_t in_pos;    // input character index where this reading starts
  std::int16_t inserted;   // lost byte re-inserted before the reading, or -1
  Kind kind;
  std::uint8_t consumed;
  std::uint8_t nout;
  char32_t out[4];
  char32_t lig = 0;  // the ligature a `ligature` reading stands for
  std::int16_t inserted2 = -1;  // a second lost byte after `inserted` (one character lost two)
};

struct Hyp {
  double score;  // log2 LM probability − channel bits − invalid penalties
  double channel;
  std::uint32_t node;
  ScoreState lm;
  std::uint32_t pend;
  std::uint8_t npend;
  std::uint16_t invalid;
  LetterCase last = LetterCase::none;  // of the last character read
};

std::uint64_t key_of(const Hyp& h) {
  std::uint64_t k = 1469598103934665603ULL;
  auto mix = [&](std::uint64_t v) { k = (k ^ v) * 1099511628211ULL; };
  mix(h.pend);
  mix(h.npend);
  mix(h.lm.len);
  for (int i = 0; i < h.lm.len && i < 5; ++i) mix(h.lm.ctx[i]);
  return k;
}

}  // namespace

namespace {
LatticeResult decode_with(const Readings& readings, std::string_view text, const LatticeChannel& ch,
                          const LanguageModel& model, const ScoreState& start);
}  // namespace

bool decode_few(EncodingId a, std::string_view bytes, std::string* out) {
  const PairTable& table = pair_table(a);
  std::uint32_t pend = 0;
  std::uint8_t npend = 0;
  out->clear();
  for (char c : bytes) {
    char32_t got[2];
    bool bad;
    const int e = feed(table, pend, npend, static_cast<std::uint8_t>(c), got, &bad);
    if (bad) return false;
    for (int k = 0; k < e; ++k) *out += utf8_of(got[k]);
  }
  return npend == 0;
}

LetterCase letter_case(char32_t c) {
  static const std::array<LetterCase, 0x590> table = [] {
    std::array<LetterCase, 0x590> t{};
    for (char32_t x = 0; x < t.size(); ++x) {
      const auto v = static_cast<utf8proc_int32_t>(x);
      if (utf8proc_tolower(v) != v) t[x] = LetterCase::upper;
      else if (utf8proc_toupper(v) != v) t[x] = LetterCase::lower;
    }
    return t;
  }();
  return c < table.size() ? table[c] : LetterCase::none;
}

LatticeResult decode_lattice(std::string_view text, const LatticeChannel& ch,
                             const LanguageModel& model, const ScoreState& start) {
  Readings readings(ch);
  return decode_with(readings, text, ch, model, start);
}

namespace {
LatticeResult decode_with(const Readings& readings, std::string_view text, const LatticeChannel& ch,
                          const LanguageModel& model, const ScoreState& start) {
  LatticeResult res;
  const PairTable& table = pair_table(ch.original);
  std::vector<std::size_t> offsets;
  std::vector<char32_t> cps = to_code_points(text, &offsets);
  const std::size_t n = cps.size();

  std::vector<Node> nodes;
  nodes.reserve(n * 8 + 16);
  nodes.push_back({0, 0, -1, plain, 0, 0, {}, 0});
  // The beams of the positions still open: a reading consumes one or two characters, so three
  // are live at a time, in a ring kept across calls (no allocation per position).
  thread_local std::array<std::vector<Hyp>, 3> ring;
  for (auto& r : ring) r.clear();
  auto beams = [&](std::size_t p) -> std::vector<Hyp>& { return ring[p % 3]; };
  // Where each merge key sits in its position's beam: open addressing, one table per position
  // still open (a reading consumes one or two characters, so three are live at a time), an
  // entry valid only with its position's stamp so that no table is ever cleared.
  constexpr std::size_t kSlots = 4096;  // > beam × readings × insertions (16 × 20 × 6)
  struct Slot {
    std::uint64_t key;
    std::uint64_t stamp;
    std::uint32_t at;
  };
  // Kept across calls (a text's windows are many and small); stamps never repeat.
  thread_local std::array<std::vector<Slot>, 3> index;
  thread_local std::uint64_t stamps = 0;
  if (index[0].empty())
    for (auto& t : index) t.assign(kSlots, Slot{0, 0, 0});
  const std::uint64_t stamp_base = stamps + 1;
  stamps += n + 3;
  beams(0).push_back({0, 0, 0, start, 0, 0, 0});

  // The best score that has reached each open position: an expansion already this far below
  // it (scores only fall as the model reads on) would be pruned there, and is not finished.
  std::array<double, 3> best_at = {-INFINITY, -INFINITY, -INFINITY};
  auto hopeless = [&](std::size_t pos, double score) { return score < best_at[pos % 3] - ch.prune_bits; };
  auto add = [&](std::size_t pos, Hyp h) {
    best_at[pos % 3] = std::max(best_at[pos % 3], h.score);
    std::uint64_t k = key_of(h);
    std::vector<Slot>& table = index[pos % 3];
    const std::uint64_t stamp = stamp_base + pos;
    for (std::size_t probes = 0, i = k & (kSlots - 1);; ++probes, i = (i + 1) & (kSlots - 1)) {
      if (probes == kSlots) {  // full (cannot happen at these sizes): keep it unmerged
        beams(pos).push_back(h);
        return;
      }
      Slot& sl = table[i];
      if (sl.stamp != stamp) {
        sl = {k, stamp, static_cast<std::uint32_t>(beams(pos).size())};
        beams(pos).push_back(h);
        return;
      }
      if (sl.key == k) {
        if (h.score > beams(pos)[sl.at].score) beams(pos)[sl.at] = h;
        return;
      }
    }
  };

  // Runs bytes through A's decoder from hypothesis h, scoring what it emits.
  auto run = [&](Hyp& h, const std::uint8_t* b, int nb, Node& node) {
    for (int k = 0; k < nb; ++k) {
      char32_t out[2];
      bool bad;
      int e = feed(table, h.pend, h.npend, b[k], out, &bad);
      if (bad) h.score -= kInvalidBits, ++h.invalid;
      for (int j = 0; j < e; ++j) {
        if (out[j] != 0xFFFD) {
          const LetterCase now = letter_case(out[j]);
          h.score += model.next(h.lm, out[j]) - invisible_cost_bits(out[j]) - case_cost_bits(h.last, now);
          h.last = now;
        }
        if (node.nout < 4) node.out[node.nout++] = out[j];
      }
    }
  };

  // A lost byte put back into hypothesis h: its cost, then A's decoder reads it.
  auto reinsert = [&](Hyp& h, std::uint8_t lost, Node& node) {
    h.score -= ch.lost_cost;
    h.channel += ch.lost_cost;
    run(h, &lost, 1, node);
  };

  std::vector<Option> opts;
  for (std::size_t pos = 0; pos < n; ++pos) {
    auto& beam = beams(pos);
    if (beam.empty()) continue;
    std::sort(beam.begin(), beam.end(), [](const Hyp& a, const Hyp& b) { return a.score > b.score; });
    if (beam.size() > static_cast<std::size_t>(ch.beam)) beam.resize(ch.beam);
    // Hypotheses far behind the leader do not come back where the text is clean: the beam
    // narrows there and stays wide only around the damage.
    while (beam.size() > 1 && beam.back().score < beam.front().score - ch.prune_bits) beam.pop_back();
    readings.options(cps, pos, &opts);
    if (opts.empty()) {
      // No reading of this character: keep it as it is (an invalid path, heavily penalised).
      Option keep{{0xFF}, 0, 1, plain, kInvalidBits};
      opts.push_back(keep);
    }
    best_at[(pos + 2) % 3] = -INFINITY;  // position pos + 2 opens (its slot held pos - 1)
    const int n_lost = static_cast<int>(ch.lost_bytes.size());
    for (const Hyp& h0 : beam) {
      // A lost byte before the reading, or two: a UTF-8 character can lose both continuations
      // ("そ" is E3 81 9D, "名" E5 90 8D). The second only where the first leaves a sequence
      // unfinished.
      for (int ins = -1; ins < n_lost; ++ins) {
        Hyp after_first = h0;
        Node first_node{h0.node, static_cast<std::uint32_t>(pos), -1, plain, 0, 0, {}, 0};
        if (ins >= 0) {
          first_node.inserted = ch.lost_bytes[ins];
          reinsert(after_first, ch.lost_bytes[ins], first_node);
        }
        for (int ins2 = -1; ins2 < (ins >= 0 && after_first.npend ? n_lost : 0); ++ins2) {
          Hyp after_lost = after_first;
          Node lost_node = first_node;
          if (ins2 >= 0) {
            lost_node.inserted2 = ch.lost_bytes[ins2];
            reinsert(after_lost, ch.lost_bytes[ins2], lost_node);
          }
          for (const Option& o : opts) {
            const std::size_t to = pos + o.consumed;
            Hyp h = after_lost;
            Node node = lost_node;
            node.kind = o.kind;
            node.consumed = o.consumed;
            node.lig = o.lig;
            h.score -= o.cost;
            h.channel += o.cost;
            if (o.nbytes == 0) {  // the kept character itself
              h.score -= kInvalidBits;
              ++h.invalid;
              if (node.nout < 4) node.out[node.nout++] = cps[pos];
            }
            if (hopeless(to, h.score)) continue;
            run(h, o.bytes, o.nbytes, node);
            if (hopeless(to, h.score)) continue;
            nodes.push_back(node);
            h.node = static_cast<std::uint32_t>(nodes.size() - 1);
            add(pos + o.consumed, h);
          }
        }
      }
    }
    beam.clear();
  }
  auto& last = beams(n);
  if (last.empty()) return res;
  // A byte lost at the very end: the trail of the last character ("…" is A1 AD in GBK).
  const std::size_t ended = last.size();
  for (std::size_t k = 0; k < ended; ++k) {
    if (!last[k].npend) continue;
    for (std::uint8_t lb : ch.lost_bytes) {
      Hyp h = last[k];
      Node node{h.node, static_cast<std::uint32_t>(n), static_cast<std::int16_t>(lb), plain, 0, 0, {}, 0};
      reinsert(h, lb, node);
      nodes.push_back(node);
      h.node = static_cast<std::uint32_t>(nodes.size() - 1);
      last.push_back(h);
    }
  }
  for (Hyp& h : last)
    if (h.npend) h.score -= kInvalidBits, ++h.invalid;  // a sequence cut off at the end
  std::sort(last.begin(), last.end(), [](const Hyp& a, const Hyp& b) { return a.score > b.score; });
  const Hyp& best = last[0];

  // Walk back the best path.
  auto path_of = [&](std::uint32_t id) {
    std::vector<const Node*> p;
    while (id != 0) {
      p.push_back(&nodes[id]);
      id = nodes[id].parent;
    }
    std::reverse(p.begin(), p.end());
    return p;
  };
  std::vector<const Node*> path = path_of(best.node);

  // Posterior of each lossy decision of the best path from the final beam: how much of the
  // beam's probability mass took the same decision (byte inserted, reading) at that position.
  std::unordered_map<std::uint32_t, std::int32_t> best_decision;
  auto code_of = [](const Node* nd) {
    return ((nd->inserted + 1) * 257 + (nd->inserted2 + 1)) * 16 + static_cast<int>(nd->kind);
  };
  for (const Node* nd : path)
    if (nd->inserted >= 0 || nd->kind == replaced || nd->kind == replaced_q ||
        nd->kind == redecoded_lost)
      best_decision[nd->in_pos] = code_of(nd);
  std::unordered_map<std::uint32_t, double> agree_mass;
  double top = best.score, z = 0;
  for (std::size_t k = 0; k < last.size() && k < 16; ++k) {
    double w = std::exp2(last[k].score - top);
    z += w;
    std::unordered_map<std::uint32_t, std::int32_t> mine;
    for (std::uint32_t id = last[k].node; id != 0; id = nodes[id].parent) {
      const Node& nd = nodes[id];
      if (best_decision.count(nd.in_pos)) mine[nd.in_pos] = code_of(&nd);
    }
    for (auto [pos, code] : best_decision) {
      auto it = mine.find(pos);
      if (it != mine.end() && it->second == code) agree_mass[pos] += w;
    }
  }

  std::string out;
  std::string t2;  // the text as it stood before the earlier fixer (for redecode ranges)
  Step redecode{Step::Op::redecode, EncodingId::windows_1252};
  Step redecode1250{Step::Op::redecode, EncodingId::windows_1250};
  bool any_lig = false, any_lost = false, any_replaced = false, any_question = false;
  bool awaiting = false;  // the last restoration emitted nothing yet
  for (const Node* nd : path) {
    std::size_t out_before = out.size();
    for (int j = 0; j < nd->nout; ++j) out += utf8_of(nd->out[j]);
    bool lossy = nd->inserted >= 0 || nd->kind == replaced || nd->kind == replaced_q ||
                 nd->kind == redecoded_lost;
    if (nd->inserted >= 0 || nd->kind == redecoded_lost) any_lost = true;
    if (nd->kind == replaced) any_replaced = true;
    if (nd->kind == replaced_q) any_question = true;
    if (nd->kind == ligature) any_lig = true;
    if (nd->kind == redecoded || nd->kind == redecoded_1250 || nd->kind == redecoded_lost ||
        nd->kind == ligature) {
      // The fixer saw this run as the page's characters for the UTF-8 of what it produced
      // (for a ligature: the ligature, spelled out only afterwards).
      std::size_t a = t2.size();
      std::string piece = nd->kind == ligature ? utf8_of(nd->lig) : std::string(text.substr(
          offsets[nd->in_pos], offsets[nd->in_pos + 1] - offsets[nd->in_pos]));
      EncodeResult e = encode(piece, EncodingId::utf_8);
      DecodeResult pre = decode(e.bytes, nd->kind != redecoded_1250 ? EncodingId::windows_1252
                                                                    : EncodingId::windows_1250,
                                {DecodeErrorMode::replace}, BomPolicy::keep);
      t2 += pre.text;
      (nd->kind != redecoded_1250 ? redecode : redecode1250).ranges.emplace_back(a, t2.size());
    } else {
      t2.append(text.substr(offsets[nd->in_pos], offsets[nd->in_pos + nd->consumed] - offsets[nd->in_pos]));
    }
    // A restoration whose character the next reading finished (a lost lead byte: the trail
    // came after it) is that character.
    if (awaiting && out.size() > res.restored.back().out_offset) {
      Restored& prev = res.restored.back();
      std::size_t end = prev.out_offset;
      next_code_point(out, end);
      prev.chosen = out.substr(prev.out_offset, end - prev.out_offset);
      awaiting = false;
    }
    if (lossy) {
      Restored r;
      r.out_offset = out_before;
      r.chosen = out.substr(out_before);
      awaiting = r.chosen.empty();
      r.confidence = z > 0 ? agree_mass[nd->in_pos] / z : 1;
      if (r.confidence < 1) r.alternatives.emplace_back("another reading", 1 - r.confidence);
      if (r.confidence < 0.5) ++res.undecided;
      res.restored.push_back(std::move(r));
    }
  }
  res.text = std::move(out);
  res.t2_size = t2.size();
  res.ok = true;
  res.invalid = best.invalid;
  res.channel_bits = best.channel;
  res.log2p = best.score + best.channel + best.invalid * kInvalidBits;

  res.forward = {{Step::Op::encode, ch.original}, misread_step(ch, any_replaced, any_question)};
  if (any_lost) {
    Step s{Step::Op::strip};
    for (std::uint8_t b : ch.lost_bytes) {
      std::string one(1, static_cast<char>(b));
      s.chars += decode(one, ch.misread).text;
    }
    res.forward.push_back(s);
  }
  if (!redecode.ranges.empty()) res.forward.push_back(redecode);
  if (!redecode1250.ranges.empty()) res.forward.push_back(redecode1250);
  if (any_lig) res.forward.push_back({Step::Op::split_ligatures});
  return res;
}
}  // namespace

namespace {

// ---- where the beam is needed ------------------------------------------------------------------
//
// Every damage the channel models shows in the stretch of text where it happened. Cut the text
// at its ASCII characters (except '?', itself a replaced byte): each stretch between them is
// non-ASCII characters only, and every decoder here is in its initial state after a whole
// stretch and the ASCII character that ends it, unless that character was a trail byte. A
// lost or replaced byte, a character re-decoded by an earlier fixer, a character B lacks or a
// trail byte that happens to be ASCII leave the exact reading of the stretch failing (a
// sequence cut off at its end, a byte A cannot decode, a character with no byte in B); a
// ligature's spelling is ASCII and is found by name. Stretches whose exact reading succeeds
// are decoded directly; only the others go through the beam, each with the ASCII character
// after it (a lost byte may sit right before it, or it may be the trail) and the model context
// of the text before it. Compensating damage (two lost bytes in one stretch) can read
// exactly and is then missed: the price of decoding clean stretches at table speed.
struct Stretch {
  std::size_t begin, end;  // byte offsets in the text
  bool beam;
};

// Two lost bytes in one stretch cancel out and shift the reading between them by a byte: real
// characters, but nonsense. Clean Chinese costs 5–7 bits a character in context, a shifted
// reading 14 or more; three characters in a row averaging over this are taken as damage.
constexpr double kGarbleBits = 12;

class ExactReader {
 public:
  ExactReader(const LatticeChannel& ch) : table_(pair_table(ch.original)), to_b_(ch.misread) {}
  // The byte B read as c, or -1; ASCII ('?' is the only one inside a stretch: a replaced byte)
  // has no exact reading here.
  int byte_of(char32_t c) const { return c < 0x80 || c == 0xFFFD ? -1 : to_b_.byte_of(c); }
  // Where in a damaged stretch the beam must start: a character boundary of the exact reading
  // some characters before the reading first fails (a byte A cannot decode, a character B
  // lacks, or three characters in a row averaging over kGarbleBits: a lost byte shifts what
  // follows it into nonsense). 0 when no failure is seen (a ligature's spelling, say).
  std::size_t beam_start(std::string_view piece, const LanguageModel& model, ScoreState lm) const {
    constexpr std::size_t kBack = 8;  // characters kept before the failure, for the beam
    std::vector<std::size_t> ends;  // piece offsets after each whole decoded character
    std::uint32_t pend = 0;
    std::uint8_t npend = 0;
    double window[3] = {0, 0, 0};
    std::size_t n = 0;
    bool failed = false;
    for (std::size_t i = 0; i < piece.size() && !failed;) {
      char32_t c = next_code_point(piece, i);
      const int byte = byte_of(c);
      char32_t got[2];
      bool bad = false;
      int e = byte < 0 ? 0 : feed(table_, pend, npend, static_cast<std::uint8_t>(byte), got, &bad);
      if (byte < 0 || bad) {
        failed = true;
        break;
      }
      for (int k = 0; k < e; ++k) {
        window[n++ % 3] = -model.next(lm, got[k]);
        if (window[0] + window[1] + window[2] > 3 * kGarbleBits) failed = true;
      }
      if (!failed && e > 0 && npend == 0) ends.push_back(i);
    }
    // No failure seen (a sequence merely cut off at the end, a ligature): anywhere.
    if (!failed || ends.size() <= kBack) return 0;
    return ends[ends.size() - kBack - 1];
  }

  // The exact reading of a stretch of non-ASCII characters, appended to *out; false when it fails.
  bool read(std::string_view piece, std::string* out) const {
    std::uint32_t pend = 0;
    std::uint8_t npend = 0;
    const std::size_t size0 = out->size();
    for (std::size_t i = 0; i < piece.size();) {
      char32_t c = next_code_point(piece, i);
      const int byte = byte_of(c);
      if (byte < 0) return out->resize(size0), false;
      char32_t got[2];
      bool bad;
      int e = feed(table_, pend, npend, static_cast<std::uint8_t>(byte), got, &bad);
      if (bad) return out->resize(size0), false;
      for (int k = 0; k < e; ++k) *out += utf8_of(got[k]);
    }
    if (npend) return out->resize(size0), false;
    return true;
  }

 private:
  const PairTable& table_;
  PageInverse to_b_;
};

// The exact reading is accepted when no three characters in a row cost more than kGarbleBits
// each on average; a clean stretch that fails this only costs the beam's time, not accuracy.
bool reads_well(const LanguageModel& model, ScoreState& lm, std::string_view utf8) {
  double window[3] = {0, 0, 0};
  std::size_t n = 0;
  bool ok = true;
  for (std::size_t i = 0; i < utf8.size();) {
    double bits = -model.next(lm, next_code_point(utf8, i));
    window[n++ % 3] = bits;
    if (window[0] + window[1] + window[2] > 3 * kGarbleBits) ok = false;
  }
  return ok;
}

bool spells_ligature(char a, char b) {
  for (const Ligature& l : kLigatures) {
    std::string_view sp = l.spelled;
    if (sp.size() >= 2 && sp[0] == a && sp[1] == b) return true;
  }
  return false;
}

}  // namespace

LatticeResult decode_lattice_blocks(std::string_view text, const LatticeChannel& ch,
                                    const LanguageModel& model, std::size_t block_bytes) {
  LatticeResult all;
  all.ok = true;
  std::size_t t2_base = 0;
  bool lost = false, ligatures = false, replaced_any = false, question_any = false;
  Step redecode{Step::Op::redecode, EncodingId::windows_1252};
  Step redecode1250{Step::Op::redecode, EncodingId::windows_1250};
  ExactReader exact(ch);
  const Readings readings(ch);
  auto is_cut = [](unsigned char b) { return b < 0x80 && b != '?'; };
  // The model context of what was decoded so far (the last few characters).
  auto context = [&]() {
    ScoreState st;
    std::size_t from = all.text.size() >= 24 ? all.text.size() - 24 : 0;
    while (from < all.text.size() && (static_cast<unsigned char>(all.text[from]) & 0xC0) == 0x80) ++from;
    for (std::size_t i = from; i < all.text.size();) model.next(st, next_code_point(all.text, i));
    return st;
  };
  auto beam_over = [&](std::size_t a, std::size_t b) -> bool {
    LatticeResult r = decode_with(readings, text.substr(a, b - a), ch, model, context());
    if (!r.ok) {
      all = std::move(r);
      return false;
    }
    for (Restored& x : r.restored) x.out_offset += all.text.size();
    all.text += r.text;
    all.log2p += r.log2p;
    all.channel_bits += r.channel_bits;
    all.undecided += r.undecided;
    all.invalid += r.invalid;
    all.restored.insert(all.restored.end(), r.restored.begin(), r.restored.end());
    for (const Step& st : r.forward) {
      if (st.op == Step::Op::strip) lost = true;
      if (st.op == Step::Op::split_ligatures) ligatures = true;
      if (st.op == Step::Op::decode && st.errors.mode == DecodeErrorMode::replace) replaced_any = true;
      if (st.op == Step::Op::decode && st.errors.mode == DecodeErrorMode::question) question_any = true;
      if (st.op == Step::Op::redecode)
        for (auto [x, y] : st.ranges)
          (st.encoding == EncodingId::windows_1250 ? redecode1250 : redecode)
              .ranges.emplace_back(x + t2_base, y + t2_base);
    }
    t2_base += r.t2_size;
    return true;
  };
  // Windows for the beam: each damaged stretch with the ASCII character after it; windows
  // closer than 16 bytes are joined (the beam then sees both with their context), up to
  // block_bytes each.
  std::vector<std::pair<std::size_t, std::size_t>> windows;
  // The exact readings of the clean stretches, kept for the output: [s, e) of the text was
  // read as clean_text[from, to).
  struct CleanStretch {
    std::size_t s, e, from, to;
  };
  std::vector<CleanStretch> clean;
  std::string clean_text;
  ScoreState lm;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t s = at;
    while (s < text.size() && is_cut(static_cast<unsigned char>(text[s]))) model.next(lm, static_cast<unsigned char>(text[s++]));
    std::size_t e = s;
    while (e < text.size() && !is_cut(static_cast<unsigned char>(text[e]))) ++e;
    at = e;
    if (e == s) break;
    const std::size_t from = clean_text.size();
    const ScoreState lm_before = lm;
    bool damaged = !exact.read(text.substr(s, e - s), &clean_text) ||
                   !reads_well(model, lm, std::string_view(clean_text).substr(from));
    // The part of the stretch before the damage reads as it is; the beam starts a little
    // before the damage shows.
    const std::size_t skip = damaged ? exact.beam_start(text.substr(s, e - s), model, lm_before) : 0;
    // A spelled-out ligature: two ASCII letters next to the stretch.
    if (!damaged && s >= 2 && spells_ligature(text[s - 2], text[s - 1])) damaged = true;
    if (!damaged && e + 1 < text.size() && spells_ligature(text[e], text[e + 1])) damaged = true;
    if (!damaged) {
      clean.push_back({s, e, from, clean_text.size()});
      continue;
    }
    clean_text.resize(from);
    const std::size_t a = skip ? s + skip : s >= 2 && spells_ligature(text[s - 2], text[s - 1]) ? s - 2 : s;
    std::size_t b = std::min(text.size(), e + 1 < text.size() && spells_ligature(text[e], text[e + 1]) ? e + 2 : e + 1);
    // Right context for the beam's choice ("Ö|nceki", "تصفّحٍ| مثل"): the ASCII that follows, and
    // a short stretch after it, with the ASCII character that ends that.
    std::size_t c = b;
    while (c < text.size() && c - b < 12 && is_cut(static_cast<unsigned char>(text[c]))) ++c;
    if (c < text.size() && c - b < 12 && !is_cut(static_cast<unsigned char>(text[c]))) {
      std::size_t d = c;
      while (d < text.size() && !is_cut(static_cast<unsigned char>(text[d]))) ++d;
      if (d - c <= 24 && d < text.size()) c = d + 1;
      else c = b;
    }
    // A stretch after the window is judged on its own again (at = e): the window may now
    // cover it, which the merge below absorbs.
    b = std::max(b, c);
    if (!windows.empty() && a <= windows.back().second + 16 && b - windows.back().first <= block_bytes)
      windows.back().second = std::max(windows.back().second, b);
    else if (!windows.empty() && a < windows.back().second)
      windows.back().second = std::max(windows.back().second, b);  // overlapping: never split
    else
      windows.emplace_back(a, b);
  }
  // Clean text between windows: the readings made above (a stretch cut by a window's start,
  // the part before its damage, is read here).
  std::size_t next_clean = 0;
  auto exact_over = [&](std::size_t a, std::size_t b) {
    for (std::size_t at = a; at < b;) {
      std::size_t s = at;
      while (s < b && is_cut(static_cast<unsigned char>(text[s]))) ++s;
      all.text.append(text.substr(at, s - at));
      std::size_t e = s;
      while (e < b && !is_cut(static_cast<unsigned char>(text[e]))) ++e;
      while (next_clean < clean.size() && clean[next_clean].s < s) ++next_clean;
      if (e > s && next_clean < clean.size() && clean[next_clean].s == s && clean[next_clean].e == e) {
        const CleanStretch& c = clean[next_clean];
        all.text.append(clean_text, c.from, c.to - c.from);
      } else if (e > s && !exact.read(text.substr(s, e - s), &all.text)) {
        all.text.append(text.substr(s, e - s));
      }
      at = e;
    }
    t2_base += b - a;
  };
  std::size_t done = 0;
  for (auto [a, b] : windows) {
    exact_over(done, a);
    if (!beam_over(a, b)) return all;
    done = b;
  }
  exact_over(done, text.size());

  all.t2_size = t2_base;
  all.forward = {{Step::Op::encode, ch.original}, misread_step(ch, replaced_any, question_any)};
  if (lost) {
    Step s{Step::Op::strip};
    for (std::uint8_t b : ch.lost_bytes) s.chars += decode(std::string(1, static_cast<char>(b)), ch.misread).text;
    all.forward.push_back(s);
  }
  if (!redecode.ranges.empty()) all.forward.push_back(redecode);
  if (!redecode1250.ranges.empty()) all.forward.push_back(redecode1250);
  if (ligatures) all.forward.push_back({Step::Op::split_ligatures});
  return all;
}

}  // namespace ungarble::repair_detail
