#include "repair/layers.h"
#include "repair/utf8_step.h"
#include "codec/utf8_simd.h"

#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#include <immintrin.h>
#endif
#include <cstring>
#include <unordered_map>
#include <mutex>
#include <memory>
#include <map>
#include <vector>

namespace ungarble::repair_detail {

std::vector<Layer> candidate_layers(std::optional<EncodingId> only_original) {
  using E = EncodingId;
  static const E western[] = {E::windows_1252, E::iso_8859_1};
  // Every single-byte page UTF-8 is known to be misread as, cheapest first: the Windows pages
  // (what browsers and Office default to), then ISO 8859, then DOS/Mac/KOI8.
  static const E other_single[] = {
      E::windows_1250, E::windows_1251, E::windows_1253, E::windows_1254, E::windows_1255,
      E::windows_1256, E::windows_1257, E::windows_1258, E::windows_874,  E::iso_8859_2,
      E::iso_8859_15,  E::iso_8859_5,   E::iso_8859_7,   E::iso_8859_4,   E::iso_8859_13,
      E::iso_8859_16,  E::iso_8859_3,   E::iso_8859_6,   E::iso_8859_8,   E::iso_8859_10,
      E::iso_8859_14,  E::koi8_r,       E::koi8_u,       E::ibm866,       E::macintosh,
      E::x_mac_cyrillic, E::ibm437,     E::ibm850,       E::ibm852};
  static const E cjk[] = {E::gb18030, E::big5, E::shift_jis, E::euc_jp, E::euc_kr};
  static const E cyrillic[] = {E::windows_1251, E::koi8_r, E::ibm866, E::iso_8859_5,
                               E::x_mac_cyrillic, E::koi8_u};
  std::vector<Layer> v;
  auto add = [&](E a, E b, double cost) {
    if (a == b) return;
    if (only_original && *only_original != a) return;
    v.push_back({a, b, cost});
  };
  for (E b : western) add(E::utf_8, b, 4);
  for (E b : other_single) add(E::utf_8, b, 7);
  for (E a : cjk)
    for (E b : western) add(a, b, 6);
  // Windows' own CJK pages differ from the WHATWG ones in a few characters (～ − ¢ £ ¬ …),
  // so a text written on Windows is only restored exactly through them.
  for (E a : {E::cp932, E::cp949, E::cp950})
    for (E b : western) add(a, b, 7);
  for (E a : cjk)
    for (E b : other_single) add(a, b, 10);
  for (E b : cjk) add(E::utf_8, b, 8);
  for (E a : cjk)
    for (E b : cjk) add(a, b, 10);
  for (E a : cyrillic) {
    for (E b : cyrillic) add(a, b, 8);
    for (E b : western) add(a, b, 7);
  }
  for (E a : {E::windows_1250, E::windows_1253, E::windows_1254, E::windows_1255,
              E::windows_1256, E::windows_1257, E::windows_874, E::iso_8859_2})
    for (E b : western) add(a, b, 9);
  return v;
}

// The bytes a misreading decoder read as `text`. The decoders are not always the encoders'
// inverse: gb18030 reads byte 80 as €, which its encoder writes A2 E3; the GBK encoder writes
// 80, so it is tried first (it fails on what only gb18030's four-byte form can hold).
static EncodeResult misread_bytes(std::string_view text, EncodingId misread) {
  if (misread == EncodingId::gb18030) {
    EncodeResult g = encode(text, EncodingId::gbk, {EncodeErrorMode::strict});
    if (g.ok) return g;
  }
  return encode(text, misread, {EncodeErrorMode::strict});
}

std::vector<std::optional<std::string>> decode_each(EncodingId page, const std::vector<std::string>& seqs) {
  std::vector<std::optional<std::string>> read(seqs.size());
  std::string joined;
  std::vector<std::size_t> batched;  // the sequences without a line feed, in order
  for (std::size_t k = 0; k < seqs.size(); ++k) {
    if (seqs[k].find('\n') != std::string::npos) continue;
    batched.push_back(k);
    joined.append(seqs[k]).push_back('\n');
  }
  const std::string out = decode(joined, page, {DecodeErrorMode::replace}, BomPolicy::keep).text;
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < out.size();) {
    const std::size_t end = out.find('\n', at);
    if (end == std::string::npos) break;
    lines.push_back(std::string_view(out).substr(at, end - at));
    at = end + 1;
  }
  const bool one_per_sequence = lines.size() == batched.size();
  for (std::size_t k = 0; k < seqs.size(); ++k) {
    if (one_per_sequence && seqs[k].find('\n') == std::string::npos) continue;
    DecodeResult d = decode(seqs[k], page, {DecodeErrorMode::strict}, BomPolicy::keep);
    if (d.ok) read[k] = std::move(d.text);
  }
  if (one_per_sequence)
    for (std::size_t b = 0; b < batched.size(); ++b)
      if (lines[b].find("\xEF\xBF\xBD") == std::string_view::npos) read[batched[b]] = std::string(lines[b]);
  return read;
}

// The decoder's own inverse for a multibyte page: for each character, the lowest byte
// sequence of one or two bytes the (strict) decoder reads as it. It differs from the encoder
// where the standard encoder writes another duplicate (Shift_JIS: NEC's ED/EE rows are read
// but written as IBM's FA/FB) or refuses what the decoder yields (Shift_JIS F0–F9 → private
// use). Mojibake keeps the bytes that were there, so a peel tries this when the encoder's
// bytes do not explain the text.
class DecoderInverse {
 public:
  explicit DecoderInverse(EncodingId e) {
    std::vector<std::string> all;
    for (int x = 0x80; x < 0x100; ++x) all.emplace_back(1, static_cast<char>(x));
    for (int x = 0x81; x < 0x100; ++x)
      for (int y = 0x40; y < 0x100; ++y) all.push_back(std::string{static_cast<char>(x), static_cast<char>(y)});
    // (One decoder call for all of them: 33,000 were a fifth of `ungarble fix` on a megabyte of
    // CJK text.)
    const std::vector<std::optional<std::string>> read = decode_each(e, all);
    for (std::size_t k = 0; k < all.size(); ++k)
      if (read[k]) add(all[k], *read[k]);
  }
  // A character the decoder reads from more than one sequence: where its bytes start in the
  // encoded text, and its sequences, lowest first (all of one length on these pages).
  struct Duplicate {
    std::size_t at;
    const std::vector<std::string>* sequences;
  };
  // The lowest sequence for each character; `dups` lists the characters that have others.
  bool encode(std::string_view text, std::string* out, std::vector<Duplicate>* dups) const {
    out->clear();
    dups->clear();
    for (std::size_t i = 0; i < text.size();) {
      auto b = static_cast<unsigned char>(text[i]);
      if (b < 0x80) {
        out->push_back(static_cast<char>(b));
        ++i;
        continue;
      }
      const std::size_t n = utf8_length(b);
      auto it = map_.find(std::string(text.substr(i, n)));
      if (it == map_.end()) return false;
      if (it->second.size() > 1) dups->push_back({out->size(), &it->second});
      *out += it->second.front();
      i += n;
    }
    return true;
  }

