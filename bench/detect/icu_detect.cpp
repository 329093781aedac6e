// icu_detect.cpp — ICU's charset detector (ucsdet, Debian libicu-dev) over a list of files, for
// bench/detect: reads paths from stdin, prints path<TAB>name<TAB>confidence(0–1).
#include <unicode/ucsdet.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main() {
  UErrorCode st = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&st);
  if (U_FAILURE(st)) return 1;
  std::string path;
  while (std::getline(std::cin, path)) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    std::string data = ss.str();
    st = U_ZERO_ERROR;
    ucsdet_setText(det, data.data(), static_cast<int32_t>(data.size()), &st);
    const UCharsetMatch* m = ucsdet_detect(det, &st);
    const char* name = "none";
    int conf = 0;
    if (U_SUCCESS(st) && m) {
      name = ucsdet_getName(m, &st);
      conf = ucsdet_getConfidence(m, &st);
    }
    std::printf("%s\t%s\t%.2f\n", path.c_str(), name ? name : "none", conf / 100.0);
  }
  ucsdet_close(det);
  return 0;
}
