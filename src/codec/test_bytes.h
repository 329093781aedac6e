// test_bytes.h — for the codec tests: a byte string written as numbers, bytes({0xE4, 0xBD}).
#pragma once

#include <initializer_list>
#include <string>

namespace ungarble::codec_test {
inline std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}
}  // namespace ungarble::codec_test