 private:
  // `text`: what the strict decoder read from `bytes`.
  void add(const std::string& bytes, std::string_view text) {
    if (text.empty()) return;
    const std::size_t n = utf8_length(static_cast<unsigned char>(text[0]));
    if (n != text.size() || n == 1) return;  // one non-ASCII character only
    std::vector<std::string>& seqs = map_[std::string(text)];
    if (seqs.empty() || seqs.front().size() == bytes.size()) seqs.push_back(bytes);  // lowest first
  }
  std::unordered_map<std::string, std::vector<std::string>> map_;
};

const DecoderInverse& decoder_inverse(EncodingId e) {
  static std::mutex mu;
  static std::map<EncodingId, std::unique_ptr<DecoderInverse>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[e];
  if (!slot) slot = std::make_unique<DecoderInverse>(e);
  return *slot;
}

// Peels with the given bytes for the text under the misreading.
static bool peel_bytes(std::string_view text, const Layer& layer, const std::string& bytes, std::string* out) {
  if (bytes == text) return false;
  DecodeResult d = decode(bytes, layer.original, {DecodeErrorMode::strict}, BomPolicy::keep);
  if (!d.ok || d.text == text) return false;
  // Only a layer that replays is an explanation: encoding the result with A must give the same
  // bytes back (not so where A has duplicates, e.g. gb18030 reads 0x80 as € but writes A2 E3),
  // and those bytes read with B must give the text back.
  EncodeResult again = encode(d.text, layer.original, {EncodeErrorMode::strict});
  if (!again.ok || again.bytes != bytes) return false;
  // (A single-byte page reads back what its encoder wrote, character for character.)
  if (encoding(layer.misread).kind != EncodingKind::single_byte &&
      decode(bytes, layer.misread, {DecodeErrorMode::strict}, BomPolicy::keep).text != text)
    return false;
  *out = std::move(d.text);
  return true;
}

const EncodeResult& MisreadBytes::of(EncodingId page) {
  auto& slot = by_page_[static_cast<std::size_t>(page)];
  if (!slot) slot = misread_bytes(text_, page);
  return *slot;
}

// GBK's decoder reads € from byte 80 and from A2 E3 (gb18030's two-byte form), and its encoder
// writes 80. In UTF-8 read as GBK, € is mostly A2 E3: the last byte of one character and the
// lead of the next ("アッ" is E3 82 A2 E3 83 83, read "銈€儍"). With 80 the bytes are no UTF-8;
// every € written as A2 E3 is tried then.
static bool peel_euro_pairs(std::string_view text, const Layer& layer, std::string* out) {
  static constexpr std::string_view kEuro = "\xE2\x82\xAC";
  if (text.find(kEuro) == std::string_view::npos) return false;
  std::string bytes;
  std::size_t at = 0;
  for (std::size_t e = text.find(kEuro); e != std::string_view::npos; e = text.find(kEuro, at)) {
    const EncodeResult part = misread_bytes(text.substr(at, e - at), layer.misread);
    if (!part.ok) return false;
    bytes += part.bytes;
    bytes += "\xA2\xE3";
    at = e + kEuro.size();
  }
  const EncodeResult rest = misread_bytes(text.substr(at), layer.misread);
  if (!rest.ok) return false;
  bytes += rest.bytes;
  return peel_bytes(text, layer, bytes, out);
}

bool peel(std::string_view text, const Layer& layer, std::string* out, MisreadBytes* known,
          const PreferSecond* prefer) {
  EncodeResult own;
  if (!known) own = misread_bytes(text, layer.misread);
  const EncodeResult& bytes = known ? known->of(layer.misread) : own;
  if (bytes.ok && peel_bytes(text, layer, bytes.bytes, out)) return true;
  if ((layer.misread == EncodingId::gbk || layer.misread == EncodingId::gb18030) && bytes.ok)
    return peel_euro_pairs(text, layer, out);
  if (layer.misread != EncodingId::shift_jis && layer.misread != EncodingId::cp932 &&
      layer.misread != EncodingId::big5 && layer.misread != EncodingId::cp950)
    return false;
  std::string alt;
  std::vector<DecoderInverse::Duplicate> dups;
  if (!decoder_inverse(layer.misread).encode(text, &alt, &dups)) return false;
  std::string best;
  const bool lowest_ok = !(bytes.ok && alt == bytes.bytes) && peel_bytes(text, layer, alt, &best);
  if (!prefer || dups.empty()) {
    if (lowest_ok) *out = std::move(best);
    return lowest_ok;
  }
  // Each duplicated character's other sequences, one place at a time: the original page reads
  // them differently ("既存" or "喜Ω" from the same Shift_JIS text), so the models choose, on
  // the characters around the place where the readings differ.
  bool ok = lowest_ok;
  for (const DecoderInverse::Duplicate& d : dups) {
    for (std::size_t k = 1; k < d.sequences->size(); ++k) {
      std::string trial = alt;
      const std::string& seq = (*d.sequences)[k];
      trial.replace(d.at, seq.size(), seq);
      std::string reading;
      if (trial == bytes.bytes || !peel_bytes(text, layer, trial, &reading)) continue;
      if (ok) {
        // Where the two readings differ, with eight bytes or so of context either side.
        std::size_t a = 0, za = best.size(), zb = reading.size();
        while (a < za && a < zb && best[a] == reading[a]) ++a;
        while (za > a && zb > a && best[za - 1] == reading[zb - 1]) --za, --zb;
        std::size_t from = a >= 24 ? a - 24 : 0;
        while (from > 0 && (static_cast<unsigned char>(best[from]) & 0xC0) == 0x80) --from;
        auto window = [&](const std::string& r, std::size_t z) {
          std::size_t to = std::min(r.size(), z + 24);
          while (to < r.size() && (static_cast<unsigned char>(r[to]) & 0xC0) == 0x80) ++to;
          return std::string_view(r).substr(from, to - from);
        };
        if (!(*prefer)(window(best, za), window(reading, zb))) continue;
      }
      alt = std::move(trial);
      best = std::move(reading);
      ok = true;
    }
  }
  if (ok) *out = std::move(best);
  return ok;
}


