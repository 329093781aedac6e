// ungarble-model-train: trains one .ugm model from a clean text file (one segment per line).
//   ungarble-model-train --lang L --script S --in TEXT --out MODEL.ugm
//                        [--order N] [--entries N] [--min-char N] [--max-vocab N] [--load F]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "model/trainer.h"

int main(int argc, char** argv) {
  ungarble::model::TrainOptions opt;
  std::string in, out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "ungarble-model-train: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--lang") opt.lang = val();
    else if (a == "--script") opt.script = val();
    else if (a == "--in") in = val();
    else if (a == "--out") out = val();
    else if (a == "--order") opt.order = std::atoi(val().c_str());
    else if (a == "--entries") opt.max_entries = std::strtoull(val().c_str(), nullptr, 10);
    else if (a == "--min-char") opt.min_char_count = static_cast<unsigned>(std::atoi(val().c_str()));
    else if (a == "--max-vocab") opt.max_vocab = static_cast<unsigned>(std::atoi(val().c_str()));
    else if (a == "--growth") opt.prune_growth = std::atof(val().c_str());
    else if (a == "--load") opt.load_factor = std::atof(val().c_str());
    else {
      std::cerr << "usage: ungarble-model-train --lang L --script S --in TEXT --out MODEL.ugm "
                   "[--order N] [--entries N] [--min-char N] [--max-vocab N] [--load F] [--growth G]\n";
      return 2;
    }
  }
  if (opt.lang.empty() || in.empty() || out.empty()) {
    std::cerr << "ungarble-model-train: --lang, --in and --out are required\n";
    return 2;
  }
  std::ifstream f(in, std::ios::binary);
  if (!f) {
    std::cerr << "ungarble-model-train: cannot read " << in << "\n";
    return 1;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  ungarble::model::TrainReport rep;
  std::string bytes;
  try {
    bytes = ungarble::model::train_model(text, opt, &rep);
  } catch (const std::exception& e) {
    std::cerr << "ungarble-model-train: " << e.what() << "\n";
    return 2;
  }
  std::string tmp = out + ".tmp";
  {
    std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
    o.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!o) {
      std::cerr << "ungarble-model-train: cannot write " << tmp << "\n";
      return 1;
    }
  }
  if (std::rename(tmp.c_str(), out.c_str()) != 0) {
    std::cerr << "ungarble-model-train: cannot rename to " << out << "\n";
    return 1;
  }
  std::cerr << opt.lang << ": " << rep.summary() << " size=" << bytes.size() << "\n";
  return 0;
}
