// commands.cpp — the table of subcommands.
#include "cli/commands.h"
#include "cli/cmd_model.h"

#include <algorithm>

#include "ungarble/codec.h"

#ifndef UNGARBLE_VERSION
#define UNGARBLE_VERSION "0.0.0"
#endif

namespace ungarble::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      {"fix", "repair mojibake and explain the repair", cmd_fix},
      {"replay", "apply a repair recipe to reproduce its input", cmd_replay},
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
    std::string n = c.name;
    std::vector<std::size_t> prev(n.size() + 1), cur(n.size() + 1);
    for (std::size_t j = 0; j <= n.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= unknown.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= n.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (unknown[i - 1] != n[j - 1])});
      std::swap(prev, cur);
    }
    if (prev[n.size()] < best_d) best_d = prev[n.size()], best = n;
  }
  return best;
}

const char* version() { return UNGARBLE_VERSION; }

}  // namespace ungarble::cli
