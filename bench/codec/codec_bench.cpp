// codec_bench.cpp — ungarble's codecs beside glibc iconv and ICU, on identical inputs.
//
//   validate/<text>/<impl>  UTF-8 validation: ungarble (every kernel this CPU has, through the
//                           test hook), a simple byte-at-a-time validator, ICU's U8_NEXT loop and
//                           ICU's u_strFromUTF8 (a conversion to UTF-16 with an error check).
//   ascii/<impl>            length of the ASCII prefix of all-ASCII text.
//   decode/<enc>/<impl>     <enc> → UTF-8: ungarble::decode (a fresh result string per call),
//                           ungarble::StreamDecoder into a reused string, iconv(3) and ICU
//                           ucnv_convertEx (each into a reused buffer); also
//                           UTF-8 → UTF-8 (a validating copy) on the Chinese text.
//
// The inputs are made here, deterministically (fixed seed, no external text): text of the kind
// each encoding carries, drawn from the characters its national standard ranks as common (GB2312
// level 1 for GBK, Big5's frequently used characters, JIS X 0208 level 1 kanji plus kana for
// Shift_JIS, KS X 1001 Hangul for EUC-KR; letters for the code pages). Every candidate character
// is kept only when it round-trips through iconv and ungarble, iconv and ICU decode it to the same
// code point, and before timing each input is decoded by all three and the outputs compared, so
// every implementation does the same work. Sizes: about 2 MB of encoded bytes per input.
#include <benchmark/benchmark.h>
#include <iconv.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "codec/utf8_simd.h"
#include "ungarble/codec.h"

namespace {

using ungarble::EncodingId;
namespace simd = ungarble::codec::utf8_simd;

constexpr std::size_t kTargetBytes = 2u << 20;  // encoded size of each input

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "ungarble_bench: %s\n", why.c_str());
  std::exit(2);
}

// Deterministic on every platform (unlike std::uniform_int_distribution).
struct Rng {
  std::uint64_t s;
  explicit Rng(std::uint64_t seed) : s(seed) {}
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
};

// ---- The three converters, whole-buffer ------------------------------------------------------

class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {
    if (cd_ == reinterpret_cast<iconv_t>(-1)) die(std::string("iconv_open ") + from + " → " + to);
  }
  ~Iconv() { iconv_close(cd_); }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  // Converts all of `in` into `out` (capacity given); returns the output length or -1 on error.
  long run(const std::string& in, char* out, std::size_t cap) {
    iconv(cd_, nullptr, nullptr, nullptr, nullptr);
    char* ip = const_cast<char*>(in.data());
    std::size_t il = in.size();
    char* op = out;
    std::size_t ol = cap;
    if (iconv(cd_, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1)) return -1;
    if (iconv(cd_, nullptr, nullptr, &op, &ol) == static_cast<std::size_t>(-1)) return -1;
    return static_cast<long>(op - out);
  }
  bool convert(const std::string& in, std::string& out) {
    out.assign(in.size() * 4 + 16, '\0');
    long k = run(in, out.data(), out.size());
    if (k < 0) return false;
    out.resize(static_cast<std::size_t>(k));
    return true;
  }

 private:
  iconv_t cd_;
};

class IcuToUtf8 {
 public:
  explicit IcuToUtf8(const char* name) {
    UErrorCode st = U_ZERO_ERROR;
    src_ = ucnv_open(name, &st);
    utf8_ = ucnv_open("UTF-8", &st);
    if (U_FAILURE(st)) die(std::string("ucnv_open ") + name + ": " + u_errorName(st));
    // Stop at the first malformed or unmapped sequence instead of substituting silently.
    st = U_ZERO_ERROR;
    ucnv_setToUCallBack(src_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &st);
  }
  ~IcuToUtf8() {
    ucnv_close(src_);
    ucnv_close(utf8_);
  }
  IcuToUtf8(const IcuToUtf8&) = delete;
  IcuToUtf8& operator=(const IcuToUtf8&) = delete;
  long run(const std::string& in, char* out, std::size_t cap) {
    UErrorCode st = U_ZERO_ERROR;
    char* t = out;
    const char* s = in.data();
    ucnv_convertEx(utf8_, src_, &t, out + cap, &s, in.data() + in.size(), nullptr, nullptr, nullptr,
                   nullptr, /*reset=*/true, /*flush=*/true, &st);
    return U_FAILURE(st) ? -1 : static_cast<long>(t - out);
  }
  bool convert(const std::string& in, std::string& out) {
    out.assign(in.size() * 4 + 16, '\0');
    long k = run(in, out.data(), out.size());
    if (k < 0) return false;
    out.resize(static_cast<std::size_t>(k));
    return true;
  }

