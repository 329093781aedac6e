// cjk_tables.h — the WHATWG indexes and the Microsoft DBCS tables, generated (see tools/gen_tables).
// `inline constexpr`, so the few translation units that include this share one copy.
#pragma once
#include <cstdint>

namespace ungarble::codec::tables {
#include "tables/whatwg_gb18030_encode_extra.inc"
#include "tables/whatwg_index_big5.inc"
#include "tables/whatwg_index_euc_kr.inc"
#include "tables/whatwg_index_gb18030.inc"
#include "tables/whatwg_index_gb18030_ranges.inc"
#include "tables/whatwg_index_iso2022jp_katakana.inc"
#include "tables/whatwg_index_jis0208.inc"
#include "tables/whatwg_index_jis0212.inc"
#include "tables/legacy_cp932.inc"
#include "tables/legacy_cp949.inc"
#include "tables/legacy_cp950.inc"

// "index gb18030 ranges code point" of the standard; 0xFFFFFFFF when null.
inline std::uint32_t gb18030_ranges_code_point(std::uint32_t pointer) {
  if ((pointer > 39419 && pointer < 189000) || pointer > 1237575) return 0xFFFFFFFF;
  if (pointer == 7457) return 0xE7C7;
  constexpr std::uint32_t n = sizeof(kIndexGb18030Ranges) / sizeof(kIndexGb18030Ranges[0]) / 2;
  std::uint32_t lo = 0, hi = n;  // last entry whose pointer <= pointer
  while (hi - lo > 1) {
    std::uint32_t mid = (lo + hi) / 2;
    if (kIndexGb18030Ranges[2 * mid] <= pointer) lo = mid; else hi = mid;
  }
  return kIndexGb18030Ranges[2 * lo + 1] + pointer - kIndexGb18030Ranges[2 * lo];
}

// "index gb18030 ranges pointer" of the standard.
inline std::uint32_t gb18030_ranges_pointer(std::uint32_t cp) {
  if (cp == 0xE7C7) return 7457;
  constexpr std::uint32_t n = sizeof(kIndexGb18030Ranges) / sizeof(kIndexGb18030Ranges[0]) / 2;
  std::uint32_t lo = 0, hi = n;  // last entry whose code point <= cp
  while (hi - lo > 1) {
    std::uint32_t mid = (lo + hi) / 2;
    if (kIndexGb18030Ranges[2 * mid + 1] <= cp) lo = mid; else hi = mid;
  }
  return kIndexGb18030Ranges[2 * lo] + cp - kIndexGb18030Ranges[2 * lo + 1];
}

}  // namespace ungarble::codec::tables
