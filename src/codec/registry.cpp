// registry.cpp — names and labels of every encoding, and label look-up.
//
// WHATWG labels come from the generated tables/whatwg_labels.inc, so they stay exactly the
// standard's. On top of them we accept the spellings people type (utf_8, ShiftJIS, cp-1252):
// when a label is not found as is, it is compared with '-', '_', ' ' and '.' removed.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "ungarble/codec.h"
#include "util/edit_distance.h"

namespace ungarble {
namespace {

struct LabelSet {
  std::string_view name;
  std::vector<std::string_view> labels;
};

// clang-format off
const std::vector<LabelSet>& label_sets() {
  static const std::vector<LabelSet> sets = [] {
    std::vector<LabelSet> v;
#define UNGARBLE_LABELS(name, ...) v.push_back({name, {__VA_ARGS__}});
#include "tables/whatwg_labels.inc"
#undef UNGARBLE_LABELS
    // Legacy code pages (not WHATWG). Their labels never shadow a WHATWG label.
    v.push_back({"x-iso-8859-1", {"x-iso-8859-1", "iso-8859-1-c1", "latin1-c1", "iso-8859-1-strict"}});
    v.push_back({"ibm437", {"ibm437", "cp437", "437", "cspc8codepage437", "dos-437"}});
    v.push_back({"ibm850", {"ibm850", "cp850", "850", "cspc850multilingual", "dos-850"}});
    v.push_back({"ibm852", {"ibm852", "cp852", "852", "cspcp852", "dos-852"}});
    v.push_back({"ibm1125", {"ibm1125", "cp1125", "1125", "cp866u", "ruscii"}});
    v.push_back({"cp932", {"cp932", "ibm-943", "ms_cp932"}});
    v.push_back({"cp949", {"cp949", "uhc", "ms_cp949"}});
    v.push_back({"cp950", {"cp950", "ms950", "ms_cp950"}});
    v.push_back({"x-cp1252-strict", {"x-cp1252-strict", "cp1252-strict", "windows-1252-strict"}});
    v.push_back({"utf-32le", {"utf-32le", "utf-32", "ucs-4le", "x-utf-32le"}});
    v.push_back({"utf-32be", {"utf-32be", "ucs-4", "ucs-4be", "iso-10646-ucs-4", "csucs4", "x-utf-32be"}});
    // Common aliases of WHATWG encodings that the standard does not list.
    auto add = [&v](std::string_view name, std::initializer_list<std::string_view> extra) {
      for (auto& s : v)
        if (s.name == name) s.labels.insert(s.labels.end(), extra);
    };
    add("gbk", {"cp936", "ms936", "windows-936", "gb2312-80", "euc-cn", "euccn"});
    add("gb18030", {"gb-18030", "gb18030-2022"});
    add("big5", {"big5hkscs"});
    add("euc-jp", {"eucjp", "ujis"});
    add("euc-kr", {"euckr"});
    add("shift_jis", {"shiftjis", "s-jis"});
    add("macintosh", {"mac-roman", "macroman"});
    add("utf-16le", {"utf16le"});
    add("utf-16be", {"utf16be"});
    add("koi8-u", {"koi8u"});
    add("ibm866", {"dos-866"});
    return v;
  }();
  return sets;
}
// clang-format on

constexpr std::array<std::pair<EncodingId, std::string_view>, kEncodingCount> kNames = {{
    {EncodingId::utf_8, "utf-8"},
    {EncodingId::ibm866, "ibm866"},
    {EncodingId::iso_8859_2, "iso-8859-2"},
    {EncodingId::iso_8859_3, "iso-8859-3"},
    {EncodingId::iso_8859_4, "iso-8859-4"},
    {EncodingId::iso_8859_5, "iso-8859-5"},
    {EncodingId::iso_8859_6, "iso-8859-6"},
    {EncodingId::iso_8859_7, "iso-8859-7"},
    {EncodingId::iso_8859_8, "iso-8859-8"},
    {EncodingId::iso_8859_8_i, "iso-8859-8-i"},
    {EncodingId::iso_8859_10, "iso-8859-10"},
    {EncodingId::iso_8859_13, "iso-8859-13"},
    {EncodingId::iso_8859_14, "iso-8859-14"},
    {EncodingId::iso_8859_15, "iso-8859-15"},
    {EncodingId::iso_8859_16, "iso-8859-16"},
    {EncodingId::koi8_r, "koi8-r"},
    {EncodingId::koi8_u, "koi8-u"},
    {EncodingId::macintosh, "macintosh"},
    {EncodingId::windows_874, "windows-874"},
    {EncodingId::windows_1250, "windows-1250"},
    {EncodingId::windows_1251, "windows-1251"},
    {EncodingId::windows_1252, "windows-1252"},
    {EncodingId::windows_1253, "windows-1253"},
    {EncodingId::windows_1254, "windows-1254"},
    {EncodingId::windows_1255, "windows-1255"},
    {EncodingId::windows_1256, "windows-1256"},
    {EncodingId::windows_1257, "windows-1257"},
    {EncodingId::windows_1258, "windows-1258"},
    {EncodingId::x_mac_cyrillic, "x-mac-cyrillic"},
    {EncodingId::gbk, "gbk"},
    {EncodingId::gb18030, "gb18030"},
    {EncodingId::big5, "big5"},
    {EncodingId::euc_jp, "euc-jp"},
    {EncodingId::iso_2022_jp, "iso-2022-jp"},
    {EncodingId::shift_jis, "shift_jis"},
    {EncodingId::euc_kr, "euc-kr"},
    {EncodingId::replacement, "replacement"},
    {EncodingId::utf_16be, "utf-16be"},
    {EncodingId::utf_16le, "utf-16le"},
    {EncodingId::x_user_defined, "x-user-defined"},
    {EncodingId::iso_8859_1, "x-iso-8859-1"},
    {EncodingId::ibm437, "ibm437"},
    {EncodingId::ibm850, "ibm850"},
    {EncodingId::ibm852, "ibm852"},
    {EncodingId::ibm1125, "ibm1125"},
    {EncodingId::cp932, "cp932"},
    {EncodingId::cp949, "cp949"},
    {EncodingId::cp950, "cp950"},
    {EncodingId::x_cp1252_strict, "x-cp1252-strict"},
    {EncodingId::utf_32le, "utf-32le"},
    {EncodingId::utf_32be, "utf-32be"},
}};

EncodingKind kind_of(EncodingId id) {
  using E = EncodingId;
  switch (id) {
    case E::utf_8: case E::utf_16be: case E::utf_16le: case E::utf_32le: case E::utf_32be:
      return EncodingKind::utf;
    case E::gbk: case E::gb18030: case E::big5: case E::euc_jp: case E::iso_2022_jp:
    case E::shift_jis: case E::euc_kr: case E::cp932: case E::cp949: case E::cp950:
      return EncodingKind::multi_byte;
    case E::replacement: case E::x_user_defined: return EncodingKind::special;
    default: return EncodingKind::single_byte;
  }
}

struct Table {
  std::array<Encoding, kEncodingCount> enc;
  Table() {
    const auto& sets = label_sets();
    for (std::size_t i = 0; i < kEncodingCount; ++i) {
      auto [id, name] = kNames[i];
      std::span<const std::string_view> labels;
      for (const auto& s : sets)
        if (s.name == name) labels = s.labels;
      bool whatwg = id < EncodingId::iso_8859_1;
      bool ascii = id != EncodingId::iso_2022_jp && id != EncodingId::utf_16be &&
                   id != EncodingId::utf_16le && id != EncodingId::replacement &&
                   id != EncodingId::utf_32le && id != EncodingId::utf_32be;
      enc[i] = Encoding{id, name, kind_of(id), whatwg, ascii, labels};
    }
  }
};

const Table& table() {
  static const Table t;
  return t;
}

std::string lower_trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string squash(std::string_view s) {
  std::string r;
  for (char c : s)
    if (c != '-' && c != '_' && c != ' ' && c != '.') r.push_back(c);
  return r;
}

}  // namespace

const Encoding& encoding(EncodingId id) noexcept {
  return table().enc[static_cast<std::size_t>(id)];
}

std::span<const Encoding> all_encodings() noexcept { return table().enc; }

const Encoding* find_encoding(std::string_view label) noexcept {
  std::string l = lower_trim(label);
  if (l.empty()) return nullptr;
  for (const auto& e : table().enc)
    for (auto x : e.labels)
      if (x == l) return &e;
  std::string sq = squash(l);
  if (sq.empty()) return nullptr;
  for (const auto& e : table().enc)
    for (auto x : e.labels)
      if (squash(x) == sq) return &e;
  return nullptr;
}

std::string_view closest_label(std::string_view unknown) noexcept {
  std::string l = lower_trim(unknown);
  std::string_view best;
  std::size_t best_d = ~std::size_t{0};
  for (const auto& e : table().enc)
    for (auto x : e.labels) {
      std::size_t d = util::edit_distance(l, x);
      if (d < best_d) best_d = d, best = x;
    }
  return best;
}

}  // namespace ungarble
