// cmd_detect.cpp — `ungarble detect [FILE…]`: one line per input, `ENCODING CONFIDENCE` for a
// single input, `PATH<TAB>ENCODING<TAB>CONFIDENCE` for several, or one JSON object per line
// with --json. Unreadable inputs are reported on stderr by path, the rest still processed, and
// the exit code is then 1. The language models are loaded once; without them detection runs
// on structure and priors (with a warning).
#include "cli/cmd_detect.h"

#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/parse.h"
#include "io/input.h"
#include "ungarble/codec.h"
#include "ungarble/detect.h"
#include "ungarble/model.h"

namespace ungarble::cli {
namespace {

const char* kind_name(Detection::Kind k) {
  switch (k) {
    case Detection::Kind::text: return "text";
    case Detection::Kind::binary: return "binary";
    case Detection::Kind::empty: return "empty";
    case Detection::Kind::double_utf8: return "double-utf-8";
  }
  return "text";
}

std::string conf_str(double c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", c);
  return buf;
}

}  // namespace

int cmd_detect(const std::vector<std::string>& args) {
  CLI::App app{
      "Detect the encoding of each input: canonical WHATWG name (or a legacy code page, "
      "utf-32le/be, binary, empty) and a calibrated confidence.\n\n"
      "Examples:\n"
      "  ungarble detect page.html\n"
      "  ungarble detect --json *.txt\n"
      "  curl -sI URL | grep -i charset   # then: ungarble detect --declared gbk page.html",
      "ungarble detect"};
  bool json = false, full = false;
  std::string declared, models_dir;
  std::vector<std::string> files;
  app.add_flag("--json", json,
               "one JSON object per input per line: file, encoding, confidence, language, kind, "
               "candidates (top 5), bom, declared");
  app.add_option("--declared", declared,
                 "the charset declared out of band (e.g. an HTTP header): a strong hint, not truth");
  app.add_flag("--full", full, "read every byte (default: stop once the answer cannot change, "
                               "within a bounded prefix)");
  app.add_option("--models", models_dir, "language model directory (default: $UNGARBLE_MODELS or "
                                         "the built-in path)");
  app.add_option("files", files, "input files ('-' or none: standard input)");
  return run_app(app, args, [&]() -> int {
    DetectOptions opt;
    opt.full = full;
    if (!declared.empty()) {
      const Encoding* e = find_encoding(declared);
      if (!e)
        throw UsageError("unknown encoding '" + declared + "' for --declared (did you mean '" +
                         std::string(closest_label(declared)) + "'?)");
      opt.declared = e->id;
    }
    ModelSet models;
    std::string dir = models_dir.empty() ? ModelSet::default_dir() : models_dir;
    std::string err = models.load_dir(dir);
    if (models.size() == 0)
      std::fprintf(stderr,
                   "ungarble detect: no language models loaded from %s%s%s; detecting by "
                   "structure and priors only\n",
                   dir.c_str(), err.empty() ? "" : ": ", err.c_str());
    const ModelSet* mp = models.size() ? &models : nullptr;

    if (files.empty()) files.push_back("-");
    const bool many = files.size() > 1;
    int status = 0;
    for (const auto& path : files) {
      std::string data, rerr;
      if (!io::read_all(path, &data, &rerr)) {
        std::fprintf(stderr, "ungarble detect: %s\n", rerr.c_str());
        status = 1;
        continue;
      }
      Detection d = detect(data, mp, opt);
      std::string name(d.encoding_name());
      std::string line;
      if (json) {
        nlohmann::json j;
        j["file"] = io::display_name(path);
        j["encoding"] = name;
        j["confidence"] = d.confidence();
        j["language"] = std::string(d.language());
        j["kind"] = kind_name(d.kind);
        j["bom"] = d.from_bom;
        j["declared"] = d.declared ? nlohmann::json(std::string(encoding(*d.declared).name))
                                   : nlohmann::json(nullptr);
        j["declared_overruled"] = d.declared_overruled;
        if (d.kind == Detection::Kind::double_utf8)
          j["double_encoded_via"] = std::string(encoding(d.double_via).name);
        nlohmann::json cands = nlohmann::json::array();
        for (const auto& c : d.candidates)
          cands.push_back({{"encoding", std::string(c.name())},
                           {"confidence", c.confidence},
                           {"language", std::string(c.language)}});
        j["candidates"] = cands;
        j["bytes"] = data.size();
        line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
      } else {
        std::string note;
        if (d.kind == Detection::Kind::double_utf8)
          note = std::string(many ? "\t" : " ") + "double-encoded via " +
                 std::string(encoding(d.double_via).name) + " (ungarble fix repairs it)";
        line = many ? io::display_name(path) + "\t" + name + "\t" + conf_str(d.confidence()) + note + "\n"
                    : name + " " + conf_str(d.confidence()) + note + "\n";
      }
      if (!io::write_stdout(line)) {
        std::fprintf(stderr, "ungarble detect: cannot write to standard output\n");
        return 1;
      }
    }
    std::fflush(stdout);
    return status;
  });
}

}  // namespace ungarble::cli
