// cmd_detect.h — `ungarble detect`: which encoding are these bytes in?
#pragma once

#include <string>
#include <vector>

namespace ungarble::cli {
int cmd_detect(const std::vector<std::string>& args);
}  // namespace ungarble::cli
