// repair.cpp — the search: which chain of steps best explains this text?
//
// Order of work, cheapest first: text without a single character mojibake is made of is
// returned untouched (most real input). Otherwise we try to explain the whole text with exact
// layers (peeling one "encoded as A, decoded as B" layer at a time while the language models
// say each peel makes the text more probable, by more than the layer's prior cost and a safety
// margin); if no exact chain exists, the lossy lattice tries the channels whose naive reversal
// reads best. Text that no single chain explains is repaired line by line, then word by word,
// each span with its own chain.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "repair/lattice.h"
#include "repair/layers.h"
#include "repair/scoring.h"
#include "repair/utf8_step.h"
#include "ungarble/model.h"
#include "ungarble/repair.h"

namespace ungarble {
namespace {
using namespace repair_detail;

// A repair must beat "nothing happened" by this many bits after the chain's prior cost.
constexpr double kMarginBits = 12;
constexpr double kWordMarginBits = 14;
constexpr double kPairBits = 4;
constexpr double kCompleteBits = 4;
constexpr double kNaiveBehindBits = 1;  // per character; see lossy()
constexpr double kLonePairBits = 17;    // none in 162,435 held-out lines: log2 of that



// Mojibake of text has letters or Latin-1 debris (Ã, Ð, 涓, ×): a piece with none (box
// drawing, emoticons, rules of ═) is left as it is.
bool has_letter(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = next_code_point(s, i);
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
    // Latin-1's symbols and C1 controls count: UTF-8 Hebrew read as ISO-8859-1 is "×" and
    // controls only.
    if (c >= 0x80 && !(c >= 0x2000 && c <= 0x2BFF) && c != 0x3000 && !(c >= 0xFF00 && c <= 0xFF0F))
      return true;
  }
  return false;
}

// Does text read as cp1252 look like UTF-8 that lost a few continuation bytes? Its bytes
// hold complete UTF-8 sequences, and some lead bytes without the continuations they need
// (at most half as many as the complete ones: clean Latin-1 text is all such "orphans").
bool broken_utf8_story(std::string_view seg) {
  EncodeResult e = encode(seg, EncodingId::windows_1252, {EncodeErrorMode::replace});
  const std::string& b = e.bytes;
  std::size_t whole = 0, orphans = 0, partial = 0;
  for (std::size_t i = 0; i < b.size();) {
    auto x = static_cast<unsigned char>(b[i]);
    std::size_t need = x >= 0xC2 && x <= 0xDF ? 1 : x >= 0xE0 && x <= 0xEF ? 2 : x >= 0xF0 && x <= 0xF4 ? 3 : 0;
    if (!need) {
      ++i;
      continue;
    }
    auto cont = [&](std::size_t j) { return j < b.size() && (static_cast<unsigned char>(b[j]) & 0xC0) == 0x80; };
    std::size_t k = 1;
    bool stand_in = false;
    while (k <= need && i + k < b.size()) {
      if (cont(i + k)) {
        ++k;
      } else if (b[i + k] == '?' && k < need && cont(i + k + 1)) {
        // A '?' amid a sequence, where a strict decoder replaced the byte it had no character
        // for ("ã?—" for し, E3 81 97): a continuation that was there.
        ++k;
        stand_in = true;
      } else {
        break;
      }
    }
    if (k > need && !stand_in) ++whole;
    else ++orphans, partial += k > 1;
    i += k;
  }
  // A lead with some of its continuations ("ã®" for "の", E3 81 AE without the 81, or "ã?®"
  // where the decoder wrote '?') is UTF-8's mark, not Latin-1's: Japanese loses the middle byte
  // of every hiragana through a strict cp1252, and its orphans outnumber its whole sequences.
  const std::size_t bare = orphans - partial;
  return orphans > 0 && (whole >= 2 * orphans || (partial >= 2 && whole + partial >= 2 * bare));
}

// Is the '?' at s[q] right after a CJK character and right before an ASCII letter or sign
// ("时?M足", not "吗? ")? Where a strict decoder wrote it for a lead byte, that is its trail.
bool squeezed_question(std::string_view s, std::size_t q) {
  if (q == 0 || q + 1 >= s.size()) return false;
  const auto next = static_cast<unsigned char>(s[q + 1]);
  if (next < 0x40 || next > 0x7E) return false;
  std::size_t p = q;
  do --p; while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80);
  const char32_t c = next_code_point(s, p);
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF);
}

bool question_in_cjk(std::string_view s) {
  for (std::size_t q = s.find('?'); q != std::string_view::npos; q = s.find('?', q + 1))
    if (squeezed_question(s, q)) return true;
  return false;
}

// A layer that maps letters of a script to letters of the same script (Cyrillic pages read as
// each other, CJK pages read as each other) or through a CJK decoder: its mojibake is made of
// real letters, so only fluency tells it from clean text.
bool page_swap(const Layer& l) {
  const bool multi_misread = encoding(l.misread).kind == EncodingKind::multi_byte;
  const bool single_both = l.original != EncodingId::utf_8 &&
                           encoding(l.original).kind == EncodingKind::single_byte &&
                           encoding(l.misread).kind == EncodingKind::single_byte;
  return multi_misread || single_both;
}

// Is every non-ASCII character of the word a letter of one non-Latin alphabet (Cyrillic, Greek,
// Hebrew, Arabic, Thai)? Such words make UTF-8-like pairs in their own pages ("Ещё" in KOI8-R,
// "Мё" in cp1251) without being mojibake of anything.
bool one_alphabet(std::string_view word) {
  static constexpr std::pair<char32_t, char32_t> kBlocks[] = {
      {0x370, 0x3FF}, {0x400, 0x4FF}, {0x590, 0x5FF}, {0x600, 0x6FF}, {0xE00, 0xE7F}};
  int block = -1;
  for (std::size_t i = 0; i < word.size();) {
    if (static_cast<unsigned char>(word[i]) < 0x80) {
      ++i;
      continue;
    }
    const char32_t c = next_code_point(word, i);
    int b = -1;
    for (int k = 0; k < 5; ++k)
      if (c >= kBlocks[k].first && c <= kBlocks[k].second) b = k;
    if (b < 0 || (block >= 0 && b != block)) return false;
    block = b;
  }
  return block >= 0;
}

// The context a word is scored in: up to ~64 bytes of its line on each side, cut at a space.
// Readings of the word are compared in the same context, and the models look back only a few
// characters, so more of a long line adds time, not evidence.
constexpr std::size_t kWordContextBytes = 64;
std::string_view context_before(std::string_view line, std::size_t at) {
  if (at <= kWordContextBytes) return line.substr(0, at);
  std::size_t from = line.find(' ', at - kWordContextBytes);
  if (from == std::string_view::npos || from >= at) from = at - kWordContextBytes;
  while (from < at && (static_cast<unsigned char>(line[from]) & 0xC0) == 0x80) ++from;
  return line.substr(from, at - from);
}
std::string_view context_after(std::string_view line, std::size_t at) {
  if (line.size() - at <= kWordContextBytes) return line.substr(at);
  std::size_t to = line.rfind(' ', at + kWordContextBytes);
  if (to == std::string_view::npos || to <= at) to = at + kWordContextBytes;
  while (to < line.size() && (static_cast<unsigned char>(line[to]) & 0xC0) == 0x80) ++to;
  return line.substr(at, to - at);
}

// Both pages single-byte, the original not UTF-8: cp1251 read as KOI8-R, cp1250 read as cp1252.
bool single_swap(const Layer& l) {
  return l.original != EncodingId::utf_8 && encoding(l.original).kind == EncodingKind::single_byte &&
         encoding(l.misread).kind == EncodingKind::single_byte;
}