bool peel_with_holes(std::string_view text, const Layer& layer, std::string* out, std::size_t* holes) {
  static constexpr std::string_view kFffd = "\xEF\xBF\xBD";
  if (text.find(kFffd) == std::string_view::npos) return false;
  std::vector<std::string_view> runs;
  for (std::size_t at = 0;;) {
    std::size_t hole = text.find(kFffd, at);
    runs.push_back(text.substr(at, hole == std::string_view::npos ? std::string_view::npos : hole - at));
    if (hole == std::string_view::npos) break;
    at = hole + kFffd.size();
  }
  std::string result;
  std::size_t n_holes = 0;
  bool changed = false;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    std::string_view run = runs[k];
    std::string piece;
    if (!run.empty()) {
      EncodeResult bytes = misread_bytes(run, layer.misread);
      if (!bytes.ok) return false;
      DecodeResult d = decode(bytes.bytes, layer.original, {DecodeErrorMode::replace}, BomPolicy::keep);
      piece = std::move(d.text);
      // Replacement characters at the edges belong to the neighbouring hole; inside, the layer
      // does not explain the run.
      std::string_view v = piece;
      if (k > 0)
        while (v.substr(0, 3) == kFffd) v.remove_prefix(3);
      if (k + 1 < runs.size())
        while (v.size() >= 3 && v.substr(v.size() - 3) == kFffd) v.remove_suffix(3);
      if (v.find(kFffd) != std::string_view::npos) return false;
      changed = changed || v != run;
      piece = std::string(v);
    }
    result += piece;
    if (k + 1 < runs.size()) {
      result += kFffd;
      ++n_holes;
    }
  }
  if (!changed) return false;
  *out = std::move(result);
  *holes = n_holes;
  return true;
}

}  // namespace ungarble::repair_detail