 private:
  UConverter* src_ = nullptr;
  UConverter* utf8_ = nullptr;
};

bool ungarble_decode(const std::string& in, EncodingId id, std::string& out) {
  ungarble::DecodeResult r = ungarble::decode(std::string_view(in), id);
  if (r.errors) return false;
  out = std::move(r.text);
  return true;
}

// ---- Inputs --------------------------------------------------------------------------------------

struct Codec {
  const char* label;     // as printed
  EncodingId id;         // ungarble
  const char* iconv;     // glibc name
  const char* icu;       // ICU converter name
};

// WHATWG's shift_jis is Microsoft's code page 932, and so is what iconv and ICU are given.
const Codec kCodecs[] = {
    {"windows-1252", EncodingId::windows_1252, "CP1252", "windows-1252"},
    {"windows-1251", EncodingId::windows_1251, "CP1251", "windows-1251"},
    {"gbk", EncodingId::gbk, "GBK", "GBK"},
    {"big5", EncodingId::big5, "BIG5", "Big5"},
    {"shift_jis", EncodingId::shift_jis, "CP932", "windows-932"},
    {"euc-kr", EncodingId::euc_kr, "EUC-KR", "EUC-KR"},
};

const Codec kUtf8 = {"utf-8", EncodingId::utf_8, "UTF-8", "UTF-8"};

// A character class of an encoding: byte strings (one character each) and a weight.
struct Class {
  std::vector<std::string> chars;
  double weight;
};

std::string utf8_of(char32_t c) {
  std::string s;
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
  return s;
}

// Keeps the candidates (encoded characters) that are one character which all three decoders
// agree on and which iconv encodes back to the same bytes.
std::vector<std::string> keep_agreed(const Codec& c, const std::vector<std::string>& cands) {
  Iconv dec("UTF-8", c.iconv), enc(c.iconv, "UTF-8");
  IcuToUtf8 icu(c.icu);
  std::vector<std::string> out;
  for (const std::string& b : cands) {
    std::string u, back, v, w;
    if (!dec.convert(b, u) || u.empty() || !enc.convert(u, back) || back != b) continue;
    if (!ungarble_decode(b, c.id, v) || v != u) continue;
    if (!icu.convert(b, w) || w != u) continue;
    out.push_back(b);
  }
  return out;
}

std::vector<std::string> from_utf8(const Codec& c, const std::vector<char32_t>& cps) {
  Iconv enc(c.iconv, "UTF-8");
  std::vector<std::string> v;
  for (char32_t cp : cps) {
    std::string b;
    if (enc.convert(utf8_of(cp), b)) v.push_back(b);
  }
  return keep_agreed(c, v);
}

std::vector<std::string> double_bytes(const Codec& c, int lead_lo, int lead_hi, int trail_lo,
                                      int trail_hi, std::initializer_list<std::pair<int, int>> skip = {}) {
  std::vector<std::string> v;
  for (int a = lead_lo; a <= lead_hi; ++a)
    for (int b = trail_lo; b <= trail_hi; ++b) {
      bool skipped = false;
      for (auto [lo, hi] : skip) skipped |= b >= lo && b <= hi;
      if (!skipped) v.push_back({static_cast<char>(a), static_cast<char>(b)});
    }
  return keep_agreed(c, v);
}

std::vector<char32_t> range(char32_t lo, char32_t hi) {
  std::vector<char32_t> v;
  for (char32_t c = lo; c <= hi; ++c) v.push_back(c);
  return v;
}

// Text of words: `word` gives one word; words are separated by a space, now and then by
// punctuation and a space, rarely by a newline.
template <class Word>
std::string words(Rng& rng, std::size_t target, const std::vector<std::string>& punct, Word word) {
  std::string s;
  while (s.size() < target) {
    word(s);
    if (rng.chance(0.02)) {
      s += '\n';
    } else if (!punct.empty() && rng.chance(0.12)) {
      s += punct[rng.below(punct.size())];
    } else {
      s += ' ';
    }
  }
  return s;
}

