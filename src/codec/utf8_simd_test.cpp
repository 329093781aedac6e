// utf8_simd_test.cpp — the UTF-8 kernels (scalar, SSE4.2, AVX2) against a reference written here
// from the definition (decode a code point, then reject overlongs, surrogates and values above
// U+10FFFF), on: every 1-, 2- and 3-byte string, alone and straddling vector/block boundaries; a
// structured and a random sample of 4-byte strings; every error class at every offset of 64- and
// 128-byte blocks, after ASCII and after non-ASCII text; random valid text with one byte
// corrupted; and ASCII runs of every length and alignment.
#include "codec/utf8_simd.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <span>
#include <random>
#include <string>
#include <vector>

namespace {

using ungarble::codec::utf8_simd::Isa;
namespace simd = ungarble::codec::utf8_simd;
using Bytes = std::vector<std::uint8_t>;

// UNGARBLE_DIFF_QUICK (set by the sanitizer run of `make test`) keeps the exhaustive parts
// exhaustive but embeds fewer of them in longer text and draws fewer random cases.
bool quick() { return std::getenv("UNGARBLE_DIFF_QUICK") != nullptr; }

// ---- Reference -----------------------------------------------------------------------------------

// Offset of the first byte of the first ill-formed or truncated sequence; n when all is valid.
std::size_t ref_valid_prefix(const std::uint8_t* p, std::size_t n) {
  static constexpr std::uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t b = p[i];
    std::size_t len;
    std::uint32_t cp;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2, cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3, cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4, cp = b & 0x07;
    } else {
      return i;
    }
    if (n - i < len) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}
std::size_t ref_valid_prefix(const Bytes& b) { return ref_valid_prefix(b.data(), b.size()); }

void append_utf8(Bytes& out, std::uint32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<std::uint8_t>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<std::uint8_t>(0xC0 | (c >> 6)));
    out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<std::uint8_t>(0xE0 | (c >> 12)));
    out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<std::uint8_t>(0xF0 | (c >> 18)));
    out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<std::uint8_t>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<std::uint8_t>(0x80 | (c & 0x3F)));
  }
}

// The kernels this CPU can run (the scalar one always).
std::vector<Isa> isas() {
  std::vector<Isa> v{Isa::scalar};
  if (static_cast<int>(simd::detected_isa()) >= static_cast<int>(Isa::sse42)) v.push_back(Isa::sse42);
  if (static_cast<int>(simd::detected_isa()) >= static_cast<int>(Isa::avx2)) v.push_back(Isa::avx2);
  return v;
}

