// whatwg_oracle.cpp — a thin pipe over the codec API for the differential tests in node.
//
// stdin: one line "decode ENC" or "encode ENC", then records [u32le length][payload].
// stdout per record: decode → [u8 strict_ok][u32le n][UTF-8 text decoded in replace mode];
//                    encode → [u8 ok][u32le n][bytes encoded in strict mode] (payload is UTF-8).
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>

#include "ungarble/codec.h"

using namespace ungarble;

static bool read_exact(void* p, std::size_t n) { return std::fread(p, 1, n, stdin) == n; }
static void put(bool ok, const std::string& s) {
  std::uint8_t f = ok;
  std::uint32_t n = static_cast<std::uint32_t>(s.size());
  std::fwrite(&f, 1, 1, stdout);
  std::fwrite(&n, 4, 1, stdout);
  std::fwrite(s.data(), 1, s.size(), stdout);
}

int main() {
  std::string op, label;
  std::getline(std::cin, op, ' ');
  std::getline(std::cin, label);
  const Encoding* e = find_encoding(label);
  if (!e) return 2;
  for (;;) {
    std::uint32_t n;
    if (!read_exact(&n, 4)) break;
    std::string payload(n, '\0');
    if (n && !read_exact(payload.data(), n)) return 3;
    if (op == "decode") {
      bool ok = decode(payload, e->id, {DecodeErrorMode::strict}).ok;
      put(ok, decode(payload, e->id, {DecodeErrorMode::replace}).text);
    } else {
      auto r = encode(payload, e->id, {EncodeErrorMode::strict});
      put(r.ok, r.ok ? r.bytes : std::string());
    }
  }
  return 0;
}