// Unseparated text (Chinese, Japanese): characters drawn from weighted classes.
std::string run_of(Rng& rng, std::size_t target, const std::vector<Class>& classes) {
  double total = 0;
  for (const Class& k : classes) total += k.weight;
  std::string s;
  while (s.size() < target) {
    double x = static_cast<double>(rng.next() >> 11) * 0x1.0p-53 * total;
    const Class* k = &classes.back();
    for (const Class& c : classes) {
      if (x < c.weight) {
        k = &c;
        break;
      }
      x -= c.weight;
    }
    if (!k->chars.empty()) s += k->chars[rng.below(k->chars.size())];
  }
  return s;
}

std::vector<std::string> ascii_chars(std::string_view cs) {
  std::vector<std::string> v;
  for (char c : cs) v.push_back(std::string(1, c));
  return v;
}

std::string make_text(const Codec& c, std::size_t target) {
  Rng rng(0x756E676172626C65ULL ^ static_cast<std::uint64_t>(c.id));
  const std::string_view label = c.label;
  if (label == "windows-1252") {
    // Western European prose: ASCII letters, about 6 % of letters accented, typographic quotes
    // and dashes now and then (the characters that make windows-1252 text windows-1252).
    const auto accented = from_utf8(c, {U'é', U'è', U'ê', U'à', U'â', U'ç', U'ô', U'û', U'ü', U'ö', U'ä',
                                        U'ß', U'ñ', U'í', U'ó', U'á', U'ú', U'ï', U'œ', U'å', U'ø'});
    const auto typo = from_utf8(c, {U'\u2019', U'\u201C', U'\u201D', U'\u2013', U'\u2014', U'\u20AC'});
    std::vector<std::string> punct = {", ", ". ", "; ", ": ", "! ", "? "};
    for (const auto& t : typo) punct.push_back(" " + t + " ");
    return words(rng, target, punct, [&](std::string& s) {
      const std::size_t n = 2 + rng.below(8);
      for (std::size_t i = 0; i < n; ++i)
        s += rng.chance(0.06) ? accented[rng.below(accented.size())]
                              : std::string(1, static_cast<char>('a' + rng.below(26)));
    });
  }
  if (label == "windows-1251") {
    auto lower = from_utf8(c, range(U'а', U'я'));
    lower.push_back(from_utf8(c, {U'ё'}).at(0));
    const auto upper = from_utf8(c, range(U'А', U'Я'));
    const auto dash = from_utf8(c, {U'\u2014', U'\u00AB', U'\u00BB'});
    std::vector<std::string> punct = {", ", ". ", "; ", ": ", "! ", "? "};
    for (const auto& t : dash) punct.push_back(" " + t + " ");
    return words(rng, target, punct, [&](std::string& s) {
      const std::size_t n = 2 + rng.below(9);
      for (std::size_t i = 0; i < n; ++i)
        s += (i == 0 && rng.chance(0.1)) ? upper[rng.below(upper.size())]
                                         : lower[rng.below(lower.size())];
    });
  }
  if (label == "gbk") {
    // GB2312 level 1 (B0A1–D7F9): the 3,755 most frequently used hanzi.
    return run_of(rng, target,
                  {{double_bytes(c, 0xB0, 0xD7, 0xA1, 0xFE), 88},
                   {from_utf8(c, {U'，', U'。', U'、', U'“', U'”', U'：', U'；', U'？', U'！'}), 9},
                   {ascii_chars("0123456789 "), 2},
                   {ascii_chars("\n"), 0.3}});
  }
  if (label == "big5") {
    // Big5 frequently used characters (A440–C67E): 5,401 hanzi.
    return run_of(rng, target,
                  {{double_bytes(c, 0xA4, 0xC6, 0x40, 0xFE, {{0x7F, 0xA0}}), 88},
                   {from_utf8(c, {U'，', U'。', U'、', U'「', U'」', U'：', U'；', U'？', U'！'}), 9},
                   {ascii_chars("0123456789 "), 2},
                   {ascii_chars("\n"), 0.3}});
  }
  if (label == "shift_jis") {
    // JIS X 0208 level 1 kanji (889F–9872) and kana, in the proportions of ordinary prose.
    return run_of(rng, target,
                  {{double_bytes(c, 0x88, 0x98, 0x40, 0xFC, {{0x7F, 0x7F}}), 35},
                   {from_utf8(c, range(U'ぁ', U'ゖ')), 45},
                   {from_utf8(c, range(U'ァ', U'ヶ')), 10},
                   {from_utf8(c, {U'、', U'。', U'「', U'」', U'ー', U'・'}), 8},
                   {ascii_chars("0123456789 "), 1.5},
                   {ascii_chars("\n"), 0.3}});
  }
  if (label == "euc-kr") {
    // KS X 1001 Hangul (B0A1–C8FE): the 2,350 syllables of the national standard, in words of
    // 1–4 syllables separated by spaces, as Korean is written.
    const auto hangul = double_bytes(c, 0xB0, 0xC8, 0xA1, 0xFE);
    return words(rng, target, {", ", ". ", "? "}, [&](std::string& s) {
      const std::size_t n = 1 + rng.below(4);
      for (std::size_t i = 0; i < n; ++i) s += hangul[rng.below(hangul.size())];
    });
  }
  die(std::string("no text generator for ") + c.label);
}