namespace ungarble::repair_detail {
namespace {

// For every BMP character: bit i set when its byte in page i is a UTF-8 lead byte (C2–F4)
// (lead mask) or a continuation byte (80–BF) (continuation mask).
// lead2: bytes C2–DF (a two-byte UTF-8 lead); lead3: E0–EF (three-byte lead, which needs two
// continuations after it); cont: 80–BF. `native_cyrillic`: the pages whose own Cyrillic letters
// include lead and continuation bytes (KOI8 "её", "ні"; cp866 "раз"): a Cyrillic pair is
// clean text there, not mojibake. Likewise `native_latin`, DOS Central European (cp852), whose
// letters fill both ranges (Czech "ěž", Vietnamese "đó" are UTF-8 pairs there), while UTF-8
// Latin read through it starts each pair with box drawing (├ ┼ ─), and `native_arabic`, the
// Arabic pages, where an Arabic letter before another (Persian "اگ", ک and گ sit at 90 and 98),
// before the Arabic comma, semicolon or question mark, or before ZWNJ is how Arabic-script text
// is written, unless a Latin letter stands on either side (Slovenian "šola" through cp1256 is
// "إ،ola"); UTF-8 Arabic read through them keeps its marks ("ط§" is ا, "ظ„" is ل). Mac Roman,
// cp1251 and cp874 have native pairs of their own, told where suspicion() reads the pairs.
// For each character some page has (below U+2600, and Mac Roman's U+F8FF–U+FB02), the pages
// in which it is a two-byte lead, a three-byte lead, or a continuation byte — one bit per page,
// the three masks side by side so that a character costs one cache line.
struct PairMask {
  std::uint32_t lead2 = 0, lead3 = 0, cont = 0;
};
struct PairMasks {
  static constexpr char32_t kLow = 0x2600, kMacFirst = 0xF8FF, kMacLast = 0xFB02;
  std::vector<PairMask> by_index;
  std::uint32_t native_cyrillic = 0, native_latin = 0, native_arabic = 0, native_mac = 0, native_1251 = 0,
                native_thai = 0;
  static std::size_t index(char32_t c) {
    if (c < kLow) return c;
    if (c >= kMacFirst && c <= kMacLast) return kLow + (c - kMacFirst);
    return kLow + (kMacLast - kMacFirst) + 1;  // the all-zero entry
  }
  const PairMask& operator[](char32_t c) const { return by_index[index(c)]; }
  PairMasks() : by_index(kLow + (kMacLast - kMacFirst) + 2) {
    using E = EncodingId;
    const E pages[] = {E::windows_1252, E::iso_8859_1,  E::windows_1251, E::windows_1250,
                       E::windows_1253, E::windows_1254, E::windows_1255, E::windows_1256,
                       E::windows_1257, E::windows_1258, E::windows_874,  E::iso_8859_2,
                       E::iso_8859_5,   E::iso_8859_7,   E::iso_8859_4,   E::iso_8859_13,
                       E::iso_8859_16,  E::iso_8859_3,   E::iso_8859_6,   E::iso_8859_8,
                       E::iso_8859_10,  E::iso_8859_14,  E::koi8_r,       E::koi8_u,
                       E::ibm866,       E::macintosh,    E::x_mac_cyrillic, E::ibm437,
                       E::ibm850,       E::ibm852};
    static_assert(std::size(pages) <= 32);
    for (int i = 0; i < static_cast<int>(std::size(pages)); ++i)
      for (int b = 0x80; b < 0x100; ++b) {
        std::string one(1, static_cast<char>(b));
        DecodeResult d = decode(one, pages[i], {DecodeErrorMode::strict}, BomPolicy::keep);
        if (!d.ok || d.text.empty()) continue;
        std::size_t at = 0;
        const char32_t c = next_code_point(d.text, at);
        PairMask& e = by_index[index(c)];
        // Leads D4 D5 (Armenian) and DC–DF (Syriac, Thaana, N'Ko) start scripts no model here
        // reads; outside the Western pages (whose Ô Õ Ü Ý Þ ß are also what Shift_JIS trail
        // bytes look like) they are punctuation of clean text (’ ‘ in Mac Roman: "l’été").
        const bool western = pages[i] == E::windows_1252 || pages[i] == E::iso_8859_1;
        if (b >= 0xC2 && b <= 0xDF && (western || (b != 0xD4 && b != 0xD5 && b < 0xDC))) e.lead2 |= 1u << i;
        if (b >= 0xE0 && b <= 0xEF) e.lead3 |= 1u << i;
        if (b <= 0xBF) e.cont |= 1u << i;
      }
    for (int i = 0; i < static_cast<int>(std::size(pages)); ++i)
      if (pages[i] == E::koi8_r || pages[i] == E::koi8_u || pages[i] == E::ibm866 ||
          pages[i] == E::iso_8859_5 || pages[i] == E::x_mac_cyrillic)
        native_cyrillic |= 1u << i;
      else if (pages[i] == E::ibm852)
        native_latin |= 1u << i;
      else if (pages[i] == E::windows_1256 || pages[i] == E::iso_8859_6)
        native_arabic |= 1u << i;
      else if (pages[i] == E::macintosh)
        native_mac |= 1u << i;
      else if (pages[i] == E::windows_1251)
        native_1251 |= 1u << i;
      else if (pages[i] == E::windows_874)
        native_thai |= 1u << i;
  }
};

const PairMasks& masks() {
  static const PairMasks m;
  return m;
}

}  // namespace

// ---- the screen in front of suspicion() -------------------------------------------------------
//
// Every mark suspicion() counts needs one of two things in the bytes: two non-ASCII characters
// side by side (a UTF-8 pair, a run of Latin-1), or a character from a short list that is a mark
// on its own — Greek and Cyrillic letters (leads CE CF D0 D1), CJK and Hangul (E3–ED), U+FFFD
// and half-width kana (EF), box drawing (E2 94–96), ƒ ˆ ‰ and the C1 controls (C6, CB, E2 80 B0,
// C2 80–9F). Western text — ASCII with an accent here and there — has few of either, and is
// let through sixteen bytes at a time; where non-ASCII characters touch ("créé", « NBSP), just
// that run is scanned, with the ASCII character on each side. It never says "no" where
// suspicion() would find something: every mark lies inside one run of non-ASCII characters
// (and depends on nothing beyond its neighbours), or is one of the listed characters.
namespace {
enum class Flag { none, alone, touching };
Flag flag_at(const unsigned char* p, std::size_t i, std::size_t n) {
  const unsigned char b = p[i];
  if (b < 0x80) return Flag::none;
  if (b == 0xC6 || b == 0xCB || b == 0xCE || b == 0xCF || b == 0xD0 || b == 0xD1 || b == 0xEF ||
      (b >= 0xE3 && b <= 0xED))
    return Flag::alone;
  const unsigned char next = i + 1 < n ? p[i + 1] : 0;
  if (b == 0xC2 && next >= 0x80 && next <= 0x9F) return Flag::alone;
  if (b == 0xE2 && (next == 0x94 || next == 0x95 || next == 0x96)) return Flag::alone;
  if (b == 0xE2 && next == 0x80 && i + 2 < n && p[i + 2] == 0xB0) return Flag::alone;
  // Â–Þ (C3 82–9E) inside a lowercase word or before '?' and a letter (see orphan_leads).
  if (b == 0xC3 && next >= 0x82 && next <= 0x9E && next != 0x97) {
    const unsigned char after = i + 2 < n ? p[i + 2] : 0, after2 = i + 3 < n ? p[i + 3] : 0;
    const auto lower = [](unsigned char x) { return x >= 'a' && x <= 'z'; };
    if ((i > 0 && lower(p[i - 1]) && lower(after)) || (after == '?' && ((after2 | 0x20) >= 'a' && (after2 | 0x20) <= 'z')))
      return Flag::alone;
  }
  if (b >= 0xC0 && i > 0 && p[i - 1] >= 0x80) return Flag::touching;
  return Flag::none;
}

// Checks bytes [from, to) (and, for touching characters, their whole run); returns true at a
// possible mark, else the first byte not yet checked in *next.
bool screen(const unsigned char* p, std::size_t n, std::size_t from, std::size_t to, std::size_t* next) {
  for (std::size_t k = from; k < to; ++k) {
    const Flag f = flag_at(p, k, n);
    if (f == Flag::alone) return true;
    if (f == Flag::touching) {
      std::size_t a = k, b = k;
      while (a > 0 && p[a - 1] >= 0x80) --a;
      while (b < n && p[b] >= 0x80) ++b;
      // With the ASCII character on each side: a few pairs are marks only beside Latin letters.
      const std::size_t a1 = a > 0 ? a - 1 : a, b1 = b < n ? b + 1 : b;
      if (suspicion({reinterpret_cast<const char*>(p + a1), b1 - a1}).any()) return true;
      k = b;  // the run is clean; p[b] is ASCII
      if (k >= to) {
        *next = k;
        return false;
      }
    }
  }
  *next = to;
  return false;
}
}  // namespace

#if defined(__SSE2__)
// Could the 16 bytes at p (p[-1] readable) hold a mark? Two non-ASCII characters touching (a
// lead byte after a non-ASCII byte), or a lead that is a mark alone (C6 CB CE CF D0 D1 E3–ED
// EF), or one that is a mark with what is around it: C2 before 80–9F (a C1 control, not NBSP),
// E2 before 94–96 (box drawing) or 80 B0 (‰), not the ’ “ – … of ordinary text, and C3 80–9E
// (a capital) after a lowercase letter or before '?' (an orphan lead, which flag_at decides).
// With `peek` (p[16], p[17] readable) those are decided here; else any C2, C3 or E2 is a
// candidate. All-ASCII blocks are no candidates.
static bool candidate_block(const unsigned char* p, bool peek) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  if (_mm_movemask_epi8(v) == 0) return false;
  const __m128i c0 = _mm_set1_epi8(static_cast<char>(0xC0));
  const __m128i prev = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p - 1));
  const __m128i lead = _mm_cmpeq_epi8(_mm_and_si128(v, c0), c0);
  if ((_mm_movemask_epi8(lead) & _mm_movemask_epi8(prev)) != 0) return true;
  auto eq = [](__m128i x, unsigned char b) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(b))); };
  // x in [lo, lo + span] (unsigned): (x − lo) ≤ span.
  auto in = [](__m128i x, unsigned char lo, unsigned char span) {
    const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(span))), d);
  };
  __m128i alone = _mm_or_si128(_mm_or_si128(eq(v, 0xC6), eq(v, 0xCB)), _mm_or_si128(eq(v, 0xCE), eq(v, 0xCF)));
  alone = _mm_or_si128(alone, _mm_or_si128(_mm_or_si128(eq(v, 0xD0), eq(v, 0xD1)), eq(v, 0xEF)));
  alone = _mm_or_si128(alone, in(v, 0xE3, 0x0A));
  if (_mm_movemask_epi8(alone) != 0) return true;
  const __m128i c2 = eq(v, 0xC2), e2 = eq(v, 0xE2), c3 = eq(v, 0xC3);
  if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(c2, e2), c3)) == 0) return false;
  if (!peek) return true;
  const __m128i n1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
  const __m128i n2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2));
  const __m128i c1_control = _mm_and_si128(c2, in(n1, 0x80, 0x1F));
  const __m128i box = _mm_and_si128(e2, in(n1, 0x94, 0x02));
  const __m128i permille = _mm_and_si128(e2, _mm_and_si128(eq(n1, 0x80), eq(n2, 0xB0)));
  // A capital (C3 80–9E) after a lowercase letter or before '?': flag_at decides the rest.
  const __m128i capital = _mm_and_si128(c3, in(n1, 0x80, 0x1E));
  const __m128i orphan = _mm_and_si128(capital, _mm_or_si128(in(prev, 'a', 25), eq(n2, '?')));
  return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(c1_control, orphan), _mm_or_si128(box, permille))) != 0;
}
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// candidate_block()'s test on 32 bytes at a time (AVX2): from i (p[i − 1] readable), the first
// position whose 32 bytes could hold a mark, or where fewer than 34 bytes are left. Most Western
// text is let through here; what it stops at, the 16-byte test looks at again.
#define UG_SCREEN_AVX2 __attribute__((target("avx2")))
UG_SCREEN_AVX2 static inline __m256i eq32(__m256i x, unsigned char b) {
  return _mm256_cmpeq_epi8(x, _mm256_set1_epi8(static_cast<char>(b)));
}
// x in [lo, lo + span] (unsigned): (x − lo) ≤ span.
UG_SCREEN_AVX2 static inline __m256i in32(__m256i x, unsigned char lo, unsigned char span) {
  const __m256i d = _mm256_sub_epi8(x, _mm256_set1_epi8(static_cast<char>(lo)));
  return _mm256_cmpeq_epi8(_mm256_min_epu8(d, _mm256_set1_epi8(static_cast<char>(span))), d);
}
UG_SCREEN_AVX2 static inline __m256i load32(const unsigned char* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
UG_SCREEN_AVX2 static std::size_t skip_clean_avx2(const unsigned char* p, std::size_t n, std::size_t i) {
  const __m256i c0 = _mm256_set1_epi8(static_cast<char>(0xC0));
  for (; i + 34 <= n; i += 32) {
    const __m256i v = load32(p + i);
    if (_mm256_movemask_epi8(v) == 0) continue;
    const __m256i lead = _mm256_cmpeq_epi8(_mm256_and_si256(v, c0), c0);
    if ((_mm256_movemask_epi8(lead) & _mm256_movemask_epi8(load32(p + i - 1))) != 0) return i;
    __m256i alone = _mm256_or_si256(_mm256_or_si256(eq32(v, 0xC6), eq32(v, 0xCB)),
                                    _mm256_or_si256(eq32(v, 0xCE), eq32(v, 0xCF)));
    alone = _mm256_or_si256(alone, _mm256_or_si256(_mm256_or_si256(eq32(v, 0xD0), eq32(v, 0xD1)), eq32(v, 0xEF)));
    alone = _mm256_or_si256(alone, in32(v, 0xE3, 0x0A));
    if (_mm256_movemask_epi8(alone) != 0) return i;
    const __m256i c2 = eq32(v, 0xC2), e2 = eq32(v, 0xE2), c3 = eq32(v, 0xC3);
    if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(c2, e2), c3)) == 0) continue;
    const __m256i n1 = load32(p + i + 1), n2 = load32(p + i + 2);
    const __m256i c1_control = _mm256_and_si256(c2, in32(n1, 0x80, 0x1F));
    const __m256i box = _mm256_and_si256(e2, in32(n1, 0x94, 0x02));
    const __m256i permille = _mm256_and_si256(e2, _mm256_and_si256(eq32(n1, 0x80), eq32(n2, 0xB0)));
    const __m256i capital = _mm256_and_si256(c3, in32(n1, 0x80, 0x1E));
    const __m256i orphan = _mm256_and_si256(capital, _mm256_or_si256(in32(load32(p + i - 1), 'a', 25), eq32(n2, '?')));
    if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(c1_control, orphan), _mm256_or_si256(box, permille))) != 0)
      return i;
  }
  return i;
}
#define UNGARBLE_SCREEN_AVX2 1
#endif

