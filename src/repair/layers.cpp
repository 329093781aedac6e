#include "repair/layers.h"

namespace ungarble::repair_detail {

std::vector<Layer> candidate_layers(std::optional<EncodingId> only_original) {
  using E = EncodingId;
  static const E western[] = {E::windows_1252, E::iso_8859_1};
  static const E other_single[] = {E::windows_1250, E::windows_1251, E::windows_1253,
                                   E::windows_1254, E::windows_1255, E::windows_1256,
                                   E::windows_1257, E::iso_8859_2,   E::iso_8859_15,
                                   E::koi8_r,       E::ibm866,       E::macintosh,
                                   E::ibm437,       E::ibm850,       E::windows_874};
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

bool peel(std::string_view text, const Layer& layer, std::string* out) {
  EncodeResult bytes = encode(text, layer.misread, {EncodeErrorMode::strict});
  if (!bytes.ok || bytes.bytes == text) return false;
  DecodeResult d = decode(bytes.bytes, layer.original, {DecodeErrorMode::strict}, BomPolicy::keep);
  if (!d.ok || d.text == text) return false;
  *out = std::move(d.text);
  return true;
}

bool mojibake_char(char32_t c) {
  return (c >= 0x80 && c <= 0x2FF) || (c >= 0x2500 && c <= 0x259F) || c == 0xFFFD ||
         (c >= 0x2010 && c <= 0x2122) || (c >= 0x384 && c <= 0x3CE) || (c >= 0x400 && c <= 0x45F);
}

}  // namespace ungarble::repair_detail
