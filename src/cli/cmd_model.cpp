#include "cli/cmd_model.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "ungarble/model.h"

namespace ungarble::cli {
namespace {

struct Parsed {
  std::string models, lang;
  std::vector<std::string> files;
  bool help = false;
};

// Returns "" or a usage error.
std::string parse(const std::vector<std::string>& args, bool allow_files, Parsed& p) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& dst) -> std::string {
      if (auto eq = a.find('='); eq != std::string::npos) {
        dst = a.substr(eq + 1);
        return "";
      }
      if (i + 1 >= args.size()) return a + " needs a value";
      dst = args[++i];
      return "";
    };
    std::string err;
    if (a == "-h" || a == "--help") p.help = true;
    else if (a == "--models" || a.rfind("--models=", 0) == 0) err = value(p.models);
    else if (allow_files && (a == "--lang" || a.rfind("--lang=", 0) == 0)) err = value(p.lang);
    else if (a == "--") {
      if (!allow_files) return "unexpected argument --";
      for (++i; i < args.size(); ++i) p.files.push_back(args[i]);
    } else if (a.size() > 1 && a[0] == '-') return "unknown option " + a;
    else if (allow_files) p.files.push_back(a);
    else return "unexpected argument " + a;
    if (!err.empty()) return err;
  }
  return "";
}

bool load(const Parsed& p, ModelSet& set) {
  std::string dir = p.models.empty() ? ModelSet::default_dir() : p.models;
  std::string err = set.load_dir(dir);
  if (!err.empty()) std::cerr << "ungarble: " << err << "\n";
  if (set.size() == 0) {
    std::cerr << "ungarble: no language model loaded from " << dir
              << " (set --models DIR or UNGARBLE_MODELS)\n";
    return false;
  }
  return err.empty();
}

std::string human(double bytes) {
  char buf[32];
  if (bytes >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  else std::snprintf(buf, sizeof buf, "%.0f kB", bytes / 1e3);
  return buf;
}

}  // namespace

int cmd_langs(const std::vector<std::string>& args) {
  Parsed p;
  if (std::string e = parse(args, false, p); !e.empty()) {
    std::cerr << "ungarble langs: " << e << "\nusage: ungarble langs [--models DIR]\n";
    return 2;
  }
  if (p.help) {
    std::cout << "usage: ungarble langs [--models DIR]\n"
                 "Lists the language models: code, script, order, n-grams, file size and the\n"
                 "size of the clean text each was trained on. Models come from --models DIR,\n"
                 "else $UNGARBLE_MODELS, else the built-in model directory.\n";
    return 0;
  }
  ModelSet set;
  bool ok = load(p, set);
  if (set.size() == 0) return 1;
  std::printf("%-8s %-6s %5s %9s %9s %12s %12s\n", "lang", "script", "order", "n-grams", "size",
              "train-chars", "train-bytes");
  double total = 0;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const auto& m = set[i];
    total += static_cast<double>(m.size_bytes());
    std::printf("%-8.*s %-6.*s %5d %9u %9s %12llu %12s\n", int(m.lang().size()), m.lang().data(),
                int(m.script().size()), m.script().data(), m.order(), m.ngram_count(),
                human(double(m.size_bytes())).c_str(), (unsigned long long)m.training_chars(),
                human(double(m.training_bytes())).c_str());
  }
  std::printf("%zu models, %s\n", set.size(), human(total).c_str());
  return ok ? 0 : 1;
}

int cmd_score(const std::vector<std::string>& args) {
  Parsed p;
  const char* usage = "usage: ungarble score [--models DIR] [--lang L] [FILE…|-]\n";
  if (std::string e = parse(args, true, p); !e.empty()) {
    std::cerr << "ungarble score: " << e << "\n" << usage;
    return 2;
  }
  if (p.help) {
    std::cout << usage
              << "Identifies the language of each FILE (stdin when none, or '-') and prints\n"
                 "  FILE  LANG  BITS/CHAR  margin=M  runner-up=L2  chars=N\n"
                 "With --lang L, prints the cross-entropy under model L instead:\n"
                 "  FILE  L  BITS/CHAR  chars=N\n"
                 "Exit status: 0 ok, 1 data error (unreadable file, bad model), 2 usage error.\n";
    return 0;
  }
  ModelSet set;
  bool ok = load(p, set);
  if (set.size() == 0) return 1;
  const LanguageModel* only = nullptr;
  if (!p.lang.empty()) {
    only = set.find(p.lang);
    if (!only) {
      std::cerr << "ungarble score: no model for language '" << p.lang << "' (see ungarble langs)\n";
      return 2;
    }
  }
  if (p.files.empty()) p.files.push_back("-");
  int rc = ok ? 0 : 1;
  for (const auto& f : p.files) {
    std::string text;
    if (f == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(f, std::ios::binary);
      if (!in) {
        std::cerr << "ungarble score: cannot read " << f << "\n";
        rc = 1;
        continue;
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    if (only) {
      std::size_t n = 0;
      double lp = only->log2prob(text, &n);
      std::printf("%s\t%.*s\t%.3f\tchars=%zu\n", f.c_str(), int(only->lang().size()),
                  only->lang().data(), n ? -lp / double(n) : 0.0, n);
    } else {
      Identification id = set.identify(text);
      if (id.chars == 0) {
        std::printf("%s\t-\t-\tchars=0\n", f.c_str());
        continue;
      }
      std::printf("%s\t%.*s\t%.3f\tmargin=%.3f\trunner-up=%.*s\tchars=%zu\n", f.c_str(),
                  int(id.best.lang.size()), id.best.lang.data(), id.best.bits_per_char,
                  id.best.margin, int(id.runner_up.lang.size()), id.runner_up.lang.data(), id.chars);
    }
  }
  return rc;
}

}  // namespace ungarble::cli