// Where the 16-byte loops below may jump to from i: past the 32-byte blocks that hold no
// candidate, where the CPU has AVX2 (the kernel the UTF-8 validator uses, so a test forcing
// another kernel runs the 16-byte path alone).
static std::size_t skip_clean(const unsigned char* p, std::size_t n, std::size_t i) {
#if defined(UNGARBLE_SCREEN_AVX2)
  if (codec::utf8_simd::active_isa() == codec::utf8_simd::Isa::avx2) return skip_clean_avx2(p, n, i);
#endif
  (void)p, (void)n;
  return i;
}

bool might_be_suspicious(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time; a block with any candidate byte goes to the exact test.
  if (n >= 17) {
    if (screen(p, n, 0, 1, &i)) return true;
    while (i + 16 <= n) {
      i = skip_clean(p, n, i);
      if (i + 16 > n) break;
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      if (_mm_movemask_epi8(v) == 0) {  // all ASCII
        i += 16;
        continue;
      }
      if (!candidate_block(p + i, i + 18 <= n)) {
        i += 16;
        continue;
      }
      if (screen(p, n, i, i + 16, &i)) return true;
    }
  }
#endif
  std::size_t next = n;
  return screen(p, n, i, n, &next);
}

Suspicion suspicion_screened(std::string_view s) {
#if defined(__SSE2__)
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  if (n < 64) return suspicion(s);
  auto space = [&](std::size_t k) { return p[k] == ' ' || p[k] == '\t' || p[k] == '\n' || p[k] == '\r'; };
  Suspicion total;
  std::size_t done = 0;  // bytes before this are counted (or hold no mark)
  std::size_t i = 1;
  auto count_around = [&](std::size_t from, std::size_t to) {
    // Widen [from, to) to whole words (whitespace on both sides), count it, move on.
    std::size_t a = std::max(from, done), b = std::min(to, n);
    while (a > done && !space(a - 1)) --a;
    while (b < n && !space(b)) ++b;
    total.add(suspicion(s.substr(a, b - a)));
    done = b;
    i = std::max(i, b);
  };
  if (p[0] >= 0x80) count_around(0, 1);
  while (i + 16 <= n) {
    i = skip_clean(p, n, i);
    if (i + 16 > n) break;
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (_mm_movemask_epi8(v) == 0) {
      i += 16;
      continue;
    }
    if (!candidate_block(p + i, i + 18 <= n)) {
      i += 16;
      continue;
    }
    // The byte before the block may start a character the block continues.
    count_around(i - 1, i + 16);
  }
  if (i < n) {
    bool tail = false;
    for (std::size_t k = i; k < n && !tail; ++k) tail = p[k] >= 0x80;
    if (tail) count_around(i - 1, n);
  }
  return total;
#else
  return suspicion(s);
#endif
}