std::string hex(const std::uint8_t* p, std::size_t n, std::size_t limit = 48) {
  static const char* d = "0123456789ABCDEF";
  std::string s;
  for (std::size_t i = 0; i < n && i < limit; ++i) {
    if (i) s += ' ';
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  if (n > limit) s += " …";
  return s;
}

// Checks every kernel (validate and valid_prefix) on p[0, n) against `want` (the reference
// prefix); returns false (after one failure message) at the first disagreement.
bool all_agree(const std::uint8_t* p, std::size_t n, std::size_t want, const char* what) {
  for (Isa isa : isas()) {
    const bool v = simd::validate(p, n, isa);
    const std::size_t vp = simd::valid_prefix(p, n, isa);
    if (v != (want == n) || vp != want) {
      ADD_FAILURE() << what << " [" << simd::isa_name(isa) << "] n=" << n << " validate=" << v
                    << " valid_prefix=" << vp << " want=" << want << " bytes: " << hex(p, n);
      return false;
    }
  }
  return true;
}
bool all_agree(const Bytes& b, const char* what) {
  return all_agree(b.data(), b.size(), ref_valid_prefix(b), what);
}

// Valid filler of exactly `len` bytes: ASCII, or mixed 2/3/4-byte characters padded with ASCII.
Bytes filler(std::size_t len, bool ascii_only, std::uint32_t seed = 1) {
  static constexpr std::uint32_t kChars[] = {0xE9, 0x4E2D, 0x1F600, 0x430, 0x10FFFF, 0x800, 0x7FF,
                                             0xFFFD, 0x10000, 0xD7FF, 0xE000, 0x80};
  Bytes b;
  std::size_t k = seed;
  while (b.size() < len) {
    std::uint32_t c = ascii_only ? 'a' + (k % 26) : kChars[k % std::size(kChars)];
    Bytes t;
    append_utf8(t, c);
    if (b.size() + t.size() > len) t = {static_cast<std::uint8_t>('A' + k % 26)};
    b.insert(b.end(), t.begin(), t.end());
    ++k;
  }
  return b;
}

// ---- The reference itself --------------------------------------------------------------------

TEST(Utf8Reference, KnownCases) {
  auto prefix = [](std::initializer_list<int> v) {
    Bytes b;
    for (int x : v) b.push_back(static_cast<std::uint8_t>(x));
    return ref_valid_prefix(b);
  };
  EXPECT_EQ(prefix({0x41, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80}), 10u);
  EXPECT_EQ(prefix({0xEF, 0xBF, 0xBF, 0xF4, 0x8F, 0xBF, 0xBF}), 7u);  // U+FFFF, U+10FFFF
  EXPECT_EQ(prefix({0x41, 0xC0, 0x80}), 1u);                          // overlong 2
  EXPECT_EQ(prefix({0xC1, 0xBF}), 0u);
  EXPECT_EQ(prefix({0xE0, 0x9F, 0xBF}), 0u);                          // overlong 3
  EXPECT_EQ(prefix({0xF0, 0x8F, 0xBF, 0xBF}), 0u);                    // overlong 4
  EXPECT_EQ(prefix({0xED, 0xA0, 0x80}), 0u);                          // surrogate
  EXPECT_EQ(prefix({0xED, 0x9F, 0xBF}), 3u);                          // U+D7FF
  EXPECT_EQ(prefix({0xF4, 0x90, 0x80, 0x80}), 0u);                    // U+110000
  EXPECT_EQ(prefix({0xF5, 0x80, 0x80, 0x80}), 0u);
  EXPECT_EQ(prefix({0xC3, 0xA9, 0xA9}), 2u);                          // stray continuation
  EXPECT_EQ(prefix({0x41, 0xE2, 0x82}), 1u);                          // truncated
  EXPECT_EQ(prefix({0xFF}), 0u);
}

// ---- Exhaustive short strings ------------------------------------------------------------------

TEST(Utf8Simd, AllOneAndTwoByteStrings) {
  for (int a = 0; a < 256; ++a) {
    Bytes b{static_cast<std::uint8_t>(a)};
    ASSERT_TRUE(all_agree(b, "1-byte"));
  }
  for (int a = 0; a < 256; ++a)
    for (int c = 0; c < 256; ++c) {
      Bytes b{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(c)};
      ASSERT_TRUE(all_agree(b, "2-byte"));
    }
}

// Every 3-byte string: alone (the padded-tail path), and inside 192 bytes of valid text at
// offsets that make it straddle a 16-byte lane, a 32-byte vector and a 64-byte block boundary,
// after ASCII and after non-ASCII text.
TEST(Utf8Simd, AllThreeByteStrings) {
  struct Place {
    std::size_t off;
    bool ascii;
  };
  const Place all_places[] = {{63, false}, {62, true}, {15, false}, {126, false}};
  const std::span<const Place> places(all_places, quick() ? 1 : std::size(all_places));
  std::vector<Bytes> bufs;
  for (const Place& pl : places) {
    Bytes b = filler(pl.off, pl.ascii, 3);
    b.insert(b.end(), 3, 0);
    Bytes tail = filler(192 - b.size(), pl.ascii, 5);
    b.insert(b.end(), tail.begin(), tail.end());
    bufs.push_back(std::move(b));
  }
  const std::vector<Isa> ks = isas();
  std::uint64_t valid = 0;
  for (std::uint32_t x = 0; x < (1u << 24); ++x) {
    const std::uint8_t s[3] = {static_cast<std::uint8_t>(x >> 16), static_cast<std::uint8_t>(x >> 8),
                               static_cast<std::uint8_t>(x)};
    const std::size_t want = ref_valid_prefix(s, 3);
    valid += want == 3;
    for (Isa isa : ks) {
      if (simd::validate(s, 3, isa) != (want == 3) || simd::valid_prefix(s, 3, isa) != want) {
        ASSERT_TRUE(all_agree(s, 3, want, "3-byte alone"));
      }
    }
    // Embedded: the filler ends and starts on character boundaries, so the whole buffer is valid
    // exactly when the 3 bytes are, and the first error is where it is in the 3 bytes.
    for (std::size_t k = 0; k < places.size(); ++k) {
      Bytes& b = bufs[k];
      const std::size_t off = places[k].off;
      std::memcpy(b.data() + off, s, 3);
      const std::size_t want_b = want == 3 ? b.size() : off + want;
      for (Isa isa : ks) {
        if (simd::validate(b.data(), b.size(), isa) != (want == 3) ||
            (x % 7 == 0 && simd::valid_prefix(b.data(), b.size(), isa) != want_b)) {
          ASSERT_EQ(ref_valid_prefix(b), want_b) << "test bug";
          ASSERT_TRUE(all_agree(b.data(), b.size(), want_b, "3-byte embedded"));
        }
      }
    }
  }
  // 1-byte: 128; 2-byte: 1920 code points; 3-byte: 61440 (U+0800–U+FFFF minus surrogates).
  // Valid 3-byte strings: ASCII×3, every mix of 1- and 2-byte, plus one 3-byte character.
  EXPECT_EQ(valid, 128ull * 128 * 128 + 2 * 128ull * 1920 + 61440);
}

// 4-byte strings: every lead F0–F7 (and C2, E0, ED, 80, 41 for contrast) × every 2nd byte × every
// 3rd byte × a set of 4th bytes at each class edge; then random strings drawn from edge bytes and
// from all bytes. Alone and straddling a 64-byte block boundary.
TEST(Utf8Simd, FourByteStrings) {
  const std::uint8_t edges[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0,
                                0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  const std::uint8_t leads[] = {0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7,
                                0xC2, 0xE0, 0xED, 0x80, 0x41};
  Bytes emb = filler(62, false, 7);
  emb.insert(emb.end(), 4, 0);
  Bytes tail = filler(128 - emb.size(), false, 9);
  emb.insert(emb.end(), tail.begin(), tail.end());
  const std::vector<Isa> ks = isas();
  auto check = [&](const std::uint8_t s[4]) -> bool {
    const std::size_t want = ref_valid_prefix(s, 4);
    std::memcpy(emb.data() + 62, s, 4);
    const std::size_t want_b = want == 4 ? emb.size() : 62 + want;
    for (Isa isa : ks) {
      if (simd::validate(s, 4, isa) != (want == 4) || simd::valid_prefix(s, 4, isa) != want)
        return all_agree(s, 4, want, "4-byte alone");
      if (simd::validate(emb.data(), emb.size(), isa) != (want == 4) ||
          simd::valid_prefix(emb.data(), emb.size(), isa) != want_b)
        return all_agree(emb.data(), emb.size(), want_b, "4-byte embedded");
    }
    return true;
  };
  std::uint64_t n = 0, valid = 0;
  for (std::uint8_t a : leads)
    for (int b = 0; b < 256; ++b)
      for (int c = 0; c < 256; ++c)
        for (std::uint8_t d : edges) {
          const std::uint8_t s[4] = {a, static_cast<std::uint8_t>(b), static_cast<std::uint8_t>(c), d};
          ASSERT_TRUE(check(s));
          ++n;
          valid += ref_valid_prefix(s, 4) == 4;
        }
  std::mt19937_64 rng(20240601);
  for (int i = 0, end = quick() ? 200'000 : 2'000'000; i < end; ++i) {
    std::uint64_t r = rng();
    std::uint8_t s[4];
    for (int k = 0; k < 4; ++k)
      s[k] = (i & 1) ? edges[(r >> (8 * k)) % std::size(edges)] : static_cast<std::uint8_t>(r >> (8 * k));
    ASSERT_TRUE(check(s));
    ++n;
  }
  EXPECT_GT(valid, 100000u);  // the structured part really contains valid 4-byte characters
  EXPECT_GT(n, 8'000'000u);
}

// ---- Every error class at every offset -----------------------------------------------------------

struct ErrorCase {
  const char* name;
  Bytes bytes;
};
const std::vector<ErrorCase>& error_cases() {
  static const std::vector<ErrorCase> v = {
      {"lone continuation 80", {0x80}},
      {"lone continuation BF", {0xBF}},
      {"overlong 2 C0 80", {0xC0, 0x80}},
      {"overlong 2 C1 BF", {0xC1, 0xBF}},
      {"overlong 3 E0 80 80", {0xE0, 0x80, 0x80}},
      {"overlong 3 E0 9F BF", {0xE0, 0x9F, 0xBF}},
      {"overlong 4 F0 80 80 80", {0xF0, 0x80, 0x80, 0x80}},
      {"overlong 4 F0 8F BF BF", {0xF0, 0x8F, 0xBF, 0xBF}},
      {"surrogate ED A0 80", {0xED, 0xA0, 0x80}},
      {"surrogate ED BF BF", {0xED, 0xBF, 0xBF}},
      {"too large F4 90 80 80", {0xF4, 0x90, 0x80, 0x80}},
      {"too large F4 BF BF BF", {0xF4, 0xBF, 0xBF, 0xBF}},
      {"too large F5 80 80 80", {0xF5, 0x80, 0x80, 0x80}},
      {"too large F7 BF BF BF", {0xF7, 0xBF, 0xBF, 0xBF}},
      {"5-byte F8 88 80 80 80", {0xF8, 0x88, 0x80, 0x80, 0x80}},
      {"byte FE", {0xFE}},
      {"byte FF", {0xFF}},
      {"2-byte lead then ASCII", {0xC3, 0x41}},
      {"3-byte lead then ASCII", {0xE2, 0x41}},
      {"3-byte cut after 2", {0xE2, 0x82, 0x41}},
      {"4-byte cut after 2", {0xF0, 0x9F, 0x41}},
      {"4-byte cut after 3", {0xF0, 0x9F, 0x98, 0x41}},
      {"2-byte lead then lead", {0xC3, 0xC3, 0xA9}},
      {"3-byte cut by a lead", {0xE2, 0x82, 0xE2, 0x82, 0xAC}},
      {"4-byte cut by a lead", {0xF0, 0x9F, 0x98, 0xC3, 0xA9}},
      {"extra continuation after 2", {0xC3, 0xA9, 0xA9}},
      {"extra continuation after 3", {0xE2, 0x82, 0xAC, 0x80}},
      {"extra continuation after 4", {0xF0, 0x9F, 0x98, 0x80, 0x80}},
  };
  return v;
}

// Each error at each offset 0..259 (so at every position of a 64- and 128-byte block, and at
// the last positions of the input), after ASCII and after non-ASCII text, followed by valid text
// or by the end of the input.
TEST(Utf8Simd, EveryErrorAtEveryOffset) {
  for (const ErrorCase& e : error_cases()) {
    ASSERT_LT(ref_valid_prefix(e.bytes), e.bytes.size()) << e.name << " is not an error";
    for (bool ascii : {true, false}) {
      for (std::size_t off = 0; off < 260; ++off) {
        for (std::size_t after : {std::size_t{0}, std::size_t{1}, std::size_t{70}, std::size_t{200}}) {
          Bytes b = filler(off, ascii, static_cast<std::uint32_t>(off));
          b.insert(b.end(), e.bytes.begin(), e.bytes.end());
          Bytes t = filler(after, ascii, 11);
          b.insert(b.end(), t.begin(), t.end());
          const std::size_t want = ref_valid_prefix(b);
          ASSERT_LT(want, b.size());
          ASSERT_GE(want, off);
          ASSERT_TRUE(all_agree(b.data(), b.size(), want, e.name)) << "offset " << off;
        }
      }
    }
  }
}

// Sequences cut short by the end of the input, ending at every position.
TEST(Utf8Simd, TruncatedAtEndEveryLength) {
  const Bytes cuts[] = {{0xC3}, {0xE2}, {0xE2, 0x82}, {0xF0}, {0xF0, 0x9F}, {0xF0, 0x9F, 0x98}};
  for (const Bytes& c : cuts)
    for (bool ascii : {true, false})
      for (std::size_t len = 0; len < 300; ++len) {
        Bytes b = filler(len, ascii, 2);
        b.insert(b.end(), c.begin(), c.end());
        ASSERT_TRUE(all_agree(b.data(), b.size(), len, "truncated at end")) << "prefix " << len;
      }
}

// Valid text of every length ending exactly at and around block boundaries.
TEST(Utf8Simd, ValidTextEveryLength) {
  std::mt19937 rng(7);
  for (std::size_t len = 0; len < 600; ++len)
    for (bool ascii : {true, false}) {
      Bytes b = filler(len, ascii, static_cast<std::uint32_t>(rng()));
      ASSERT_EQ(ref_valid_prefix(b), b.size());
      ASSERT_TRUE(all_agree(b.data(), b.size(), b.size(), "valid text"));
    }
}

// ---- Random text, one byte corrupted -------------------------------------------------------

// Code points weighted like real text: ASCII, Latin/Cyrillic, CJK, astral, and the range edges.
std::uint32_t random_code_point(std::mt19937_64& rng) {
  static constexpr std::uint32_t kEdges[] = {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD,
                                             0xFFFF, 0x10000, 0x10FFFF};
  switch (rng() % 8) {
    case 0: case 1: return 0x20 + rng() % 0x5F;
    case 2: return 0x80 + rng() % 0x780;
    case 3: case 4: return 0x800 + rng() % (0xD800 - 0x800);
    case 5: return 0xE000 + rng() % 0x2000;
    case 6: return 0x10000 + rng() % 0x100000;
    default: return kEdges[rng() % std::size(kEdges)];
  }
}

TEST(Utf8Simd, RandomTextOneCorruptedByte) {
  std::mt19937_64 rng(42);
  std::uint64_t invalid = 0;
  for (int iter = 0, end = quick() ? 20'000 : 100'000; iter < end; ++iter) {
    Bytes b;
    const std::size_t chars = rng() % 400;
    const bool mostly_ascii = rng() % 3 == 0;
    for (std::size_t k = 0; k < chars; ++k)
      append_utf8(b, mostly_ascii && rng() % 16 ? 0x20 + rng() % 0x5F : random_code_point(rng));
    ASSERT_TRUE(all_agree(b, "random valid"));
    if (b.empty()) continue;
    const std::size_t pos = rng() % b.size();
    const std::uint8_t edges[] = {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF, 0x41};
    b[pos] = rng() % 2 ? static_cast<std::uint8_t>(rng()) : edges[rng() % std::size(edges)];
    invalid += ref_valid_prefix(b) != b.size();
    ASSERT_TRUE(all_agree(b, "random corrupted")) << "corrupted at " << pos;
    // Also from an unaligned start and with the end cut at a random place.
    const std::size_t from = rng() % (b.size() + 1), to = from + rng() % (b.size() - from + 1);
    Bytes sub(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(to));
    ASSERT_TRUE(all_agree(sub, "random slice"));
  }
  EXPECT_GT(invalid, quick() ? 10'000u : 50'000u);  // most corruptions are detectable, and were detected as such
}

// ---- ASCII runs ------------------------------------------------------------------------------

TEST(Utf8Simd, AsciiPrefixEveryLengthAndAlignment) {
  std::vector<std::uint8_t> store(600);
  for (std::size_t align = 0; align < 32; ++align)
    for (std::size_t n = 0; n < 300; ++n)
      for (std::size_t stop = 0; stop <= n; ++stop) {
        if (stop != n && stop > 70 && stop % 5 != 0 && n - stop > 3) continue;  // keep it quick
        std::uint8_t* p = store.data() + align;
        for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(0x20 + (i * 7) % 0x5F);
        if (stop < n) p[stop] = static_cast<std::uint8_t>(0x80 + (stop * 13) % 0x80);
        if (stop + 1 < n) p[stop + 1] = 0xFF;  // beyond the first non-ASCII: must not matter
        p[n] = 0xC3;                            // just past the end: must not be read as data
        for (Isa isa : isas())
          ASSERT_EQ(simd::ascii_prefix(p, n, isa), stop)
              << simd::isa_name(isa) << " n=" << n << " align=" << align;
        ASSERT_EQ(ungarble::ascii_prefix_length(p, n), stop);
        ASSERT_EQ(ungarble::ascii_prefix_length(std::span<const std::uint8_t>(p, n)), stop);
      }
}

// ---- Dispatch ------------------------------------------------------------------------------

TEST(Utf8Simd, DispatchPathsAgree) {
  std::mt19937_64 rng(99);
  std::vector<Bytes> inputs;
  for (int i = 0; i < 300; ++i) {
    Bytes b;
    const std::size_t chars = rng() % 3000;
    for (std::size_t k = 0; k < chars; ++k) append_utf8(b, random_code_point(rng));
    if (i % 2 && !b.empty()) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
    inputs.push_back(std::move(b));
  }
  std::vector<bool> base_valid;
  std::vector<std::size_t> base_prefix, base_ascii;
  for (Isa isa : isas()) {
    ASSERT_EQ(simd::force_isa(isa), isa);
    ASSERT_EQ(simd::active_isa(), isa);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const Bytes& b = inputs[i];
      const bool v = ungarble::is_valid_utf8(std::span<const std::uint8_t>(b.data(), b.size()));
      const std::size_t vp = ungarble::utf8_valid_prefix_length(b.data(), b.size());
      const std::size_t ap = ungarble::ascii_prefix_length(std::span<const std::uint8_t>(b.data(), b.size()));
      EXPECT_EQ(v, ref_valid_prefix(b) == b.size()) << simd::isa_name(isa);
      EXPECT_EQ(vp, ref_valid_prefix(b)) << simd::isa_name(isa);
      if (isa == Isa::scalar) {
        base_valid.push_back(v), base_prefix.push_back(vp), base_ascii.push_back(ap);
      } else {
        EXPECT_EQ(v, base_valid[i]) << simd::isa_name(isa);
        EXPECT_EQ(vp, base_prefix[i]) << simd::isa_name(isa);
        EXPECT_EQ(ap, base_ascii[i]) << simd::isa_name(isa);
      }
    }
  }
  simd::reset_isa();
  EXPECT_EQ(simd::active_isa(), simd::detected_isa());
}

TEST(Utf8Simd, ForcingAboveTheCpuIsClamped) {
  EXPECT_EQ(simd::force_isa(Isa::avx2), simd::detected_isa());
  simd::reset_isa();
  EXPECT_EQ(simd::force_isa(Isa::scalar), Isa::scalar);
  simd::reset_isa();
}

TEST(Utf8Simd, ReportsTheKernelInUse) {
  // Not an assertion on the CPU: a record in the test log of what was exercised here.
  std::cout << "[ utf8 ] detected kernel: " << simd::isa_name(simd::detected_isa()) << "\n";
#if defined(__x86_64__) && !defined(UNGARBLE_NO_SIMD)
  if (__builtin_cpu_supports("avx2")) {
    EXPECT_EQ(simd::detected_isa(), Isa::avx2);
  }
#endif
}

}  // namespace
