// cjk_encoders.cpp — the WHATWG multi-byte encoders and the Microsoft DBCS encoders.
//
// The standard encodes by "index pointer": the first pointer whose entry is the code point
// (Shift_JIS skips pointers 8272–8835; Big5 skips the HKSCS pointers below 5024 and takes the
// last pointer for six duplicated characters). We invert each index once, on first use, into a
// direct table so that each character costs one look-up.
#include <algorithm>
#include <iterator>
#include <mutex>
#include <vector>

#include "codec/cjk_tables.h"
#include "codec/encoder_core.h"

namespace ungarble::codec {
namespace {
using namespace tables;

constexpr std::uint32_t kNone = 0xFFFFFFFF;

// cp → pointer for one index, first pointer wins unless `last` says otherwise.
class ReverseIndex {
 public:
  template <class T, class Skip, class Last>
  ReverseIndex(const T* index, std::size_t n, Skip skip, Last last) {
    std::uint32_t max = 0;
    for (std::size_t i = 0; i < n; ++i) max = std::max<std::uint32_t>(max, index[i]);
    map_.assign(max + 1, kNone);
    for (std::size_t p = 0; p < n; ++p) {
      std::uint32_t c = index[p];
      if (!c || skip(p)) continue;
      if (map_[c] == kNone || last(c)) map_[c] = static_cast<std::uint32_t>(p);
    }
  }
  std::uint32_t operator()(char32_t c) const { return c < map_.size() ? map_[c] : kNone; }

 private:
  std::vector<std::uint32_t> map_;
};

auto no_skip = [](std::size_t) { return false; };
auto first_wins = [](std::uint32_t) { return false; };

const ReverseIndex& jis0208_reverse() {
  static const ReverseIndex r(kIndexJis0208, std::size(kIndexJis0208), no_skip, first_wins);
  return r;
}
const ReverseIndex& shift_jis_reverse() {
  static const ReverseIndex r(
      kIndexJis0208, std::size(kIndexJis0208),
      [](std::size_t p) { return p >= 8272 && p <= 8835; }, first_wins);
  return r;
}
const ReverseIndex& gb18030_reverse() {
  static const ReverseIndex r(kIndexGb18030, std::size(kIndexGb18030), no_skip, first_wins);
  return r;
}
const ReverseIndex& euc_kr_reverse() {
  static const ReverseIndex r(kIndexEucKr, std::size(kIndexEucKr), no_skip, first_wins);
  return r;
}
const ReverseIndex& big5_reverse() {
  static const ReverseIndex r(
      kIndexBig5, std::size(kIndexBig5), [](std::size_t p) { return p < (0xA1 - 0x81) * 157; },
      [](std::uint32_t c) {
        return c == 0x2550 || c == 0x255E || c == 0x2561 || c == 0x256A || c == 0x5341 ||
               c == 0x5345;
      });
  return r;
}

inline void bytes2(std::string& out, std::uint32_t a, std::uint32_t b) {
  out.push_back(static_cast<char>(a));
  out.push_back(static_cast<char>(b));
}

class Gb18030Encoder final : public Encoder {
 public:
  explicit Gb18030Encoder(bool gbk) : gbk_(gbk) {}
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c < 0x80) return out.push_back(static_cast<char>(c)), true;
    if (c == 0xE5E5) return *reported = c, false;
    if (gbk_ && c == 0x20AC) return out.push_back(static_cast<char>(0x80)), true;
    if (c >= 0xE78D && c <= 0xE864)
      for (const auto& row : kGb18030EncodeExtra)
        if (row[0] == c) return bytes2(out, row[1] >> 8, row[1] & 0xFF), true;
    std::uint32_t pointer = gb18030_reverse()(c);
    if (pointer != kNone) {
      std::uint32_t lead = pointer / 190 + 0x81, trail = pointer % 190;
      bytes2(out, lead, trail + (trail < 0x3F ? 0x40 : 0x41));
      return true;
    }
    if (gbk_) return *reported = c, false;
    pointer = gb18030_ranges_pointer(c);
    std::uint32_t b1 = pointer / (10 * 126 * 10);
    pointer %= 10 * 126 * 10;
    std::uint32_t b2 = pointer / (10 * 126);
    pointer %= 10 * 126;
    std::uint32_t b3 = pointer / 10, b4 = pointer % 10;
    bytes2(out, b1 + 0x81, b2 + 0x30);
    bytes2(out, b3 + 0x81, b4 + 0x30);
    return true;
  }

 private:
  bool gbk_;
};

class Big5Encoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c < 0x80) return out.push_back(static_cast<char>(c)), true;
    std::uint32_t pointer = big5_reverse()(c);
    if (pointer == kNone) return *reported = c, false;
    std::uint32_t lead = pointer / 157 + 0x81, trail = pointer % 157;
    bytes2(out, lead, trail + (trail < 0x3F ? 0x40 : 0x62));
    return true;
  }
};

class EucJpEncoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c < 0x80) return out.push_back(static_cast<char>(c)), true;
    if (c == 0xA5) return out.push_back(0x5C), true;
    if (c == 0x203E) return out.push_back(0x7E), true;
    if (c >= 0xFF61 && c <= 0xFF9F) return bytes2(out, 0x8E, c - 0xFF61 + 0xA1), true;
    if (c == 0x2212) c = 0xFF0D;
    std::uint32_t pointer = jis0208_reverse()(c);
    if (pointer == kNone) return *reported = c, false;
    bytes2(out, pointer / 94 + 0xA1, pointer % 94 + 0xA1);
    return true;
  }
};

class ShiftJisEncoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c <= 0x80) return out.push_back(static_cast<char>(c)), true;
    if (c == 0xA5) return out.push_back(0x5C), true;
    if (c == 0x203E) return out.push_back(0x7E), true;
    if (c >= 0xFF61 && c <= 0xFF9F) return out.push_back(static_cast<char>(c - 0xFF61 + 0xA1)), true;
    if (c == 0x2212) c = 0xFF0D;
    std::uint32_t pointer = shift_jis_reverse()(c);
    if (pointer == kNone) return *reported = c, false;
    std::uint32_t lead = pointer / 188, trail = pointer % 188;
    bytes2(out, lead + (lead < 0x1F ? 0x81 : 0xC1), trail + (trail < 0x3F ? 0x40 : 0x41));
    return true;
  }
};

class EucKrEncoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c < 0x80) return out.push_back(static_cast<char>(c)), true;
    std::uint32_t pointer = euc_kr_reverse()(c);
    if (pointer == kNone) return *reported = c, false;
    bytes2(out, pointer / 190 + 0x81, pointer % 190 + 0x41);
    return true;
  }
};

class Iso2022JpEncoder final : public Encoder {
 public:
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    for (;;) {  // a "prepend code point" is the next turn of this loop
      if ((state_ == ascii || state_ == roman) && (c == 0x0E || c == 0x0F || c == 0x1B))
        return *reported = 0xFFFD, false;
      if (state_ == ascii && c < 0x80) return out.push_back(static_cast<char>(c)), true;
      if (state_ == roman && ((c < 0x80 && c != 0x5C && c != 0x7E) || c == 0xA5 || c == 0x203E)) {
        out.push_back(static_cast<char>(c < 0x80 ? c : c == 0xA5 ? 0x5C : 0x7E));
        return true;
      }
      if (c < 0x80) {
        escape(out, 0x28, 0x42), state_ = ascii;
        continue;
      }
      if (c == 0xA5 || c == 0x203E) {
        escape(out, 0x28, 0x4A), state_ = roman;
        continue;
      }
      char32_t k = c == 0x2212 ? 0xFF0D : c;
      if (k >= 0xFF61 && k <= 0xFF9F) k = kIndexIso2022JpKatakana[k - 0xFF61];
      std::uint32_t pointer = jis0208_reverse()(k);
      if (pointer == kNone) {
        if (state_ == jis0208) escape(out, 0x28, 0x42), state_ = ascii;
        return *reported = c, false;
      }
      if (state_ != jis0208) {
        escape(out, 0x24, 0x42), state_ = jis0208;
        continue;
      }
      bytes2(out, pointer / 94 + 0x21, pointer % 94 + 0x21);
      return true;
    }
  }
  void finish(std::string& out) override {
    if (state_ != ascii) escape(out, 0x28, 0x42), state_ = ascii;
  }

 private:
  enum State { ascii, roman, jis0208 } state_ = ascii;
  static void escape(std::string& out, char a, char b) {
    out.push_back(0x1B), out.push_back(a), out.push_back(b);
  }
};

// Microsoft DBCS pages: the generated (code point, bytes) list, searched by binary search.
class DbcsEncoder final : public Encoder {
 public:
  DbcsEncoder(const std::uint32_t (*table)[2], std::size_t n) : table_(table), n_(n) {}
  bool put(char32_t c, std::string& out, char32_t* reported) override {
    if (c < 0x80) return out.push_back(static_cast<char>(c)), true;
    const std::uint32_t(*it)[2] = std::lower_bound(
        table_, table_ + n_, c, [](const std::uint32_t(&e)[2], char32_t v) { return e[0] < v; });
    if (it == table_ + n_ || (*it)[0] != c) return *reported = c, false;
    std::uint32_t b = (*it)[1];
    if (b > 0xFF) out.push_back(static_cast<char>(b >> 8));
    out.push_back(static_cast<char>(b & 0xFF));
    return true;
  }

 private:
  const std::uint32_t (*table_)[2];
  std::size_t n_;
};

}  // namespace

Encoder* new_cjk_encoder(EncodingId id) {
  switch (id) {
    case EncodingId::gbk: return new Gb18030Encoder(true);
    case EncodingId::gb18030: return new Gb18030Encoder(false);
    case EncodingId::big5: return new Big5Encoder();
    case EncodingId::euc_jp: return new EucJpEncoder();
    case EncodingId::iso_2022_jp: return new Iso2022JpEncoder();
    case EncodingId::shift_jis: return new ShiftJisEncoder();
    case EncodingId::euc_kr: return new EucKrEncoder();
    case EncodingId::cp932: return new DbcsEncoder(kCp932Encode, std::size(kCp932Encode));
    case EncodingId::cp949: return new DbcsEncoder(kCp949Encode, std::size(kCp949Encode));
    case EncodingId::cp950: return new DbcsEncoder(kCp950Encode, std::size(kCp950Encode));
    default: return nullptr;
  }
}

}  // namespace ungarble::codec