bool letterlike_box(char32_t x) {
  return (x >= 0x2552 && x <= 0x256B && x != 0x2554 && x != 0x2557 && x != 0x255A && x != 0x255D &&
          x != 0x2560 && x != 0x2563 && x != 0x2566 && x != 0x2569) ||
         x == 0x2580 || x == 0x2584 || x == 0x2588 || x == 0x258C || x == 0x2590;
}

namespace {
// What a run of Latin-1 is made of: Latin-1's upper half and C1, and the few letters and signs
// cp1252 and its neighbours put at continuation bytes (Š Œ Ž š œ ž Ÿ ƒ ˆ ˜).
bool runnable(const PairMasks& m, char32_t c) { return (c >= 0x80 && c <= 0xFF) || (c >= 0x152 && c <= 0x2DC && m[c].cont); }
}  // namespace

std::size_t latin1_or_foreign(std::string_view utf8) {
  const PairMasks& m = masks();
  std::size_t n = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {
      ++i;
      continue;
    }
    const char32_t c = next_code_point(utf8, i);
    if (runnable(m, c)) {
      ++n;
      continue;
    }
    // In cp1252 (bit 0 of the masks: its bytes 80–EF; F0–FF are Latin-1's, runnable above).
    const bool cp1252 = ((m[c].lead2 | m[c].lead3 | m[c].cont) & 1u) != 0;
    n += !cp1252 && c != 0xFFFD;
  }
  return n;
}

