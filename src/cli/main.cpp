// main.cpp — the `ungarble` command: one dispatcher over the library's front-end functions.
//
// Exit codes are part of the interface: 0 ok, 1 the data was bad (a strict decode failed, a file
// could not be read), 2 the command line was bad (unknown command, option or encoding).
#include <cstdio>
#include <malloc.h>
#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

const char* kUsage =
    "ungarble — turn garbled text back into what its author wrote, and say what it is.\n"
    "\n"
    "Usage: ungarble COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Commands:\n"
    "  fix         repair mojibake; --explain/--json give the recipe of the repair\n"
    "  replay      apply a recipe (fix --json) to its text: reproduces the input\n"
    "  detect      which encoding raw bytes are in, with calibrated confidence\n"
    "  decode      bytes in a known encoding → UTF-8 (--from ENC, --errors MODE)\n"
    "  encode      UTF-8 → bytes in an encoding (--to ENC, --errors MODE)\n"
    "  encodings   list every encoding with its canonical name and labels\n"
    "  langs       list the shipped language models\n"
    "  score       identify the language of text and its cross-entropy\n"
    "\n"
    "Files default to standard input ('-' also means standard input).\n"
    "Run 'ungarble COMMAND --help' for a command's options and examples.\n"
    "\n"
    "Options:\n"
    "  -h, --help     this help\n"
    "  --version      print the version\n"
    "\n"
    "Exit codes: 0 ok, 1 bad data (e.g. a strict decode failed), 2 bad usage.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace ungarble::cli;
  // Streaming commands allocate and free buffers of a few MiB per block; glibc would map and
  // unmap each one, and the page faults of fresh mappings cost more than the work. Keep freed
  // memory for reuse instead (bounded: blocks are ~1 MiB).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "--version" || cmd == "version") {
    std::printf("ungarble %s\n", version());
    return 0;
  }
  for (const Command& c : commands())
    if (cmd == c.name) return c.run(args);
  std::fprintf(stderr, "ungarble: unknown command '%s'", cmd.c_str());
  if (auto near = closest_command(cmd); !near.empty())
    std::fprintf(stderr, " (did you mean '%s'?)", near.c_str());
  std::fputs("\nRun 'ungarble --help' for the list of commands.\n", stderr);
  return 2;
}
