// cmd_fix.cpp — `ungarble fix` (repair text, print the recipe) and `ungarble replay` (apply a
// recipe's forward chain to its text: the check that a repair explains its input).
#include <cstdio>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/parse.h"
#include "io/input.h"
#include "ungarble/codec.h"
#include "ungarble/model.h"
#include "ungarble/repair.h"

namespace ungarble::cli {
namespace {

// Crude binary sniff: NUL bytes or many C0 controls in the first 8 KiB.
bool looks_binary(std::string_view s) {
  std::size_t n = std::min<std::size_t>(s.size(), 8192), ctl = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x0C && c != 0x1B) ++ctl;
  }
  return n && ctl * 10 > n;
}

}  // namespace

int cmd_fix(const std::vector<std::string>& args) {
  CLI::App app{
      "Repair mojibake: give back the text its author wrote, and say how it broke.\n\n"
      "Input is UTF-8 text that was garbled on the way (GBK read as windows-1252, UTF-8 read\n"
      "as latin-1 twice, bytes lost by a cleaner...). Output is the repaired UTF-8 text; text\n"
      "with nothing wrong comes out unchanged.\n\n"
      "Examples:\n"
      "  ungarble fix page.txt > fixed.txt\n"
      "  ungarble fix --explain page.txt          # the chain of steps, on stderr\n"
      "  ungarble fix --json page.txt | jq .steps # the recipe, machine-readable\n"
      "  ungarble fix --lines dump.csv            # each line on its own (DB dumps)\n"
      "  ungarble fix --from gbk page.txt         # the original encoding is known",
      "ungarble fix"};
  std::vector<std::string> files;
  bool explain_flag = false, as_json = false, lines = false, force = false, no_lossy = false;
  std::string from, models_dir;
  app.add_option("files", files, "input files ('-' or none: standard input)");
  app.add_flag("--explain", explain_flag, "print the recipe readably to stderr");
  app.add_flag("--json", as_json,
               "print one JSON object per input: text, changed, confidence, steps (the recipe)");
  app.add_flag("--lines", lines, "repair each line independently");
  app.add_option("--from", from, "the original encoding of the text, when known");
  app.add_flag("--force", force, "repair input that looks binary anyway");
  app.add_flag("--exact", no_lossy, "only exact chains: never restore lost bytes");
  app.add_option("--models", models_dir, "model directory (default: $UNGARBLE_MODELS or the shipped models)");
  return run_app(app, args, [&]() -> int {
    RepairOptions opt;
    opt.per_line = lines;
    opt.lossy = !no_lossy;
    if (!from.empty()) {
      const Encoding* e = find_encoding(from);
      if (!e)
        throw UsageError("unknown encoding '" + from + "' for --from (did you mean '" +
                         std::string(closest_label(from)) + "'?)");
      opt.original = e->id;
    }
    ModelSet models;
    std::string dir = models_dir.empty() ? ModelSet::default_dir() : models_dir;
    std::string err = models.load_dir(dir);
    if (models.size() == 0) {
      std::fprintf(stderr, "ungarble fix: no language models in %s%s%s\n", dir.c_str(),
                   err.empty() ? "" : ": ", err.c_str());
      return 1;
    }
    if (files.empty()) files.push_back("-");
    int status = 0;
    for (const auto& path : files) {
      // Blocks of about 1 MiB cut at line ends are repaired one at a time, so memory stays
      // bounded on any input; --json needs the whole recipe and keeps everything.
      constexpr std::size_t kBlock = 1 << 20;
      std::string pending, rerr, whole_input;
      StreamRepair stream(models, opt);
      RepairResult all;
      bool first = true, refused = false;
      auto flush = [&](std::string_view block) {
        if (block.empty()) return;
        std::string decoded;
        if (opt.original && !is_valid_utf8(block)) {
          // Raw bytes in a known encoding: decode them first.
          decoded = decode(block, *opt.original).text;
          block = decoded;
        }
        RepairResult r = stream.next(block);
        if (explain_flag) {
          std::string e = explain(r, block);
          if (files.size() > 1) e = io::display_name(path) + ":\n" + e;
          std::fputs(e.c_str(), stderr);
        }
        if (as_json) {
          std::size_t in_base = whole_input.size(), out_base = all.text.size();
          whole_input.append(block);
          for (SpanRepair sp : r.spans) {
            sp.in_begin += in_base, sp.in_end += in_base;
            sp.out_begin += out_base, sp.out_end += out_base;
            for (Restored& x : sp.restored) x.out_offset += out_base;
            all.spans.push_back(std::move(sp));
          }
          all.text += r.text;
          all.changed = all.changed || r.changed;
          all.confidence = std::min(all.confidence, r.confidence);
        } else {
          io::write_stdout(r.text);
        }
      };
      bool ok = io::read_chunks(
          path,
          [&](std::span<const std::uint8_t> chunk, bool last) {
            pending.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
            if (first) {
              first = false;
              if (!force && looks_binary(pending)) {
                std::fprintf(stderr,
                             "ungarble fix: %s: looks like binary data, not text (use --force "
                             "to repair anyway)\n",
                             io::display_name(path).c_str());
                refused = true;
                return false;
              }
            }
            while (pending.size() >= kBlock || (last && !pending.empty())) {
              std::size_t cut = pending.size();
              if (!last || pending.size() > kBlock) {
                std::size_t nl = pending.rfind('\n', kBlock);
                cut = nl == std::string::npos ? std::min(pending.size(), kBlock) : nl + 1;
              }
              flush(std::string_view(pending).substr(0, cut));
              pending.erase(0, cut);
            }
            return true;
          },
          &rerr);
      if (!ok) {
        std::fprintf(stderr, "ungarble fix: %s\n", rerr.c_str());
        status = 1;
        continue;
      }
      if (refused) {
        status = 1;
        continue;
      }
      if (as_json) {
        std::string j = recipe_to_json(all);
        if (files.size() > 1) {
          auto parsed = nlohmann::json::parse(j);
          parsed["file"] = path;
          j = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        j += '\n';
        io::write_stdout(j);
      }
    }
    std::fflush(stdout);
    return status;
  });
}

int cmd_replay(const std::vector<std::string>& args) {
  CLI::App app{
      "Apply a repair recipe's forward chain to its repaired text: prints what the input was.\n"
      "For exact chains this reproduces the input byte for byte.\n\n"
      "Example:\n"
      "  ungarble fix --json page.txt > recipe.json && ungarble replay recipe.json | cmp - page.txt",
      "ungarble replay"};
  std::string file = "-";
  app.add_option("recipe", file, "a recipe from 'ungarble fix --json' ('-': standard input)");
  return run_app(app, args, [&]() -> int {
    std::string text, err;
    if (!io::read_all(file, &text, &err)) {
      std::fprintf(stderr, "ungarble replay: %s\n", err.c_str());
      return 1;
    }
    int status = 0;
    std::size_t start = 0;
    while (start < text.size()) {  // one recipe per line
      std::size_t nl = text.find('\n', start);
      std::string_view line(text.data() + start, (nl == std::string::npos ? text.size() : nl) - start);
      start = nl == std::string::npos ? text.size() : nl + 1;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      RepairResult r;
      std::string why, out;
      if (!recipe_from_json(line, &r, &why) || !replay(r, &out, &why)) {
        std::fprintf(stderr, "ungarble replay: %s: %s\n", io::display_name(file).c_str(), why.c_str());
        status = 1;
        continue;
      }
      io::write_stdout(out);
    }
    return status;
  });
}

}  // namespace ungarble::cli