Suspicion suspicion(std::string_view s) {
  Suspicion r;
  const PairMasks& m = masks();
  char32_t prev = 0, prev2 = 0;
  auto cyr = [](char32_t x) { return x >= 0x400 && x <= 0x4FF; };
  auto thai = [](char32_t x) { return x >= 0xE01 && x <= 0xE5B; };
  auto latin_letter = [](char32_t x) { return x >= 0xC0 && x <= 0x24F && x != 0xD7 && x != 0xF7; };
  // Two Latin-1 characters of A1–FE, one of them a sign (not « or », which stand before and
  // after words in French, Spanish, Norwegian): a lone CJK character through cp1252 or latin-1.
  auto lone_pair = [](char32_t a, char32_t b) {
    auto in = [](char32_t x) { return x >= 0xA1 && x <= 0xFE; };
    auto sign = [](char32_t x) { return (x <= 0xBF && x != 0xAB && x != 0xBB) || x == 0xD7 || x == 0xF7; };
    return in(a) && in(b) && (sign(a) || sign(b)) && a != 0xAB && a != 0xBB && b != 0xAB && b != 0xBB;
  };
  auto mac_punct = [](char32_t x) {
    return x == 0xAB || x == 0xBB || x == 0xA0 || x == 0x2026 || x == 0x2013 || x == 0x2014 || x == 0x201C ||
           x == 0x201D || x == 0x2018 || x == 0x2019 || x == 0x2039 || x == 0x203A;
  };
  auto arabic_letter = [](char32_t x) { return (x >= 0x620 && x <= 0x64A) || (x >= 0x66E && x <= 0x6D3) || x == 0x6D5; };
  // Shift_JIS lead bytes as cp1252 shows them, that clean text does not put before an ASCII
  // letter or symbol: ƒ (83, katakana), ˆ ‰ (88 89, kanji), and the C1 controls WHATWG's
  // cp1252 gives 81 8D 8F 90 9D.
  auto sjis_lead = [](char32_t x) {
    return x == 0x192 || x == 0x2C6 || x == 0x2030 || x == 0x81 || x == 0x8D || x == 0x8F ||
           x == 0x90 || x == 0x9D;
  };
  // Characters some single-byte page has, i.e. those the pair masks know: below U+2600 (box
  // drawing, ™, €, ‰ …), and Mac Roman's Apple logo and ﬁ ﬂ. Everything else (CJK, most of
  // the BMP) can be neither half of a UTF-8 pair nor part of a run of Latin-1.
  auto in_pages = [](char32_t x) { return x < 0x2600 || (x >= 0xF8FF && x <= 0xFB02); };
  // A "word" of box drawing with several different pieces: what Cyrillic through cp866/cp437
  // looks like (╨╧──┼╥╓╔╫┴┼╘), unlike a rule (═════) or a frame corner. It must hold a piece that
  // mixes single and double lines, or a block (╒╓╘╙╞╟╤╥╧╨╪╫, ▀▄█▌▐): KOI8's о п р с т у ф ь я ш
  // щ э ъ become those, and nearly every Russian word has one, while frames and tables are
  // drawn with one kind of line (┌──┬──┐, ╔═╗).
  // ASCII punctuation around the pieces ("(╥┴╙█╔╞") and cp866's other symbols (· ∙ √ ° № ¤ ■,
  // what KOI8's З, Ш, Щ… become) do not break such a word; letters and digits do. One piece
  // three times in a row, or three pieces each doubled, is drawing, whatever the pieces
  // ("╒══════╤", "▐██▀▀▄▄██▌"): no Russian word has a letter thrice, few one doubled.
  std::size_t word_len = 0, word_box = 0, word_other = 0, word_doubled = 0;
  char32_t word_first_box = 0;
  bool word_mixed_box = false, word_letterlike = false, word_drawn = false;
  bool word_latin = false, word_cyrillic_greek = false;  // the letters a word has (see mixed_words)
  auto letterlike = letterlike_box;
  auto ascii_punct = [](unsigned char a) {
    return a > ' ' && a < 0x7F && !((a | 0x20) >= 'a' && (a | 0x20) <= 'z') && !(a >= '0' && a <= '9');
  };
  std::size_t sjis = 0;
  auto end_word = [&] {
    // A long one (8 pieces or more: "(╥┴╙█╔╞╥╧╫┘╫┴┼╘╙╤" is "(расшифровывается") counts as three.
    if (word_box >= 2 && word_box + word_other == word_len && word_drawn) ++r.drawn_words;
    else if (word_box >= 2 && word_box + word_other == word_len && word_mixed_box && word_letterlike)
      r.box_words += word_box >= 8 ? 3 : 1;
    r.mixed_words += word_latin && word_cyrillic_greek;
    word_len = word_box = word_other = word_doubled = 0;
    word_letterlike = word_drawn = false;
    word_first_box = 0;
    word_mixed_box = false;
    word_latin = word_cyrillic_greek = false;
  };
  std::size_t run = 0;
  auto ascii_letter = [](char32_t x) { return (x | 0x20) >= 'a' && (x | 0x20) <= 'z'; };
  bool cjk_uncounted = false;  // the last character was CJK with no ASCII letter before it
  const std::size_t size = s.size();
  // For the pairs that are native to a page unless a Latin letter stands beside them: is x one,
  // and which character comes after the one ending at byte j (read only where a rule asks).
  auto latin = [&](char32_t x) { return ascii_letter(x) || latin_letter(x); };
  auto char_after = [&](std::size_t j) -> char32_t { return j < size ? next_code_point(s, j) : 0; };
  for (std::size_t i = 0; i < size;) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      if (cjk_uncounted && ascii_letter(b)) ++r.latin_cjk;
      cjk_uncounted = false;
      if (b >= 0x40 && b <= 0x7E && sjis_lead(prev)) ++sjis;
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r') end_word();
      else ++word_len, word_other += ascii_punct(b), word_latin = word_latin || ascii_letter(b);
      prev2 = prev;
      prev = b;
      run = 0;
      // The rest of an ASCII run, eight bytes at a time: only where its words end matters.
      while (i + 8 <= size) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        if (w & 0x8080808080808080ULL) break;
        for (int k = 0; k < 8; ++k) {
          const auto a = static_cast<unsigned char>(s[i + k]);
          if (a == ' ' || a == '\t' || a == '\n' || a == '\r') end_word();
          else ++word_len, word_other += ascii_punct(a), word_latin = word_latin || ascii_letter(a);
        }
        prev2 = static_cast<unsigned char>(s[i + 6]);
        prev = static_cast<unsigned char>(s[i + 7]);
        i += 8;
      }
      continue;
    }
    const char32_t c = next_code_point(s, i);
    cjk_uncounted = false;
    ++word_len;
    // A basic Cyrillic letter (А–я) after a Cyrillic letter or ASCII: no page makes it the
    // continuation of a UTF-8 pair except the Cyrillic pages, where it is native after a
    // letter, and ASCII is no lead; it breaks runs of Latin-1 and counts as a Cyrillic letter.
    // (Most of Russian text: the rest of the loop would find the same, at four times the cost.)
    if (c >= 0x410 && c <= 0x44F && (prev < 0x80 || cyr(prev))) {
      run = 0;
      ++r.cyrillic_greek;
      word_cyrillic_greek = true;
      prev2 = prev;
      prev = c;
      // The letters that follow it, two bytes each: D0 90–BF (А–п), D1 80–8F (р–я).
      const auto* u = reinterpret_cast<const unsigned char*>(s.data());
      std::size_t j = i;
      while (j + 1 < size) {
        const unsigned w = (static_cast<unsigned>(u[j]) << 8) | u[j + 1];
        if (w - 0xD090u >= 0x30u && w - 0xD180u >= 0x10u) break;
        j += 2;
      }
      if (j > i) {
        const std::size_t more = (j - i) / 2;
        r.cyrillic_greek += more;
        word_len += more;
        auto at = [&](std::size_t k) { return (static_cast<char32_t>(u[k] & 0x1F) << 6) | (u[k + 1] & 0x3F); };
        prev2 = more >= 2 ? at(j - 4) : prev;
        prev = at(j - 2);
        i = j;
      }
      continue;
    }
    if (!in_pages(c)) {
      // CJK, or another character no page has: it breaks pairs and runs, and is counted.
      if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
          (c >= 0xF900 && c <= 0xFAFF)) {
        ++r.cjk;
        const bool touched = ascii_letter(prev);
        r.latin_cjk += touched;
        cjk_uncounted = !touched;
        run = 0;
        prev2 = prev;
        prev = c;
        // The ideographs and Hangul that follow, three bytes each (leads E4–E9: U+4000–9FFF,
        // EB–EC: U+B000–CFFF): each one is counted, touches no ASCII letter, makes no mark.
        const auto* u = reinterpret_cast<const unsigned char*>(s.data());
        std::size_t j = i;
        while (j + 2 < size && ((u[j] >= 0xE4 && u[j] <= 0xE9) || u[j] == 0xEB || u[j] == 0xEC)) j += 3;
        if (j > i) {
          const std::size_t more = (j - i) / 3;
          r.cjk += more;
          word_len += more;
          cjk_uncounted = true;
          auto at = [&](std::size_t k) {
            return (static_cast<char32_t>(u[k] & 0x0F) << 12) | (static_cast<char32_t>(u[k + 1] & 0x3F) << 6) |
                   (u[k + 2] & 0x3F);
          };
          prev2 = more >= 2 ? at(j - 6) : prev;
          prev = at(j - 3);
          i = j;
        }
        continue;
      } else if (c == 0xFFFD)
        ++r.replacement;
      else if (c >= 0xFF61 && c <= 0xFF9F)
        ++r.halfwidth_kana;
      run = 0;
      prev2 = prev;
      prev = c;
      continue;
    }
    if (c == 0xB7 || c == 0x2219 || c == 0x221A || c == 0xB0 || c == 0x2116 || c == 0xA4 || c == 0x25A0)
      ++word_other;
    else if (c >= 0x2500 && c <= 0x259F) {
      ++word_box;
      word_letterlike = word_letterlike || letterlike(c);
      word_doubled += c == prev;
      word_drawn = word_drawn || (c == prev && c == prev2) || word_doubled >= 3;
      if (!word_first_box) word_first_box = c;
      else if (c != word_first_box) word_mixed_box = true;
    }
    {
      const PairMask& mc = m[c];
      const PairMask& mp = m[prev];
      std::uint32_t pair = mp.lead2 & mc.cont;
      // Two Thai letters are text in cp874 (its letters fill both ranges: "อง"); UTF-8 Thai
      // read through it keeps its three-byte marks ("เธ…", E0 B8 …), UTF-8 Latin its Latin
      // neighbours ("Cafรฉ").
      if ((pair & m.native_thai) && thai(prev) && thai(c) && !latin(prev2) && !latin(char_after(i)))
        pair &= ~m.native_thai;
      std::uint32_t pair3 = m[prev2].lead3 & mp.cont & mc.cont;
      // Likewise three: a leading vowel and two consonants ("เขต") are Thai; UTF-8 Thai read
      // through cp874 is เ and ธ or น (E0 B8, E0 B9) before every character.
      if ((pair3 & m.native_thai) && thai(prev2) && thai(prev) && thai(c) &&
          !(prev2 == 0xE40 && (prev == 0xE18 || prev == 0xE19)) && !latin(char_after(i)))
        pair3 &= ~m.native_thai;
      pair |= pair3;
      // A Cyrillic letter after a Cyrillic letter or after the punctuation Russian puts before
      // words (« » „ “ ” – — … №: Mac Cyrillic's C7–DC leads) is native to those pages.
      if (cyr(c) && (cyr(prev) || prev == 0xAB || prev == 0xBB || prev == 0x201E || prev == 0x201C ||
                     prev == 0x201D || prev == 0x2013 || prev == 0x2014 || prev == 0x2026 || prev == 0x2116))
        pair &= ~m.native_cyrillic;
      if (latin_letter(c) && latin_letter(prev)) pair &= ~m.native_latin;
      // In cp1251 only Р С Т У (D0–D3) lead UTF-8 Cyrillic: another capital before a letter
      // ("Ні", "ЦІ" in Ukrainian) is text, unless a Latin letter stands beside ("fГјr" is für).
      if ((pair & m.native_1251) && cyr(c) && cyr(prev) && (prev < 0x420 || prev > 0x423) && !latin(prev2) &&
          !latin(char_after(i)))
        pair &= ~m.native_1251;
      // …unless Latin letters stand around it: "إ،ola" is Slovenian "šola" read as cp1256.
      if ((pair & m.native_arabic) && arabic_letter(prev) &&
          (arabic_letter(c) || c == 0x60C || c == 0x61B || c == 0x61F || c == 0x200C) && !latin(prev2) &&
          !latin(char_after(i)))
        pair &= ~m.native_arabic;
      // Mac Roman's C7–DF are quotes and dashes, a Latin letter after them is its 80–9F: a
      // word opening after one (" «å pakke»", "l’été": after an apostrophe a letter may stand
      // before it too) is text, where UTF-8 read through the page puts a character of the page
      // before the pair ("–∞—Ä" is "ар") or, inside a word, a letter ("sec»õiuni" is "secțiuni").
      if ((pair & m.native_mac) && prev2 < 0x80 && latin_letter(c) && mac_punct(prev) &&
          (prev == 0x2019 || prev == 0x2018 || !ascii_letter(prev2)))
        pair &= ~m.native_mac;
      if (pair) ++r.utf8_pairs;
      if (pair & 3u) ++r.western_pairs;  // bits 0 and 1: windows-1252, latin-1
    }
    // A Latin-1 capital that is a UTF-8 lead whose continuation went missing: inside a
    // lowercase word ("lÃnea", the AD of í stripped) or before a '?' and a letter ("Ä?len",
    // the 8D of č written '?').
    if (c >= 0xC2 && c <= 0xDE && c != 0xD7) {
      const auto at = [&](std::size_t k) { return k < size ? static_cast<unsigned char>(s[k]) : 0; };
      const auto lower = [](unsigned char x) { return x >= 'a' && x <= 'z'; };
      if ((prev < 0x80 && lower(static_cast<unsigned char>(prev)) && lower(at(i))) ||
          (at(i) == '?' && ascii_letter(at(i + 1))))
        ++r.orphan_leads;
    }
    if (runnable(m, c)) {
      if (++run == 3) ++r.latin_runs, r.run_chars += 3;
      else if (run > 3) ++r.run_chars;
      else if (run == 2 && prev2 < 0x80 && (i >= size || static_cast<unsigned char>(s[i]) < 0x80) &&
               lone_pair(prev, c) && !(m[prev].lead2 & m[c].cont & 3u))
        ++r.lone_pairs;
    } else {
      run = 0;
    }
    if ((c >= 0x400 && c <= 0x45F) || (c >= 0x384 && c <= 0x3CE)) ++r.cyrillic_greek, word_cyrillic_greek = true;
    else if (latin_letter(c)) word_latin = true;
    prev2 = prev;
    prev = c;
  }
  end_word();
  r.sjis_marks = sjis;
  if (sjis >= 2) r.sjis_pairs = sjis;
  return r;
}

}  // namespace ungarble::repair_detail
