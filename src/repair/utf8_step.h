// utf8_step.h — stepping through UTF-8 that is already known to be well formed.
//
// The repair code walks the text it was given (checked on entry) and the readings it made
// itself (its codecs only emit valid UTF-8), so it needs no validation on each step: the lead
// byte says how long the sequence is, and the continuation bytes give their six bits each.
// One place for it, so that every walker agrees on where characters begin.
#pragma once

#include <cstddef>
#include <string_view>

namespace ungarble::repair_detail {

// Bytes in the sequence a lead byte starts (1 for ASCII; the caller's text is well formed,
// so a continuation byte is never asked about).
constexpr std::size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// The code point starting at s[i]; i moves past it. A sequence cut short by the end of s
// keeps the bits it has (i then points past the end).
inline char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const std::size_t n = utf8_length(b);
  char32_t c = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
  for (std::size_t k = 1; k < n && i + k < s.size(); ++k) c = (c << 6) | (s[i + k] & 0x3F);
  i += n;
  return c;
}

}  // namespace ungarble::repair_detail
