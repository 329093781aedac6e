// commands.cpp — the table of subcommands.
#include "cli/commands.h"
#include "cli/cmd_detect.h"
#include "cli/cmd_model.h"

#include <algorithm>

#include "ungarble/codec.h"
#include "util/edit_distance.h"

#ifndef UNGARBLE_VERSION
#define UNGARBLE_VERSION "0.0.0"
#endif

namespace ungarble::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"fix", "repair mojibake and explain the repair", cmd_fix},
      {"replay", "apply a repair recipe to reproduce its input", cmd_replay},
      {"detect", "which encoding are these bytes in", cmd_detect},
      {"decode", "bytes in a known encoding → UTF-8", cmd_decode},
      {"encode", "UTF-8 → bytes in an encoding", cmd_encode},
      {"encodings", "list the encodings and their labels", cmd_encodings},
      {"langs", "list the shipped language models", cmd_langs},
      {"score", "identify the language of text and its cross-entropy", cmd_score},
  };
  return list;
}

std::string closest_command(const std::string& unknown) {
  std::string best;
  std::size_t best_d = 3;  // suggest only near misses
  for (const auto& c : commands()) {
    std::size_t d = util::edit_distance(unknown, c.name);
    if (d < best_d) best_d = d, best = c.name;
  }
  return best;
}

const char* version() { return UNGARBLE_VERSION; }

}  // namespace ungarble::cli