// The first ~4 KB of a long text, cut at a line end (or a character boundary).
std::string_view probe_of(std::string_view s, std::size_t want = 4096) {
  if (s.size() <= want + want / 2) return s;
  // Cut after a line end, else after a space: no layer of damage ever splits a character
  // there (every encoding here keeps 0x0A and 0x20 as themselves, and none uses them inside a
  // multibyte sequence), while a cut elsewhere can halve a garbled sequence, which the deeper
  // layers then cannot peel.
  for (char sep : {'\n', ' '}) {
    std::size_t cut = s.rfind(sep, want);
    if (cut != std::string_view::npos && cut >= want / 2) return s.substr(0, cut + 1);
  }
  std::size_t cut = want;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

double confidence_of(double gain_bits) {
  if (gain_bits > 60) return 1.0;
  return 1.0 / (1.0 + std::exp2(-gain_bits));
}

// A reading that led the search for a while.
struct Finalist {
  std::string text;
  TextScore score;
  const Layer* layer;
  double evidence;
  bool holed;
  std::size_t holes;
};
constexpr std::size_t kFinalists = 3;

struct SegmentRepair {
  bool changed = false;
  bool reads_clean_cjk = false;  // left as it is because it reads as clean CJK text
  std::string text;
  SpanRepair span;
};

class Engine {
 public:
  Engine(const ModelSet& models, const RepairOptions& opt)
      : scorer_(models), opt_(opt), prefer_([this](std::string_view a, std::string_view b) {
          return scorer_.score(b).log2p > scorer_.score(a).log2p;
        }) {}

  // `word`: a piece of a line; short evidence, so a repair must win by more, and every reading
  // is scored inside its line (`before` + reading + `after`), so that it must fit its context.
  // `known`: suspicion(seg), when the caller has it already.
  SegmentRepair segment(std::string_view seg, bool allow_lossy, bool word = false,
                        std::string_view before = {}, std::string_view after = {},
                        const Suspicion* known = nullptr) {
    SegmentRepair r;
    auto score = [&](std::string_view x, double floor = -INFINITY, bool full = false) {
      if (before.empty() && after.empty()) return full ? scorer_.score_full(x) : scorer_.score(x, floor);
      std::string ctx;
      ctx.reserve(before.size() + x.size() + after.size());
      ctx.append(before).append(x).append(after);
      return full ? scorer_.score_full(ctx) : scorer_.score(ctx, floor);
    };
    const Suspicion sus = known ? *known : suspicion(seg);
    if (!sus.any() || scorer_.models().size() == 0 || (!has_letter(seg) && sus.box_words < 3)) return r;
    scorer_.begin_segment();
    if (word && sus.utf8_pairs == 0) return r;
    const double margin = word ? kWordMarginBits : kMarginBits;
    // Long text: choose the chain on a probe from its start, then check it on the whole.
    const std::string_view full = seg;
    seg = probe_of(seg);
    // A probe with nothing suspicious cannot choose a chain for the whole; what damage there
    // is further on is found line by line.
    const Suspicion probe_sus = seg.size() == full.size() ? sus : suspicion(seg);
    if (!probe_sus.any()) return r;
    const bool cjk_alone = probe_sus.only_cjk() && !probe_sus.cjk_in_latin();
    if (cjk_alone && (scorer_.reads_common_cjk(seg) || (clean_cjk_text_ && scorer_.reads_common_cjk_short(seg)))) {
      r.reads_clean_cjk = true;
      return r;
    }
    static const std::vector<Layer> all = candidate_layers();
    MisreadBytes seg_bytes(seg);
    // The text as it stands is scored only when something needs it: most lines whose only
    // mark is a weak one (Arabic "ة،" and Vietnamese "đó" are UTF-8 pairs in cp1256 and cp852)
    // peel through no layer at all, and then the models have nothing to compare. It is still
    // the first text the segment scores, so its ranking of the models is the shortlist.
    TextScore base;
    bool have_base = false;
    auto need_base = [&]() -> const TextScore& {
      if (!have_base) base = score(seg), have_base = true;
      return base;
    };
    if (cjk_alone && clean_cjk(need_base())) {
      r.reads_clean_cjk = true;
      return r;
    }
    if (probe_sus.only_cyrillic_greek() && clean_alphabet(need_base())) return r;
    // A page swap (one CJK page read as another, one Cyrillic page as another, text through a
    // CJK decoder) turns clean text into text that reads badly, so text that reads clean needs
    // none: left are the layers whose own marks were seen (UTF-8 pairs, runs of Latin-1).
    // Marks that page swaps themselves leave (half-width kana, U+FFFD, box drawing) keep them.
    const bool reads_clean = !probe_sus.halfwidth_kana && !probe_sus.replacement && probe_sus.box_words < 3 &&
                             !probe_sus.cjk_in_latin() &&
                             ((probe_sus.cjk && clean_cjk(need_base())) ||
                              (probe_sus.cyrillic_greek && clean_alphabet(need_base())));
    std::optional<CjkCost> seg_cjk;  // the table's costs of seg, once a page swap asks
    std::string cur(seg);
    TextScore cur_score;  // base's, from the first reading that needs it
    double prior = 0;
    std::vector<Layer> peeled;
    std::vector<bool> holed;  // per peeled layer: its decoder had replaced bytes (U+FFFD)
    std::size_t holes = 0;
    // Many layers give the same reading (UTF-8 read as cp1252, latin-1, 8859-15, cp1254 … of
    // text those pages share): each distinct reading is scored once per segment.
    std::unordered_map<std::string, TextScore> scored;
    for (int depth = 0; depth < opt_.max_depth; ++depth) {
      // A further layer needs the same evidence as the first: a reading with nothing mojibake
      // is made of (or CJK text that reads like clean text) is where peeling stops.
      const Suspicion cur_sus = depth == 0 ? probe_sus : suspicion(cur);
      if (depth > 0 && (!cur_sus.any() || (cur_sus.only_cjk() && clean_cjk(cur_score)))) break;
      // With --from only the innermost layer's original is known: all layers stay candidates
      // and the chain is checked against it below.
      const std::vector<Layer>& layers = all;
      double best_gain = margin;
      std::string best_text;
      TextScore best_score;
      const Layer* best_layer = nullptr;
      double best_evidence = 0;
      bool best_holed = false;
      std::size_t best_holes = 0;
      std::vector<Finalist> finalists;
      MisreadBytes cur_bytes_here(cur);
      MisreadBytes& cur_bytes = depth == 0 ? seg_bytes : cur_bytes_here;
      std::array<signed char, kEncodingCount> cur_fits_misread;
      cur_fits_misread.fill(-1);
      const std::size_t cur_pairs = cur_sus.utf8_pairs;
      for (const Layer& l : layers) {
        if (word && !word_layer(l)) continue;
        if (depth == 0 && reads_clean && page_swap(l)) continue;
        // One single-byte page read as another leaves letters of its script, or (through
        // cp866) words of box drawing: without either, such a swap has nothing to explain —
        // a frame of box drawing makes UTF-8 pairs in cp437, not Cyrillic.
        if (single_swap(l) && !cur_sus.cyrillic_greek && cur_sus.box_words < 3) continue;
        // A text that draws with box pieces (a table, a bar) was not misread through a page
        // that has them (DOS's, KOI8's).
        if (cur_sus.drawn_words && (l.misread == EncodingId::ibm437 || l.misread == EncodingId::ibm850 ||
                                    l.misread == EncodingId::ibm852 || l.misread == EncodingId::ibm866 ||
                                    l.misread == EncodingId::koi8_r || l.misread == EncodingId::koi8_u))
          continue;
        std::string x;
        // Text a CJK decoder made is mostly CJK; what came out of the peel must fit its page.
        // (Asked once per page and depth: `cur` is the same for every layer here.)
        if (l.misread != l.original && encoding(l.misread).kind == EncodingKind::multi_byte) {
          signed char& fits = cur_fits_misread[static_cast<std::size_t>(l.misread)];
          if (fits < 0) fits = fits_original(cur, l.misread, 1.0 / 3, true);
          if (!fits) continue;
        }
        // The outermost layer may be a CJK decoder that replaced what it could not read.
        bool with_holes = false;
        std::size_t n_holes = 0;
        if (!peel(cur, l, &x, &cur_bytes, &prefer_)) {
          if (depth > 0 || !probe_sus.replacement || encoding(l.misread).kind != EncodingKind::multi_byte ||
              !peel_with_holes(cur, l, &x, &n_holes))
            continue;
          with_holes = true;
        }
        if (!fits_original(x, l.original)) continue;
        // CJK text swapped through another CJK page reverses into commoner characters, by the
        // per-character table (a lookup each): a reading that is no commoner than the text is
        // not that story, and never reaches the models — what clean CJK lines with a rare word
        // ("組態", "監控") give through every other page.
        if (depth == 0 && cjk_alone && page_swap(l)) {
          if (!seg_cjk) seg_cjk = scorer_.cjk_cost(seg);
          const CjkCost xc = scorer_.cjk_cost(x);
          if (xc.chars && xc.mean() >= seg_cjk->mean()) continue;
        }
        // The channel's own evidence, beside the models': each UTF-8 lead/continuation pair a
        // UTF-8 peel removes ("Ã«" → "ë") is a pattern clean text almost never has. Worth
        // kPairBits each, so that one garbled name in a clean line is repaired although the
        // models, on a few characters, see only a small gain.
        double evidence = 0;
        std::optional<Suspicion> x_sus;  // suspicion(x), once one of the rules below asks
        auto after = [&]() -> const Suspicion& {
          if (!x_sus) x_sus = suspicion(x);
          return *x_sus;
        };
        if (l.original == EncodingId::utf_8 && cur_pairs > 0) {
          std::size_t left = after().utf8_pairs;
          if (left < cur_pairs) evidence = kPairBits * static_cast<double>(cur_pairs - left);
          // A peel that leaves no pair at all has explained every mark of the text: clean text
          // is almost never wholly valid UTF-8 through a single-byte page (one lone accented
          // letter breaks it), so such a peel needs less from the models ("2Ã—N array", one
          // pair in a long English line whose model barely knows ×). Not inside a line's
          // words, where the line decides (quoting mojibake keeps some of it).
          if (left == 0 && !word) evidence += kCompleteBits;
        }
        // Likewise each CJK character inside a Latin word that UTF-8 through a CJK page
        // explains ("fr疇n" → "från"): one accented letter became one such character.
        if (l.original == EncodingId::utf_8 && cur_sus.latin_cjk > 0 &&
            encoding(l.misread).kind == EncodingKind::multi_byte) {
          if (after().latin_cjk < cur_sus.latin_cjk)
            evidence += kPairBits * static_cast<double>(cur_sus.latin_cjk - after().latin_cjk);
          // As for pairs: a reading with no CJK left at all explained every one of them.
          if (after().cjk == 0 && !word) evidence += kCompleteBits;
        }
        // Each lone pair of Latin-1 characters a legacy CJK page read as a Western one turns
        // into a CJK letter ("USB ¤ä PCI" → "USB や PCI"): a pattern no clean line of the
        // held-out text has, while a lone CJK character in a Latin line costs the models its
        // island. (Into punctuation, the pages disagree — "¡°" is “ in GBK and EUC-KR, ＾ in
        // EUC-JP — and the models cannot choose: no evidence.)
        if (cur_sus.lone_pairs > 0 && encoding(l.original).kind == EncodingKind::multi_byte &&
            (l.misread == EncodingId::windows_1252 || l.misread == EncodingId::iso_8859_1) &&
            after().lone_pairs < cur_sus.lone_pairs) {
          const std::size_t explained = cur_sus.lone_pairs - after().lone_pairs;
          if (after().cjk >= cur_sus.cjk + explained) evidence += kLonePairBits * static_cast<double>(explained);
        }
        // And each word a UTF-8 peel no longer mixes Latin with Greek or Cyrillic letters
        // ("Γ–nceki" → "Önceki", "doloГ„ВЌbe" → "določbe"): clean text keeps its scripts apart
        // inside a word.
        if (l.original == EncodingId::utf_8 && cur_sus.mixed_words > 0 &&
            encoding(l.misread).kind == EncodingKind::single_byte && after().mixed_words < cur_sus.mixed_words)
          evidence += kPairBits * static_cast<double>(cur_sus.mixed_words - after().mixed_words);
        if (depth == 0) cur_score = need_base();  // the text as it stands, scored once
        const double floor = cur_score.log2p + l.cost_bits + best_gain - evidence;
        // An entry without a model is a bound: the reading scored below that floor.
        auto hit = scored.find(x);
        if (hit != scored.end() && !hit->second.model && floor >= hit->second.log2p) continue;
        if (hit == scored.end() || !hit->second.model) {
          TextScore fresh = score(x, floor);
          if (!fresh.model) fresh.log2p = floor;
          hit = scored.insert_or_assign(x, fresh).first;
        }
        const TextScore s = hit->second;
        if (!s.model || s.log2p < floor) continue;
        // Box drawing costs the models more than any letters, so a swap of single-byte pages
        // gains from turning a table's frame into letters: its reading must read as text.
        if (single_swap(l) && !fluent(s)) continue;
        double gain = s.log2p - cur_score.log2p - l.cost_bits + evidence;
        if (gain > best_gain) {
          best_gain = gain;
          finalists.push_back({std::move(x), s, &l, evidence, with_holes, n_holes});
        }
      }
      if (finalists.empty()) break;
      // The last few leaders, rescored by every model of their script (the shortlist came
      // from the garbled text) and judged again on that footing.
      if (finalists.size() > kFinalists)
        finalists.erase(finalists.begin(), finalists.end() - static_cast<std::ptrdiff_t>(kFinalists));
      best_gain = margin;
      bool winner_ranked_last = false;  // finalists come in rising order: the leader is last
      // Text shorter than the shortlist threshold was scored by every model already.
      auto cps = [](std::string_view t) {
        std::size_t n = 0;
        for (char c : t) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        return n;
      };
      const bool exact_already = cps(before) + cps(cur) + cps(after) + 16 < Scorer::kShortlistFrom;
      for (Finalist& f : finalists) {
        const bool short_text = exact_already && cps(before) + cps(f.text) + cps(after) < Scorer::kShortlistFrom;
        TextScore s = short_text ? f.score : score(f.text, -INFINITY, true);  // in its context
        double gain = s.log2p - cur_score.log2p - f.layer->cost_bits + f.evidence;
        winner_ranked_last = gain > best_gain;
        if (gain > best_gain)
          best_gain = gain, best_text = std::move(f.text), best_score = s, best_layer = f.layer,
          best_evidence = f.evidence, best_holed = f.holed, best_holes = f.holes;
      }
      if (!best_layer) break;
      if (!best_score.model) break;
      // The winner's ranking is the shortlist from here on.
      if (!winner_ranked_last && !exact_already) score(best_text, -INFINITY, true);
      peeled.push_back(*best_layer);
      holed.push_back(best_holed);
      holes += best_holes;
      prior += best_layer->cost_bits - best_evidence;
      cur = std::move(best_text);
      cur_score = best_score;
    }
    if (!peeled.empty() && opt_.original && peeled.back().original != *opt_.original) {
      // The user said what the original encoding was; an exact chain ending elsewhere is wrong.
      peeled.clear();
      holed.clear();
      holes = 0;
      cur = std::string(seg);
      cur_score = base;
      prior = 0;
    }
    if (!peeled.empty() && full.size() != seg.size()) {
      std::string x(full);
      holes = 0;
      for (std::size_t k = 0; k < peeled.size() && !x.empty(); ++k) {
        std::string y;
        std::size_t h = 0;
        bool ok = holed[k] ? (peel(x, peeled[k], &y, nullptr, &prefer_) || peel_with_holes(x, peeled[k], &y, &h))
                           : peel(x, peeled[k], &y, nullptr, &prefer_);
        // The probe cannot tell the Western pages apart where it holds none of the few bytes
        // they read differently (latin-1's C1 controls are cp1252's † ‰ Š …): the rest of the
        // text may, and the page that explains all of it is the one.
        for (EncodingId m : {EncodingId::windows_1252, EncodingId::iso_8859_1, EncodingId::iso_8859_15}) {
          if (ok || holed[k] || m == peeled[k].misread) continue;
          const Layer* twin = nullptr;
          for (const Layer& l : all)
            if (l.original == peeled[k].original && l.misread == m) twin = &l;
          if (twin && peel(x, *twin, &y, nullptr, &prefer_)) peeled[k] = *twin, ok = true;
        }
        // Nor, on a probe without their few differing bytes, can it tell cp1252 from its other
        // neighbours (Greek through cp1258 reads as through cp1252 until "ώ" brings 8E, which
        // cp1258 leaves a C1 control): any single-byte page that reads the probe exactly as the
        // chosen one did is tried on the whole, cheapest first.
        if (!ok && !holed[k] && peeled.size() == 1 && encoding(peeled[k].misread).kind == EncodingKind::single_byte) {
          std::string probe_reading;
          for (const Layer& l : all) {
            if (l.original != peeled[k].original || l.misread == peeled[k].misread ||
                encoding(l.misread).kind != EncodingKind::single_byte)
              continue;
            if (!peel(seg, l, &probe_reading, nullptr, &prefer_) || probe_reading != cur) continue;
            if (peel(x, l, &y, nullptr, &prefer_)) {
              peeled[k] = l, ok = true;
              break;
            }
          }
        }
        if (!ok) y.clear();
        holes += h;
        x = std::move(y);
      }
      if (x.empty()) peeled.clear();  // the chain does not explain all of it
      else cur = std::move(x);
    }
    if (!peeled.empty()) {
      r.changed = true;
      r.text = cur;
      r.span.gain_bits = cur_score.log2p - base.log2p - prior;
      r.span.confidence = confidence_of(r.span.gain_bits);
      r.span.language = cur_score.model ? std::string(cur_score.model->lang()) : "";
      for (std::size_t k = peeled.size(); k-- > 0;) {
        r.span.forward.push_back({Step::Op::encode, peeled[k].original});
        Step d{Step::Op::decode, peeled[k].misread};
        if (holed[k]) d.errors = {DecodeErrorMode::replace};
        r.span.forward.push_back(d);
      }
      // What the replacing decoder destroyed stays U+FFFD: unknown, flagged, not invented.
      if (holes) {
        r.span.lossy = true;
        r.span.undecided = holes;
      }
    }
    // An exact chain can still be the wrong story (a lossy channel read exactly as some other
    // page); the lattice competes on the same scale and the better explanation wins.
    // A fluent exact reading of text without U+FFFD leaves the lattice nothing to win.
    // (Not so when a single-byte page was the original: a legacy CJK text that lost a byte
    // reads exactly as no CJK page, but as cp1251 text read as cp1252 — fluent-looking when
    // it is mostly digits and ASCII — and the lattice must get its chance.)
    const bool single_original =
        std::any_of(peeled.begin(), peeled.end(), [](const Layer& l) {
          return l.original != EncodingId::utf_8 && encoding(l.original).kind == EncodingKind::single_byte;
        });
    // Nor when the text looks like UTF-8 that lost bytes and the exact chain says otherwise
    // (Romanian whose one dropped byte left it readable as GBK: "r芒nd" for "rând").
    const bool utf8_lost_bytes = !peeled.empty() && peeled.front().original != EncodingId::utf_8 &&
                                 probe_sus.western_pairs && broken_utf8_story(seg);
    // Nor when a legacy CJK reading keeps a '?' between a CJK character and ASCII ("同时?M足"):
    // perhaps a strict decoder's replacement of a lead byte whose trail is ASCII (滿 is 9D 4D).
    const bool cjk_question = !peeled.empty() && encoding(peeled.front().original).kind == EncodingKind::multi_byte &&
                              question_in_cjk(cur);
    const bool settled = r.changed && fluent(cur_score) && sus.replacement == 0 && !single_original &&
                         !utf8_lost_bytes && !cjk_question;
    if (allow_lossy && opt_.lossy && !settled && lossy_marks(probe_sus, seg)) {
      SegmentRepair l = lossy(full, seg, probe_sus, need_base(), r.changed && !cjk_question ? &cur_score : nullptr);
      if (l.changed && (!r.changed || l.span.gain_bits > r.span.gain_bits)) return l;
    }
    if (allow_lossy && opt_.lossy && settled) restore_stripped(full, peeled, cur_score, &r);
    return r;
  }

  // The model that reads a text's non-ASCII characters best (its runs, each a word): what the
  // lattice reads a legacy CJK page's stretches with, where the line around them is English.
  const LanguageModel* non_ascii_model(std::string_view text) const {
    std::string part;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t start = i;
      next_code_point(text, i);
      if (i - start > 1) part.append(text, start, i - start);
      else if (!part.empty() && part.back() != ' ') part += ' ';
    }
    return part.empty() ? nullptr : scorer_.score(part).model;
  }

  // A legacy CJK page read as cp1252 whose soft hyphens a cleaner stripped (byte AD, a common
  // GBK and Big5 trail byte) often still reads exactly: a lost trail makes its lead pair with
  // the next byte, and the reading is shifted into nonsense until the next ASCII character, with
  // no decoding error. A text of such mojibake with no U+00AD left at all is suspect (clean
  // mojibake of Chinese keeps one about every hundred characters), so the lattice reads it over
  // the exact chain's channel: cheap, as every stretch that reads well is taken as it is, and
  // the beam runs only where the exact reading turns to nonsense. Its restorations are kept
  // when it makes any (each must win by more than its cost, 6 bits, on the beam's own scale).
  void restore_stripped(std::string_view full, const std::vector<Layer>& peeled, const TextScore& exact,
                        SegmentRepair* r) {
    if (peeled.size() != 1 || !exact.model || r->span.lossy) return;
    const Layer& l = peeled[0];
    if (encoding(l.original).kind != EncodingKind::multi_byte ||
        (l.misread != EncodingId::windows_1252 && l.misread != EncodingId::iso_8859_1))
      return;
    if (full.find("\xC2\xAD") != std::string_view::npos) return;
    LatticeChannel ch{l.original, l.misread};
    // The beam reads the CJK stretches: by the model of their own script, not by the line's
    // (a Japanese phrase in an English line is mostly ASCII around it).
    const LanguageModel* own = non_ascii_model(r->text);
    const LanguageModel& model = own ? *own : *exact.model;
    LatticeResult lr = decode_lattice_blocks(full, ch, model);
    if (!lr.ok || lr.invalid > 0 || lr.restored.empty() || lr.text == r->text) return;
    r->text = std::move(lr.text);
    r->span.forward = std::move(lr.forward);
    r->span.lossy = true;
    r->span.restored = std::move(lr.restored);
    r->span.undecided = judge_restorations(&r->text, ch, model, &r->span.restored);
    for (const Restored& x : r->span.restored) r->span.confidence = std::min(r->span.confidence, x.confidence);
  }

  // The hinted chain over the whole text: every layer must peel all of it exactly, and the
  // result must beat the input on the probe by the layers' cost and the margin.
  SegmentRepair hinted(std::string_view text, const std::vector<Step>& forward) {
    SegmentRepair r;
    std::vector<Layer> layers;  // innermost (oldest) first
    for (std::size_t k = 0; k + 1 < forward.size(); k += 2) {
      const Step& e = forward[k];
      const Step& d = forward[k + 1];
      if (e.op != Step::Op::encode || d.op != Step::Op::decode || d.errors.mode != DecodeErrorMode::strict)
        return r;
      layers.push_back({e.encoding, d.encoding, 0});
    }
    if (layers.empty() || forward.size() % 2 != 0) return r;
    static const std::vector<Layer> all = candidate_layers();
    for (Layer& l : layers) {
      auto it = std::find_if(all.begin(), all.end(), [&](const Layer& c) {
        return c.original == l.original && c.misread == l.misread;
      });
      if (it == all.end()) return r;
      l.cost_bits = it->cost_bits;
    }
    std::string cur(text);
    double prior = 0;
    for (std::size_t k = layers.size(); k-- > 0;) {
      std::string x;
      if (!peel(cur, layers[k], &x, nullptr, &prefer_)) return r;
      cur = std::move(x);
      prior += layers[k].cost_bits;
    }
    if (opt_.original && layers.front().original != *opt_.original) return r;
    scorer_.begin_segment();
    const std::string_view probe_in = probe_of(text);
    // The same characters of the output: peel the probe again (cheap) rather than map offsets.
    std::string probe_out(probe_in);
    for (std::size_t k = layers.size(); k-- > 0;) {
      std::string x;
      if (!peel(probe_out, layers[k], &x, nullptr, &prefer_)) return r;
      probe_out = std::move(x);
    }
    const TextScore before = scorer_.score(probe_in);
    const TextScore after = scorer_.score_full(probe_out);
    const double gain = after.log2p - before.log2p - prior;
    if (!after.model || gain <= kMarginBits) return r;
    r.changed = true;
    r.text = std::move(cur);
    r.span.gain_bits = gain;
    r.span.confidence = confidence_of(gain);
    r.span.language = std::string(after.model->lang());
    r.span.forward = forward;
    return r;
  }

 private:
  // Inside a clean line only the common accident is believable: UTF-8 read by a single-byte
  // page (a pasted word, a double-encoded field).
  static bool word_layer(const Layer& l) {
    return l.original == EncodingId::utf_8 && encoding(l.misread).kind == EncodingKind::single_byte;
  }

  // Naive reversal of a single-byte misreading (characters B lacks go through their UTF-8,
  // as an earlier fixer would have made them), decoded with A replacing errors: a cheap
  // estimate of how well a lossy channel could read.
  static std::string naive(std::string_view seg, EncodingId a, EncodingId b) {
    std::string bytes;
    for (std::size_t i = 0; i < seg.size();) {
      std::size_t start = i;
      next_code_point(seg, i);
      std::string_view ch = seg.substr(start, i - start);
      EncodeResult e = encode(ch, b);
      bytes += e.ok ? e.bytes : std::string(ch);
    }
    return decode(bytes, a, {DecodeErrorMode::replace}, BomPolicy::keep).text;
  }

  // The lattice undoes a single-byte misreading (windows-1252): without its marks (runs of
  // Latin-1 letters, UTF-8 pairs as cp1252 or latin-1 shows them) there is nothing for it to
  // explain, and filling U+FFFDs that a CJK decoder left would be invention.
  // (Pairs only another page makes — "щё" is a UTF-8 pair in KOI8-R — are not its marks.)
  // Runs are a legacy CJK page's marks only where they hold a good share of the text's
  // Latin-1 letters and letters foreign to cp1252: every CJK character of such mojibake is two
  // Latin-1 ones (or one and cp1252's punctuation: "‚É"), side by side with the next (a lone
  // one, "»ò" for 或 between spaces, is two), while a Czech, Slovak or Azerbaijani text has a
  // run in a few words ("nejvyšší", "üçün") among hundreds of lone accented letters and letters
  // cp1252 does not even have (ř, ə).
  static bool lossy_marks(const Suspicion& sus, std::string_view seg) {
    if (sus.western_pairs) return true;
    if (!sus.orphan_leads && !sus.latin_runs) return false;
    // Orphan leads likewise: each stands for a character of two bytes ("lÃnea"), and one "fÞrir"
    // (a typo) among an Icelandic page's hundreds of Latin-1 letters is no channel's mark.
    const std::size_t letters = latin1_or_foreign(seg);
    return kRunShare * (sus.run_chars + 2 * sus.orphan_leads) >= letters;
  }
  static constexpr std::size_t kRunShare = 4;  // at least a quarter of them in runs

  // The caller has seen lossy_marks(sus, seg).
  // `rival`: the exact chain's reading, if there is one. The lattice runs when some channel's
  // naive reversal already reads better than that, or when the rival is not fluent text (a
  // lost byte throws a multibyte decoder out of step, so the naive reversal of a lossy channel
  // is garbage after each loss while a wrong page swap can read as poor but whole words). It
  // runs on the probe first and on the whole text only when it wins there.
  SegmentRepair lossy(std::string_view full, std::string_view seg, const Suspicion& sus,
                      const TextScore& base, const TextScore* rival) {
    SegmentRepair r;
    using E = EncodingId;
    std::vector<E> originals = {E::gb18030, E::big5, E::shift_jis, E::euc_kr, E::utf_8};
    if (opt_.original) originals = {*opt_.original};
    // Pick the channel whose naive reversal reads best.
    double best = -INFINITY;
    E best_a = E::utf_8;
    const LanguageModel* model = nullptr;
    const LanguageModel* utf8_model = nullptr;
    // The runner-up among the legacy CJK pages (see below).
    double second = -INFINITY;
    E second_a = E::utf_8;
    const LanguageModel* second_model = nullptr;
    for (E a : originals) {
      std::string x = naive(seg, a, E::windows_1252);
      // U+FFFD (where A could not decode, or a hole of the input) is scored as an unknown
      // character of typical cost rather than by the models, which price it like a symbol no
      // text has (40 bits) and so would prefer any page that decodes garbage without errors.
      std::string known;
      std::size_t bad = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x.compare(i, 3, "\xEF\xBF\xBD") == 0) {
          ++bad;
          i += 2;
          continue;
        }
        known += x[i];
      }
      TextScore s = scorer_.score(known, a == E::utf_8 ? -INFINITY : best + 15.0 * static_cast<double>(bad));
      if (!s.model) continue;
      if (a == E::utf_8) utf8_model = s.model;
      // A U+FFFD of the input is a hole every channel has: it breaks A's sequence there, so
      // one decode error per hole is the hole's, not evidence against A.
      std::size_t errors = bad > sus.replacement ? bad - sus.replacement : 0;
      double est = s.log2p - 15.0 * static_cast<double>(bad) - 25.0 * static_cast<double>(errors);
      if (s.model && est > best) {
        if (model && best_a != E::utf_8) second = best, second_a = best_a, second_model = model;
        best = est, best_a = a, model = s.model;
      } else if (s.model && a != E::utf_8 && est > second) {
        second = est, second_a = a, second_model = s.model;
      }
    }
    if (!model) return r;
    if (rival && best <= rival->log2p && fluent(*rival)) return r;
    // Text that reads well as it stands, with Latin-1 runs but no UTF-8 pair (Czech "nejvyšší",
    // "šíř"), is explained by no lossy channel whose naive reversal reads far worse: a legacy
    // CJK page read as cp1252 reverses into its own text, which reads better than the mojibake.
    if (!rival && !sus.western_pairs && !sus.orphan_leads && fluent(base) && best < base.log2p - kNaiveBehindBits * static_cast<double>(base.chars))
      return r;
    // UTF-8 that a strict decoder dropped or replaced bytes of reverses with an error at each,
    // which the estimate above prices as if the channel were wrong (Japanese read as GBK
    // looks like Chinese): where the text looks like such UTF-8, or holds U+FFFD, its lattice
    // competes with the leader's.
    ChannelResult top = decode_channel(seg, best_a, *model, base);
    if (best_a != E::utf_8 && utf8_model && (broken_utf8_story(seg) || sus.replacement || sus.orphan_leads)) {
      ChannelResult other = decode_channel(seg, E::utf_8, *utf8_model, base);
      if (other.gain > top.gain) top = std::move(other);
    }
    // A legacy CJK page that lost a lead byte reads as nonsense from there to the next ASCII
    // character, while another CJK page (Big5, for GBK) reads the same bytes without an error:
    // the naive estimate can prefer the wrong page. Where the leader's lattice does not give
    // fluent text, the runner-up CJK page's lattice competes.
    if (second_model && best_a != E::utf_8 && (!top.lr.ok || !fluent(top.s))) {
      ChannelResult other = decode_channel(seg, second_a, *second_model, base);
      if (other.lr.ok && other.gain > top.gain) top = std::move(other);
    }
    if (!top.lr.ok) return r;
    LatticeResult lr = std::move(top.lr);
    TextScore s = top.s;
    double gain = top.gain;
    LatticeChannel ch = top.ch;
    model = top.model;
    if (gain <= kMarginBits || lr.text == seg) return r;
    // A story that leaves much of the mojibake standing (called an earlier fixer's work, at a
    // few bits a character) explains only part of the text: German read as cp1252 beside
    // Russian read as cp1251 is repaired line by line instead.
    if (const Suspicion left = suspicion(lr.text); left.utf8_pairs > 2 && 4 * left.utf8_pairs > sus.utf8_pairs)
      return r;
    if (full.size() != seg.size()) {
      // The story was chosen on the probe; the rest of the text must not need much more of
      // the channel per byte (a block that turns from German read as cp1252 to Russian read
      // as cp1251 "explains" the Russian as an earlier fixer's work, 3 bits a character): then
      // the text is repaired line by line instead.
      const double probe_rate = lr.channel_bits / static_cast<double>(seg.size());
      lr = decode_lattice_blocks(full, ch, *model);
      if (!lr.ok || lr.text == full) return r;
      if (lr.channel_bits / static_cast<double>(full.size()) > 2 * probe_rate + 0.1) return r;
    }
    r.changed = true;
    r.text = std::move(lr.text);
    r.span.gain_bits = gain;
    r.span.confidence = confidence_of(gain);
    r.span.language = s.model ? std::string(s.model->lang()) : "";
    r.span.forward = std::move(lr.forward);
    r.span.lossy = !lr.restored.empty();
    r.span.restored = std::move(lr.restored);
    r.span.undecided = judge_restorations(&r.text, ch, *model, &r.span.restored);
    restore_question_leads(&r, ch, *model);
    // The span is right only if every restoration is: its confidence is at most theirs.
    for (const Restored& x : r.span.restored) r.span.confidence = std::min(r.span.confidence, x.confidence);
    return r;
  }

  // A strict decoder's '?' for a lead byte whose trail is ASCII ("同时?M足": 滿 is 9D 4D in GBK)
  // stays a literal '?' in the beam when the beam's model has never seen the character — its
  // trail stands after the cut the beam makes at ASCII, and the '?' costs what the character
  // would. Chinese text has the sibling model: where a '?' sits between a CJK character and an
  // ASCII letter or sign, each lead the decoder had no character for is tried with that trail,
  // and the sibling's own character replaces "?X" by the rule judge_restorations() uses.
  void restore_question_leads(SegmentRepair* r, const LatticeChannel& ch, const LanguageModel& model) const {
    const LanguageModel* sibling = sibling_of(model);
    if (!sibling || encoding(ch.original).kind != EncodingKind::multi_byte) return;
    std::string& text = r->text;
    for (std::size_t q = text.find('?'); q != std::string::npos; q = text.find('?', q + 1)) {
      if (!squeezed_question(text, q)) continue;
      const auto trail = static_cast<unsigned char>(text[q + 1]);
      std::size_t a, b;
      window_around(text, q, q + 2, model.order(), &a, &b);
      const std::string_view left = std::string_view(text).substr(a, q - a), right = std::string_view(text).substr(q + 2, b - q - 2);
      auto window = [&](const LanguageModel& m, std::string_view reading) {
        ScoreState st;
        double lp = 0;
        for (std::string_view part : {left, reading, right})
          for (std::size_t j = 0; j < part.size();) {
            const double x = m.next(st, next_code_point(part, j));
            if (part.data() != left.data()) lp += x;  // the left context only conditions
          }
        return lp;
      };
      const std::string literal = text.substr(q, 2);
      const double lit_own = window(model, literal), lit_sib = window(*sibling, literal);
      std::string best, decoded;
      double best_gain = 0, best_own = 0, best_sib = 0;
      for (std::uint8_t h : kStrictCp1252Unmapped) {
        const std::string bytes{static_cast<char>(h), static_cast<char>(trail)};
        if (!decode_few(ch.original, bytes, &decoded) || decoded.empty()) continue;
        std::size_t j = 0;
        const char32_t c = next_code_point(decoded, j);
        if (j != decoded.size() || c < 0x3400 || c > 0x9FFF || !siblings_own(model, *sibling, decoded)) continue;
        const double own = window(model, decoded), sib = window(*sibling, decoded);
        const double loss = lit_own - own, gain = sib - lit_sib;
        if (sibling_wins(loss, gain) && gain - loss > best_gain)
          best = decoded, best_gain = gain - loss, best_own = own, best_sib = sib;
      }
      if (best.empty()) continue;
      r->span.gain_bits += best_gain;  // the evidence the sibling added, net of the beam model's loss
      text.replace(q, 2, best);
      const std::ptrdiff_t shift = static_cast<std::ptrdiff_t>(best.size()) - 2;
      for (Restored& x : r->span.restored)
        if (x.out_offset > q) x.out_offset = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(x.out_offset) + shift);
      Restored x;
      x.out_offset = q;
      x.chosen = best;
      // Both models' opinions against the literal reading.
      const double z = 1 + std::exp2((lit_own + lit_sib) - (best_own + best_sib));
      x.confidence = 1 / z;
      x.alternatives.emplace_back(literal, 1 - x.confidence);
      auto at = std::find_if(r->span.restored.begin(), r->span.restored.end(),
                             [&](const Restored& y) { return y.out_offset > q; });
      r->span.restored.insert(at, x);
      r->span.lossy = true;
      if (x.confidence < 0.5) ++r->span.undecided;
      // The recipe's decoder now replaced with '?' (unless it already replaced with U+FFFD).
      for (Step& st : r->span.forward)
        if (st.op == Step::Op::decode && st.errors.mode != DecodeErrorMode::replace) {
          st.encoding = EncodingId::x_cp1252_strict;
          st.errors = {DecodeErrorMode::question};
        }
    }
  }

  // The models fold case, so "lÍnguas" reads as well as "línguas": Í (C3 8D, a dropped 8D)
  // and í (C3 AD, a stripped soft hyphen) tie, and the two stories of lost bytes with them.
  // A restored capital right after a small letter is what the wrong story leaves behind
  // (kCaseBits each, as inside the beam).
  static std::size_t case_anomalies(const LatticeResult& lr) {
    std::size_t n = 0;
    for (const Restored& x : lr.restored) {
      if (x.chosen.empty() || x.out_offset == 0) continue;
      std::size_t i = 0;
      const char32_t c = next_code_point(x.chosen, i);
      std::size_t p = x.out_offset;
      do --p; while (p > 0 && (static_cast<unsigned char>(lr.text[p]) & 0xC0) == 0x80);
      std::size_t j = p;
      const char32_t before = next_code_point(lr.text, j);
      n += case_cost_bits(letter_case(before), letter_case(c)) > 0;
    }
    return n;
  }

  // Did the decoder that misread this text keep its errors (U+FFFD, or '?' right after a
  // character that is a UTF-8 lead byte in cp1252: "poÄ?itka"), or read 81 8D 8F 90 9D as C1
  // controls? Then it dropped nothing.
  static bool errors_kept(std::string_view seg) {
    for (std::string_view c1 : {"\xC2\x81", "\xC2\x8D", "\xC2\x8F", "\xC2\x90", "\xC2\x9D", "\xEF\xBF\xBD"})
      if (seg.find(c1) != std::string_view::npos) return true;
    // '?' ending an unfinished UTF-8 sequence: a lead byte and fewer continuations than it
    // needs, as cp1252 shows them ("Ä?", "â€?").
    for (std::size_t q = seg.find('?'); q != std::string_view::npos; q = seg.find('?', q + 1)) {
      std::size_t p = q;
      for (int back = 1; back <= 3 && p > 0; ++back) {
        do --p; while (p > 0 && (static_cast<unsigned char>(seg[p]) & 0xC0) == 0x80);
        std::size_t i = p;
        next_code_point(seg, i);
        EncodeResult b = encode(seg.substr(p, i - p), EncodingId::windows_1252, {EncodeErrorMode::strict});
        if (!b.ok || b.bytes.size() != 1) break;
        const auto byte = static_cast<unsigned char>(b.bytes[0]);
        if (byte >= 0x80 && byte <= 0xBF) continue;  // a continuation: look further back
        const int need = byte >= 0xC2 && byte <= 0xDF ? 1 : byte >= 0xE0 && byte <= 0xEF ? 2 : byte >= 0xF0 && byte <= 0xF4 ? 3 : 0;
        if (need >= back) return true;
        break;
      }
    }
    return false;
  }

  // The lattice over channel (a, windows-1252) on the probe, with the stories of lost bytes
  // tried in turn: 0xAD, whose soft hyphen a cleaner stripped; and 81 8D 8F 90 9D, which a
  // strict cp1252 decoder (Python's, Java's) has no character for and drops — the second only
  // for UTF-8 that shows lead bytes without their continuations (each lost-byte candidate
  // multiplies the beam's work, so the stories are not merged into one). The model was chosen
  // on a reversal full of holes; when the restored text reads best under another model of its
  // script (Belarusian, not Russian: "якія", not "якіс"), it is decoded again with that one.
  // Gains are judged on the probe, on the same footing as `base`.
  struct ChannelResult {
    LatticeResult lr;
    TextScore s;
    double gain = -INFINITY;
    LatticeChannel ch;
    const LanguageModel* model = nullptr;
  };
  ChannelResult decode_channel(std::string_view seg, EncodingId a, const LanguageModel& model0,
                               const TextScore& base) {
    using E = EncodingId;
    ChannelResult best;
    auto attempt = [&](const LatticeChannel& ch, const LanguageModel& m) {
      LatticeResult lr = decode_lattice_blocks(seg, ch, m);
      if (!lr.ok) return false;
      TextScore s = scorer_.score(lr.text);
      double gain = s.log2p - base.log2p - (6 + lr.channel_bits + 25.0 * static_cast<double>(lr.invalid)) -
                    kCaseBits * static_cast<double>(case_anomalies(lr));
      if (gain <= best.gain) return false;
      best = {std::move(lr), s, gain, ch, &m};
      return true;
    };
    // A text that still has soft hyphens did not lose them: no AD is put back.
    LatticeChannel shy{a, E::windows_1252};
    if (seg.find("\xC2\xAD") != std::string_view::npos) shy.lost_bytes.clear();
    attempt(shy, model0);
    const LanguageModel* model = &model0;
    if (best.lr.ok) {
      const TextScore lang = scorer_.score_full(best.lr.text);
      if (lang.model && lang.model != model) {
        model = lang.model;
        attempt(shy, *model);
      }
      // A legacy CJK page's stretches in a Latin line: by the model of their own script.
      const std::string_view script = model->script();
      if (a != E::utf_8 && script != "Hani" && script != "Hans" && script != "Hant" && script != "Jpan" &&
          script != "Kore" && script != "Hang")
        if (const LanguageModel* own = non_ascii_model(best.lr.text); own && own != model) {
          model = own;
          attempt(shy, *model);
        }
    }
    // (Tried even when the first story reads well: a lost 81 of "ề" (E1 BB 81) restored as
    // the soft hyphen's AD gives "ử", valid and plausible-looking.)
    // Not where the decoder left its errors in the text (U+FFFD, "Å?"), nor where 81 8D 8F 90
    // 9D still stand as the C1 controls a lenient cp1252 gives them.
    // Legacy CJK has no such sign (its bytes 81–9D stand only in rarer characters), but a
    // reading that needed an earlier fixer's re-decoding, or left a sequence invalid, may be
    // a dropped byte's misalignment instead.
    const bool cjk_story_strained =
        best.lr.ok && a != E::utf_8 && (best.lr.invalid > 0 || std::any_of(best.lr.forward.begin(), best.lr.forward.end(),
                                                                            [](const Step& st) { return st.op == Step::Op::redecode; }));
    // Nor where the soft-hyphen story put bytes back in UTF-8: a lost byte it is, and which of
    // the invisible ones the models say ("plaĭno" with AD, "plačno" with a dropped 8D).
    const bool utf8_restored = best.lr.ok && a == E::utf_8 && !best.lr.restored.empty();
    if (best.lr.ok && ((a == E::utf_8 && (broken_utf8_story(seg) || utf8_restored)) || cjk_story_strained) &&
        !errors_kept(seg)) {
      LatticeChannel dropped = shy;
      dropped.lost_bytes.assign(std::begin(kStrictCp1252Unmapped), std::end(kStrictCp1252Unmapped));
      attempt(dropped, *model);
    }
    return best;
  }

  // How sure is each restored character? The beam's own posterior is degenerate (merged and
  // pruned paths leave one survivor), so each restoration is judged locally: every character
  // the channel could have produced there — the chosen one's bytes with any one byte replaced
  // by a byte the channel loses — is scored in a window of its neighbours, and the chosen
  // character's share of that probability mass is its confidence. Returns the number below
  // one half (undecided), filling in the alternatives.
  // The other script of written Chinese: a simplified text quotes traditional characters
  // ("徹底", "滿足", "來" in Debian's zh-Hans documents), which its model has never seen, and a
  // lost byte inside one can only be restored by a model that has.
  const LanguageModel* sibling_of(const LanguageModel& m) const {
    if (m.lang() == "zh-Hans") return scorer_.models().find("zh-Hant");
    if (m.lang() == "zh-Hant") return scorer_.models().find("zh-Hans");
    return nullptr;
  }

  // Judges each restoration on a window around it: its reading against every reading one byte
  // away (a lost-byte candidate in any byte of the character), under the beam's model and its
  // sibling (the better of the two for each reading). A reading that differs from the choice
  // only in unseen bytes (the lost or replaced ones) and beats it by kRechooseBits replaces it
  // in the text: the sibling saw what the beam's model could not. Returns the undecided count.
  static constexpr double kRechooseBits = 8;

  // Where the beam's model barely prefers its choice to another reading (by at most
  // kRechooseBits: both rare to it) and the sibling prefers that reading by more than
  // kRechooseBits plus what the beam's model loses, the sibling wins.
  static bool sibling_wins(double loss, double gain) {
    return loss <= kRechooseBits && gain - std::max(0.0, loss) >= kRechooseBits;
  }
  // Only characters of the sibling's own (a traditional one in simplified text: each costs the
  // beam's model 4 bits more than the sibling on its own) are taken from it: the sibling knows
  // nothing of the beam's script's own characters ("发"), and would prefer anything else.
  static bool siblings_own(const LanguageModel& model, const LanguageModel& sibling, std::string_view c) {
    for (std::size_t i = 0; i < c.size();) {
      const char32_t cp = next_code_point(c, i);
      ScoreState a, b;
      a.ctx[0] = b.ctx[0] = 0x4E00;  // after an ideograph
      if (-model.next(a, cp) < -sibling.next(b, cp) + 4) return false;
    }
    return true;
  }
  // The window a reading of text[from, to) is judged in: up to 8 characters before (the
  // model's context) and `order` after (order − 1 = 4, and one more): past them every
  // reading's context is the same again, and so are the costs, which cancel in the shares.
  static void window_around(std::string_view text, std::size_t from, std::size_t to, int order, std::size_t* a,
                            std::size_t* b) {
    *a = from, *b = to;
    for (int k = 0; k < 8 && *a > 0; ++k)
      do --*a; while (*a > 0 && (static_cast<unsigned char>(text[*a]) & 0xC0) == 0x80);
    for (int k = 0; k < order && *b < text.size(); ++k)
      do ++*b; while (*b < text.size() && (static_cast<unsigned char>(text[*b]) & 0xC0) == 0x80);
  }
  std::size_t judge_restorations(std::string* text_io, const LatticeChannel& ch, const LanguageModel& model,
                                 std::vector<Restored>* restored) const {
    std::string& text = *text_io;
    const LanguageModel* sibling = sibling_of(model);
    std::vector<std::uint8_t> candidates = ch.lost_bytes;
    for (std::uint8_t b : kStrictCp1252Unmapped)
      if (std::find(candidates.begin(), candidates.end(), b) == candidates.end()) candidates.push_back(b);
    auto unseen = [&](std::uint8_t b) { return std::find(candidates.begin(), candidates.end(), b) != candidates.end(); };
    std::size_t undecided = 0;
    std::ptrdiff_t shift = 0;  // bytes the text grew by at earlier restorations
    struct Reader {
      const LanguageModel* m;
      ScoreState after_left;
    };
    struct Reading {
      std::string text;
      double log2p;          // under the beam's model
      double sibling_log2p;  // under the sibling (= log2p without one)
      bool consistent;       // differs from the choice only in unseen bytes
    };
    std::vector<Reader> readers;  // kept across restorations: no allocation each
    std::vector<Reading> readings;
    std::string decoded;
    for (Restored& x : *restored) {
      x.out_offset = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(x.out_offset) + shift);
      if (x.chosen.empty() || x.out_offset + x.chosen.size() > text.size()) continue;
      // (UTF-8's bytes are the character's own.)
      EncodeResult bytes;
      if (ch.original == EncodingId::utf_8) bytes.bytes = x.chosen, bytes.ok = is_valid_utf8(x.chosen);
      else bytes = encode(x.chosen, ch.original, {EncodeErrorMode::strict});
      if (!bytes.ok) continue;
      std::size_t a, b;
      window_around(text, x.out_offset, x.out_offset + x.chosen.size(), model.order(), &a, &b);
      const std::string_view left = std::string_view(text).substr(a, x.out_offset - a);
      const std::string_view right =
          std::string_view(text).substr(x.out_offset + x.chosen.size(), b - x.out_offset - x.chosen.size());
      // The left context is read once per model; each reading continues from there.
      readers.assign(1, {&model, {}});
      if (sibling) readers.push_back({sibling, {}});
      LetterCase left_case = LetterCase::none;
      for (std::size_t i = 0; i < left.size();) {
        const char32_t cp = next_code_point(left, i);
        for (Reader& rd : readers) rd.m->next(rd.after_left, cp);
        left_case = letter_case(cp);
      }
      readings.clear();
      auto consider = [&](const std::string& c, bool consistent) {
        for (const auto& r : readings)
          if (r.text == c) return;
        double lps[2] = {0, 0};
        for (std::size_t m = 0; m < readers.size(); ++m) {
          const Reader& rd = readers[m];
          ScoreState st = rd.after_left;
          double lp = 0;
          LetterCase last = left_case;
          for (std::size_t i = 0; i < c.size();) {
            const char32_t cp = next_code_point(c, i);
            const LetterCase now = letter_case(cp);
            lp += rd.m->next(st, cp) - invisible_cost_bits(cp) - case_cost_bits(last, now);
            last = now;
          }
          for (std::size_t i = 0; i < right.size();) lp += rd.m->next(st, next_code_point(right, i));
          lps[m] = lp;
        }
        readings.push_back({c, lps[0], readers.size() > 1 ? lps[1] : lps[0], consistent});
      };
      consider(x.chosen, true);
      // Every byte of the character in turn, not only the restored one: readings one seen byte
      // away count against the choice too (the beam saw a window, not the whole).
      for (std::size_t i = 0; i < bytes.bytes.size(); ++i) {
        for (std::uint8_t h : candidates) {
          std::string alt = bytes.bytes;
          if (static_cast<std::uint8_t>(alt[i]) == h) continue;
          const bool consistent = unseen(static_cast<std::uint8_t>(alt[i]));
          alt[i] = static_cast<char>(h);
          if (decode_few(ch.original, alt, &decoded) && !decoded.empty()) consider(decoded, consistent);
        }
      }
      // A two-byte character with one unseen byte could have lost it on the other side of its
      // seen one (a lost lead before "í" (ED), or a lost trail after it): as consistent.
      if (bytes.bytes.size() == 2) {
        const auto b0 = static_cast<std::uint8_t>(bytes.bytes[0]), b1 = static_cast<std::uint8_t>(bytes.bytes[1]);
        if (unseen(b0) != unseen(b1))
          for (std::uint8_t h : candidates) {
            const std::uint8_t seen = unseen(b0) ? b1 : b0;
            const std::string alt = unseen(b0) ? std::string{static_cast<char>(seen), static_cast<char>(h)}
                                               : std::string{static_cast<char>(h), static_cast<char>(seen)};
            if (decode_few(ch.original, alt, &decoded) && !decoded.empty()) consider(decoded, true);
          }
      }
      // A consistent reading the sibling wins for (see sibling_wins) takes the choice's place,
      // and both models' opinions make its confidence.
      std::size_t pick = 0;
      double pick_gain = 0;
      for (std::size_t k = 1; sibling && k < readings.size(); ++k) {
        const double loss = readings[0].log2p - readings[k].log2p;
        const double gain = readings[k].sibling_log2p - readings[0].sibling_log2p;
        if (readings[k].consistent && sibling_wins(loss, gain) && gain - loss > pick_gain &&
            siblings_own(model, *sibling, readings[k].text))
          pick = k, pick_gain = gain - loss;
      }
      if (pick != 0) {
        text.replace(x.out_offset, x.chosen.size(), readings[pick].text);
        shift += static_cast<std::ptrdiff_t>(readings[pick].text.size()) - static_cast<std::ptrdiff_t>(x.chosen.size());
        x.chosen = readings[pick].text;
        std::swap(readings[0], readings[pick]);
        for (Reading& r : readings) r.log2p += r.sibling_log2p;
      }
      double top = -INFINITY, z = 0;
      for (const auto& r : readings) top = std::max(top, r.log2p);
      for (const auto& r : readings) z += std::exp2(r.log2p - top);
      x.confidence = std::exp2(readings[0].log2p - top) / z;
      x.alternatives.clear();
      std::vector<std::pair<std::string, double>> alts;
      for (std::size_t k = 1; k < readings.size(); ++k)
        alts.emplace_back(readings[k].text, std::exp2(readings[k].log2p - top) / z);
      std::sort(alts.begin(), alts.end(), [](const auto& p, const auto& q) { return p.second > q.second; });
      for (std::size_t k = 0; k < alts.size() && k < 3; ++k) x.alternatives.push_back(alts[k]);
    }
    for (const Restored& x : *restored) undecided += x.confidence < 0.5;
    return undecided;
  }

  Scorer scorer_;
  RepairOptions opt_;
  PreferSecond prefer_;  // for peel(): of two readings of a duplicated character, the better

  bool clean_cjk_text_ = false;  // see set_clean_cjk_text()

 public:
  // The text these segments come from read as clean CJK text as a whole: its short lines are
  // judged by the per-character table too (Scorer::reads_common_cjk_short).
  void set_clean_cjk_text(bool clean) { clean_cjk_text_ = clean; }
};