struct DecodeInput {
  const Codec* codec;
  std::string bytes;  // in the encoding
  std::string utf8;   // what every decoder must produce
};

struct Inputs {
  std::vector<DecodeInput> decode;
  std::vector<std::pair<std::string, std::string>> utf8;  // name, valid UTF-8 text
};

// Mixed text across all four UTF-8 lengths (a quarter of the characters each), for the
// validators' worst realistic case.
std::string mixed_utf8(std::size_t target) {
  Rng rng(4);
  std::string s;
  while (s.size() < target) {
    switch (rng.below(4)) {
      case 0: s += static_cast<char>(0x20 + rng.below(0x5F)); break;
      case 1: s += utf8_of(static_cast<char32_t>(0xA0 + rng.below(0x800 - 0xA0))); break;
      case 2: s += utf8_of(static_cast<char32_t>(0x4E00 + rng.below(0x9FA5 - 0x4E00))); break;
      default: s += utf8_of(static_cast<char32_t>(0x1F300 + rng.below(0x1FAFF - 0x1F300))); break;
    }
  }
  return s;
}

const Inputs& inputs() {
  static const Inputs in = [] {
    Inputs r;
    for (const Codec& c : kCodecs) {
      DecodeInput d{&c, make_text(c, kTargetBytes), {}};
      // Identical work: all three decoders must give the same UTF-8 for the whole input.
      std::string a, b, e;
      Iconv ic("UTF-8", c.iconv);
      IcuToUtf8 icu(c.icu);
      if (!ic.convert(d.bytes, a)) die(std::string("iconv fails on the ") + c.label + " input");
      if (!icu.convert(d.bytes, b)) die(std::string("ICU fails on the ") + c.label + " input");
      if (!ungarble_decode(d.bytes, c.id, e)) die(std::string("ungarble fails on the ") + c.label + " input");
      if (a != b || a != e) die(std::string("decoders disagree on the ") + c.label + " input");
      if (!ungarble::is_valid_utf8(a)) die("decoded text is not valid UTF-8");
      d.utf8 = std::move(a);
      r.decode.push_back(std::move(d));
    }
    // UTF-8 → UTF-8 (validating copy) on the Chinese text.
    {
      DecodeInput u{&kUtf8, r.decode[2].utf8, r.decode[2].utf8};
      std::string a, b, e;
      Iconv ic("UTF-8", "UTF-8");
      IcuToUtf8 icu("UTF-8");
      if (!ic.convert(u.bytes, a) || !icu.convert(u.bytes, b) || !ungarble_decode(u.bytes, u.codec->id, e) ||
          a != u.utf8 || b != u.utf8 || e != u.utf8)
        die("decoders disagree on the utf-8 input");
      r.decode.push_back(std::move(u));
    }
    // UTF-8 inputs for the validators: the decoded texts above, pure ASCII, and a 1–4-byte mix.
    std::string ascii;
    {
      Rng rng(1);
      ascii = words(rng, kTargetBytes, {", ", ". "}, [&](std::string& s) {
        for (std::size_t i = 0, n = 2 + rng.below(8); i < n; ++i) s += static_cast<char>('a' + rng.below(26));
      });
    }
    r.utf8.emplace_back("ascii", std::move(ascii));
    r.utf8.emplace_back("latin", r.decode[0].utf8);
    r.utf8.emplace_back("cyrillic", r.decode[1].utf8);
    r.utf8.emplace_back("chinese", r.decode[2].utf8);
    r.utf8.emplace_back("japanese", r.decode[4].utf8);
    r.utf8.emplace_back("mixed-1to4", mixed_utf8(kTargetBytes));
    for (auto& [name, text] : r.utf8)
      if (!ungarble::is_valid_utf8(text)) die("validator input " + name + " is not valid UTF-8");
    return r;
  }();
  return in;
}

