// commands.h — the subcommands of `ungarble` and what they share.
#pragma once

#include <string>
#include <vector>

namespace ungarble::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);  // args exclude the command name
};

const std::vector<Command>& commands();
std::string closest_command(const std::string& unknown);
const char* version();

int cmd_decode(const std::vector<std::string>& args);
int cmd_encode(const std::vector<std::string>& args);
int cmd_encodings(const std::vector<std::string>& args);
int cmd_fix(const std::vector<std::string>& args);
int cmd_replay(const std::vector<std::string>& args);

}  // namespace ungarble::cli