// Splits into pieces (lines, or words) keeping separators with the preceding piece's gap.
std::vector<std::pair<std::size_t, std::size_t>> pieces(std::string_view s, bool words) {
  std::vector<std::pair<std::size_t, std::size_t>> v;
  std::size_t i = 0;
  if (!words) {  // lines: memchr finds the line ends at memory speed
    while (i < s.size()) {
      const void* nl = std::memchr(s.data() + i, '\n', s.size() - i);
      const std::size_t j = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - s.data()) : s.size();
      if (j > i) v.emplace_back(i, j);
      i = j + 1;
    }
    return v;
  }
  while (i < s.size()) {
    std::size_t j = i;
    auto sep = [&](char c) { return words ? (c == ' ' || c == '\t' || c == '\n' || c == '\r') : c == '\n'; };
    while (j < s.size() && !sep(s[j])) ++j;
    if (j > i) v.emplace_back(i, j);
    i = j + 1;
  }
  return v;
}

}  // namespace

RepairResult repair(std::string_view input, const ModelSet& models, const RepairOptions& opt) {
  RepairResult result;
  std::string owned;
  std::string_view text = input;
  if (!is_valid_utf8(input)) {
    // Not UTF-8: read it the way lenient software does, and say so in the recipe.
    owned = decode(input, EncodingId::utf_8, {DecodeErrorMode::fallback, EncodingId::windows_1252},
                   BomPolicy::keep).text;
    text = owned;
  }
  result.text = std::string(text);
  if (ascii_prefix_length({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}) ==
      text.size())
    return result;  // fast path: pure ASCII
  if (!might_be_suspicious(text)) return result;  // fast path: no byte a mark is made of
  Engine engine(models, opt);

  auto apply = [&](const std::vector<std::pair<std::size_t, std::size_t>>& ranges,
                   const std::vector<SegmentRepair>& fixes) {
    std::string out;
    std::size_t at = 0;
    for (std::size_t k = 0; k < ranges.size(); ++k) {
      out.append(text.substr(at, ranges[k].first - at));
      if (fixes[k].changed) {
        SpanRepair sp = fixes[k].span;
        sp.in_begin = ranges[k].first;
        sp.in_end = ranges[k].second;
        sp.out_begin = out.size();
        out += fixes[k].text;
        sp.out_end = out.size();
        result.spans.push_back(std::move(sp));
      } else {
        out.append(text.substr(ranges[k].first, ranges[k].second - ranges[k].first));
      }
      at = ranges[k].second;
    }
    out.append(text.substr(at));
    result.text = std::move(out);
  };

  // What the result says of itself once its spans are made: changed or not, and no surer than
  // its least sure span.
  auto settle = [&] {
    result.changed = result.text != input;
    for (const auto& sp : result.spans) result.confidence = std::min(result.confidence, sp.confidence);
  };

  // The chain that explained the block before is tried first: where it explains this one
  // too (a stream of one kind of mojibake), nothing else needs reading.
  if (!opt.per_line && opt.hint && !opt.hint->empty()) {
    SegmentRepair h = engine.hinted(text, *opt.hint);
    if (h.changed) {
      apply({{0, text.size()}}, {h});
      settle();
      return result;
    }
  }
  // The marks of each line, counted once: their sum is the whole text's (no mark spans a line
  // end), and the line pass below reads them again.
  const auto lines = pieces(text, false);
  std::vector<Suspicion> line_sus(lines.size());
  Suspicion whole_sus;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const std::string_view line = text.substr(lines[k].first, lines[k].second - lines[k].first);
    if (!might_be_suspicious(line)) continue;
    line_sus[k] = suspicion_screened(line);
    whole_sus.add(line_sus[k]);
  }
  if (!whole_sus.any()) return result;  // fast path: nothing mojibake is made of
  if (!opt.per_line) {
    SegmentRepair whole = engine.segment(text, true, false, {}, {}, &whole_sus);
    if (whole.changed) {
      apply({{0, text.size()}}, {whole});
    }
    engine.set_clean_cjk_text(whole.reads_clean_cjk);
  }
  // Line by line; a line no chain explains as a whole is tried word by word. Only lines with
  // a strong mark or CJK are tried, and no mark spans a line end, so when the whole text has
  // neither (clean Cyrillic, Greek) there is nothing to find.
  if (result.spans.empty() && (whole_sus.strong() || whole_sus.cjk)) {
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    std::vector<SegmentRepair> fixes;
    for (std::size_t k = 0; k < lines.size(); ++k) {
      const auto [a, b] = lines[k];
      std::string_view line = text.substr(a, b - a);
      // A line alone is short evidence: Cyrillic/Greek page swaps are judged on the whole text.
      const Suspicion& ls = line_sus[k];
      if (!ls.strong() && !ls.cjk) continue;
      SegmentRepair f = engine.segment(line, true, false, {}, {}, &ls);
      if (f.changed) {
        ranges.emplace_back(a, b);
        fixes.push_back(std::move(f));
        continue;
      }
      // Only UTF-8 pairs are evidence enough inside a word.
      if (!ls.utf8_pairs) continue;
      // Word by word. A line that keeps some of its UTF-8-pair words as they are while others
      // would be repaired is talking about mojibake ("shown as « Ã© » or « Ã§ »"), not
      // suffering from it: a double-encoded field is garbled throughout. Such a line is left
      // alone.
      std::vector<std::pair<std::size_t, std::size_t>> word_ranges;
      std::vector<SegmentRepair> word_fixes;
      bool kept_suspicious = false;
      for (auto [wa, wb] : pieces(line, true)) {
        std::string_view word = line.substr(wa, wb - wa);
        const Suspicion ws = suspicion(word);
        SegmentRepair w = engine.segment(word, false, true, context_before(line, wa), context_after(line, wb), &ws);
        if (!w.changed) {
          kept_suspicious = kept_suspicious || (ws.utf8_pairs > 0 && !one_alphabet(word));
          continue;
        }
        word_ranges.emplace_back(a + wa, a + wb);
        word_fixes.push_back(std::move(w));
      }
      if (kept_suspicious) continue;
      for (std::size_t k = 0; k < word_fixes.size(); ++k) {
        ranges.push_back(word_ranges[k]);
        fixes.push_back(std::move(word_fixes[k]));
      }
    }
    if (!fixes.empty()) apply(ranges, fixes);
  }
  settle();
  return result;
}

}  // namespace ungarble
