// normalize.cpp — the post-steps pipelines apply after decoding: Unicode normalization (via
// utf8proc) and removal of C1 controls (what "cleaners" do to U+0080–U+009F).
#include <cstdlib>
#include <memory>

#include <utf8proc.h>

#include "codec/decoder_core.h"

namespace ungarble {

std::string normalize(std::string_view utf8, Normalization form) {
  int options = UTF8PROC_STABLE;
  switch (form) {
    case Normalization::nfc: options |= UTF8PROC_COMPOSE; break;
    case Normalization::nfd: options |= UTF8PROC_DECOMPOSE; break;
    case Normalization::nfkc: options |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT; break;
    case Normalization::nfkd: options |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT; break;
  }
  // utf8proc rejects ill-formed input; make it well-formed first (one U+FFFD per error).
  std::string clean = is_valid_utf8(utf8) ? std::string(utf8) : decode(utf8, EncodingId::utf_8).text;
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                                    static_cast<utf8proc_ssize_t>(clean.size()), &out,
                                    static_cast<utf8proc_option_t>(options));
  if (n < 0) return clean;
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> hold(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

std::string strip_c1_controls(std::string_view utf8) {
  std::string r;
  r.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    auto b = static_cast<unsigned char>(utf8[i]);
    if (b == 0xC2 && i + 1 < utf8.size()) {
      auto c = static_cast<unsigned char>(utf8[i + 1]);
      if (c >= 0x80 && c <= 0x9F) {
        ++i;
        continue;
      }
    }
    r.push_back(static_cast<char>(b));
  }
  return r;
}

}  // namespace ungarble
