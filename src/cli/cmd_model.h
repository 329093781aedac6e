// `ungarble langs` and `ungarble score`: the model commands (src/model owns them; the CLI
// dispatcher calls them with the arguments after the command name).
#pragma once

#include <string>
#include <vector>

namespace ungarble::cli {

// ungarble langs [--models DIR]
//   Lists the shipped models: language, script, order, n-grams, file size, training size.
int cmd_langs(const std::vector<std::string>& args);

// ungarble score [--models DIR] [--lang L] [FILE…|-]
//   Per input (stdin when none or '-'): identified language, margin, bits/char; with --lang,
//   the cross-entropy under that model. Exit 0 ok, 1 data error, 2 usage error.
int cmd_score(const std::vector<std::string>& args);

}  // namespace ungarble::cli