// ---- Validators beside ours ------------------------------------------------------------------

// The simple way: one sequence at a time, one byte at a time.
bool simple_valid_utf8(const std::uint8_t* p, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((b & 0xE0) == 0xC0) len = 2, cp = b & 0x1F;
    else if ((b & 0xF0) == 0xE0) len = 3, cp = b & 0x0F;
    else if ((b & 0xF8) == 0xF0) len = 4, cp = b & 0x07;
    else return false;
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    static constexpr std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// ICU's own validating iteration macro (what ICU-based code uses to walk UTF-8).
bool icu_u8_next_valid(const std::uint8_t* p, std::size_t n) {
  const std::int32_t len = static_cast<std::int32_t>(n);
  std::int32_t i = 0;
  while (i < len) {
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) return false;
  }
  return true;
}

// ---- Registration --------------------------------------------------------------------------------

const std::uint8_t* bytes_of(const std::string& s) { return reinterpret_cast<const std::uint8_t*>(s.data()); }

void register_all() {
  const Inputs& in = inputs();

  for (const auto& input : in.utf8) {
    const std::string& name = input.first;  // (not a structured binding: captured below)
    const std::string* t = &input.second;
    const std::int64_t n = static_cast<std::int64_t>(t->size());
    auto reg = [&](const std::string& impl, std::function<bool(const std::uint8_t*, std::size_t)> f) {
      benchmark::RegisterBenchmark(("validate/" + name + "/" + impl).c_str(), [t, n, f](benchmark::State& st) {
        for (auto _ : st) {
          bool ok = f(bytes_of(*t), t->size());
          benchmark::DoNotOptimize(ok);
          if (!ok) st.SkipWithError("reported invalid");
        }
        st.SetBytesProcessed(st.iterations() * n);
      });
    };
    // The public entry point (whatever the dispatcher picked), then each kernel explicitly.
    reg("ungarble", [](const std::uint8_t* p, std::size_t k) {
      return ungarble::is_valid_utf8(std::span<const std::uint8_t>(p, k));
    });
    for (simd::Isa isa : {simd::Isa::avx2, simd::Isa::sse42, simd::Isa::scalar}) {
      if (static_cast<int>(isa) > static_cast<int>(simd::detected_isa())) continue;
      reg(std::string("ungarble-") + simd::isa_name(isa),
          [isa](const std::uint8_t* p, std::size_t k) { return simd::validate(p, k, isa); });
    }
    reg("ungarble-valid-prefix", [](const std::uint8_t* p, std::size_t k) {
      return ungarble::utf8_valid_prefix_length(p, k) == k;
    });
    reg("simple-scalar", simple_valid_utf8);
    reg("icu-U8_NEXT", icu_u8_next_valid);
    auto buf = std::make_shared<std::vector<UChar>>(t->size() + 1);
    reg("icu-u_strFromUTF8", [buf](const std::uint8_t* p, std::size_t k) {
      UErrorCode st = U_ZERO_ERROR;
      std::int32_t out = 0;
      u_strFromUTF8(buf->data(), static_cast<std::int32_t>(buf->size()), &out,
                    reinterpret_cast<const char*>(p), static_cast<std::int32_t>(k), &st);
      return U_SUCCESS(st);
    });
  }

  {
    const std::string* t = &in.utf8[0].second;
    const std::int64_t n = static_cast<std::int64_t>(t->size());
    auto reg = [&](const std::string& impl, std::function<std::size_t(const std::uint8_t*, std::size_t)> f) {
      benchmark::RegisterBenchmark(("ascii/" + impl).c_str(), [t, n, f](benchmark::State& st) {
        for (auto _ : st) {
          std::size_t k = f(bytes_of(*t), t->size());
          benchmark::DoNotOptimize(k);
          if (k != t->size()) st.SkipWithError("wrong length");
        }
        st.SetBytesProcessed(st.iterations() * n);
      });
    };
    reg("ungarble", [](const std::uint8_t* p, std::size_t k) { return ungarble::ascii_prefix_length(p, k); });
    for (simd::Isa isa : {simd::Isa::avx2, simd::Isa::sse42, simd::Isa::scalar}) {
      if (static_cast<int>(isa) > static_cast<int>(simd::detected_isa())) continue;
      reg(std::string("ungarble-") + simd::isa_name(isa),
          [isa](const std::uint8_t* p, std::size_t k) { return simd::ascii_prefix(p, k, isa); });
    }
  }

  for (const DecodeInput& d : in.decode) {
    const DecodeInput* dp = &d;
    const std::int64_t n = static_cast<std::int64_t>(d.bytes.size());
    const std::string base = std::string("decode/") + d.codec->label + "/";
    benchmark::RegisterBenchmark((base + "ungarble").c_str(), [dp, n](benchmark::State& st) {
      for (auto _ : st) {
        ungarble::DecodeResult r = ungarble::decode(std::string_view(dp->bytes), dp->codec->id);
        benchmark::DoNotOptimize(r.text.data());
        if (r.text.size() != dp->utf8.size()) st.SkipWithError("wrong output length");
      }
      st.SetBytesProcessed(st.iterations() * n);
    });
    // The same decoders writing into one reused string, as iconv and ICU write into one reused
    // buffer here: the difference to "ungarble" is the cost of a fresh result per call.
    benchmark::RegisterBenchmark((base + "ungarble-reuse").c_str(), [dp, n](benchmark::State& st) {
      std::string out;
      out.reserve(dp->utf8.size() + 64);
      const std::span<const std::uint8_t> in(bytes_of(dp->bytes), dp->bytes.size());
      for (auto _ : st) {
        out.clear();
        ungarble::StreamDecoder dec(dp->codec->id);
        dec.feed(in, /*last=*/true, out);
        benchmark::DoNotOptimize(out.data());
        if (out.size() != dp->utf8.size()) st.SkipWithError("wrong output length");
      }
      st.SetBytesProcessed(st.iterations() * n);
    });
    benchmark::RegisterBenchmark((base + "iconv").c_str(), [dp, n](benchmark::State& st) {
      Iconv cd("UTF-8", dp->codec->iconv);
      std::vector<char> out(dp->utf8.size() + 64);
      for (auto _ : st) {
        long k = cd.run(dp->bytes, out.data(), out.size());
        benchmark::DoNotOptimize(out.data());
        if (k != static_cast<long>(dp->utf8.size())) st.SkipWithError("wrong output length");
      }
      st.SetBytesProcessed(st.iterations() * n);
    });
    benchmark::RegisterBenchmark((base + "icu").c_str(), [dp, n](benchmark::State& st) {
      IcuToUtf8 cv(dp->codec->icu);
      std::vector<char> out(dp->utf8.size() + 64);
      for (auto _ : st) {
        long k = cv.run(dp->bytes, out.data(), out.size());
        benchmark::DoNotOptimize(out.data());
        if (k != static_cast<long>(dp->utf8.size())) st.SkipWithError("wrong output length");
      }
      st.SetBytesProcessed(st.iterations() * n);
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  register_all();
  const Inputs& in = inputs();
  benchmark::AddCustomContext("utf8_kernel", simd::isa_name(simd::active_isa()));
  // What was measured, for the report (stderr keeps the JSON on stdout clean).
  std::fprintf(stderr, "ungarble_bench: utf8 kernel in use: %s\n",
               simd::isa_name(simd::active_isa()));
  for (const DecodeInput& d : in.decode)
    std::fprintf(stderr, "ungarble_bench: input %-13s %8zu bytes → %8zu bytes of UTF-8\n",
                 d.codec->label, d.bytes.size(), d.utf8.size());
  for (const auto& [name, text] : in.utf8)
    std::fprintf(stderr, "ungarble_bench: utf8 input %-11s %8zu bytes\n", name.c_str(), text.size());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
