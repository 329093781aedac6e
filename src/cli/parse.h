// parse.h — running a CLI11 app over a subcommand's arguments with ungarble's exit codes:
// --help prints to stdout and exits 0; any usage error prints one clear line and exits 2.
#pragma once

#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace ungarble::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline int run_app(CLI::App& app, const std::vector<std::string>& args,
                   const std::function<int()>& body) {
  try {
    std::vector<std::string> rev(args.rbegin(), args.rend());
    app.parse(rev);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s\nRun '%s --help' for usage.\n", app.get_name().c_str(), e.what(),
                 app.get_name().c_str());
    return 2;
  }
  try {
    return body();
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\n", app.get_name().c_str(), e.what());
    return 2;
  }
}

}  // namespace ungarble::cli
