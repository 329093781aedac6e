// detect_eval.cpp — the C++ half of bench/detect (driven by bench/detect/run.sh):
//
//   ungarble-detect-eval build OUT PER_CELL DIR...   cut <lang>.txt of each DIR (UTF-8 text the
//        models never saw) into snippets of 12/40/160/1000 characters holding at least one
//        non-ASCII character, encode each into every evaluated encoding that can represent the
//        language (≤ 0.2 % unmappable characters over the whole text; snippets that do not
//        encode exactly are skipped), write OUT/files/*.bin and OUT/manifest.tsv
//        (path, true encoding, length, language, source)
//   ungarble-detect-eval run [--full] [--no-models] [--T x] < paths  → path, encoding,
//        confidence, language, microseconds per line
//   ungarble-detect-eval score MANIFEST NAME=RESULTS... → markdown: text-correct counts per
//        encoding × length for every detector, totals, and ungarble's calibration
//   ungarble-detect-eval speed FILE [--full]  → MB/s and ms per call
//
// "Text-correct": decoding the bytes with the answer gives exactly the text the true encoding
// gives (ungarble's WHATWG-exact decoders decide), so gbk/gb18030 or windows-1252/iso-8859-15
// on text they read alike are not penalised.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ungarble/codec.h"
#include "ungarble/detect.h"
#include "ungarble/model.h"

using namespace ungarble;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) out.push_back(cur), cur.clear();
    else cur += c;
  }
  out.push_back(cur);
  return out;
}

const EncodingId kEval[] = {
    EncodingId::utf_8,        EncodingId::utf_16le,     EncodingId::utf_16be,
    EncodingId::utf_32le,     EncodingId::utf_32be,
    EncodingId::ibm866,       EncodingId::iso_8859_2,   EncodingId::iso_8859_3,
    EncodingId::iso_8859_4,   EncodingId::iso_8859_5,   EncodingId::iso_8859_6,
    EncodingId::iso_8859_7,   EncodingId::iso_8859_8,   EncodingId::iso_8859_10,
    EncodingId::iso_8859_13,  EncodingId::iso_8859_14,  EncodingId::iso_8859_15,
    EncodingId::iso_8859_16,  EncodingId::koi8_r,       EncodingId::koi8_u,
    EncodingId::macintosh,    EncodingId::windows_874,  EncodingId::windows_1250,
    EncodingId::windows_1251, EncodingId::windows_1252, EncodingId::windows_1253,
    EncodingId::windows_1254, EncodingId::windows_1255, EncodingId::windows_1256,
    EncodingId::windows_1257, EncodingId::windows_1258, EncodingId::x_mac_cyrillic,
    EncodingId::gbk,          EncodingId::gb18030,      EncodingId::big5,
    EncodingId::euc_jp,       EncodingId::iso_2022_jp,  EncodingId::shift_jis,
    EncodingId::euc_kr};
const int kLengths[] = {12, 40, 160, 1000};

std::size_t cp_len(unsigned char b) { return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

// N code points from byte offset `at` (a boundary); "" if the text ends first.
std::string take_chars(const std::string& t, std::size_t at, int n) {
  std::size_t i = at;
  for (int k = 0; k < n; ++k) {
    if (i >= t.size()) return "";
    i += cp_len(static_cast<unsigned char>(t[i]));
  }
  return i <= t.size() ? t.substr(at, i - at) : "";
}

int cmd_build(int argc, char** argv) {
  if (argc < 5) return 2;
  std::string out = argv[2];
  int per = std::atoi(argv[3]);
  std::ofstream man(out + "/manifest.tsv", std::ios::app);
  std::size_t files = 0;
  for (int a = 4; a < argc; ++a) {
    std::string dir = argv[a];
    std::string src = dir.substr(dir.find_last_of('/') + 1);
    std::vector<std::string> langs;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".txt") langs.push_back(e.path().stem().string());
    std::sort(langs.begin(), langs.end());
    for (const std::string& lang : langs) {
      std::string text = slurp(dir + "/" + lang + ".txt");
      if (text.size() < 4000) continue;
      if (text.size() > (8u << 20)) text.resize(8u << 20);
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
      if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
      std::size_t chars = 0;
      for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
      for (EncodingId enc : kEval) {
        EncodeResult whole = encode(text, enc, {EncodeErrorMode::replace});
        if (whole.errors * 500 > chars) continue;  // the encoding cannot represent the language
        // GB18030 can encode every language; evaluate it only where it is used: Chinese.
        if (enc == EncodingId::gb18030 && lang.rfind("zh", 0) != 0) continue;
        for (int len : kLengths) {
          int made = 0;
          for (int k = 0; made < per && k < per * 20; ++k) {
            // Evenly spread starts, at a word start when the language has spaces.
            std::size_t at = static_cast<std::size_t>((k * 0.618033988749 - std::floor(k * 0.618033988749)) *
                                                      static_cast<double>(text.size()));
            while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
            std::size_t sp = text.find_first_of(" \n", at);
            if (sp != std::string::npos && sp - at < 40) at = sp + 1;
            std::string snip = take_chars(text, at, len);
            if (snip.empty()) continue;
            bool non_ascii = false;
            for (unsigned char c : snip) non_ascii |= c >= 0x80;
            if (!non_ascii) continue;
            EncodeResult e = encode(snip, enc, {EncodeErrorMode::strict});
            if (!e.ok || e.errors) continue;
            // The snippet must round-trip (it does for every exact codec; checked anyway).
            if (decode(e.bytes, enc, {DecodeErrorMode::replace}, BomPolicy::keep).text != snip) continue;
            std::string name = src + "-" + lang + "-" + std::string(encoding(enc).name) + "-" +
                               std::to_string(len) + "-" + std::to_string(made) + ".bin";
            std::string path = out + "/files/" + name;
            std::ofstream(path, std::ios::binary) << e.bytes;
            man << path << '\t' << encoding(enc).name << '\t' << len << '\t' << lang << '\t' << src << '\n';
            ++made;
            ++files;
          }
        }
      }
    }
  }
  std::fprintf(stderr, "built %zu snippets\n", files);
  return 0;
}

int cmd_run(int argc, char** argv) {
  DetectOptions opt;
  bool use_models = true;
  for (int a = 2; a < argc; ++a) {
    std::string s = argv[a];
    if (s == "--full") opt.full = true;
    else if (s == "--no-models") use_models = false;
    else if (s == "--T" && a + 1 < argc) opt.temperature = std::atof(argv[++a]);
  }
  ModelSet models;
  if (use_models) models.load_dir(ModelSet::default_dir());
  const ModelSet* mp = use_models && models.size() ? &models : nullptr;
  std::string path;
  while (std::getline(std::cin, path)) {
    std::string data = slurp(path);
    auto t0 = std::chrono::steady_clock::now();
    Detection d = detect(data, mp, opt);
    auto us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%s\t%s\t%.4f\t%s\t%.1f\n", path.c_str(), std::string(d.encoding_name()).c_str(),
                d.confidence(), std::string(d.language()).c_str(), us);
  }
  return 0;
}

// Peer labels → our encodings (find_encoding knows the WHATWG labels and the legacy pages).
std::optional<EncodingId> label_to_id(std::string l) {
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::map<std::string, std::string> alias = {
      {"mac_roman", "macintosh"}, {"macroman", "macintosh"}, {"maccyrillic", "x-mac-cyrillic"},
      {"mac_cyrillic", "x-mac-cyrillic"}, {"tis_620", "windows-874"}, {"tis-620", "windows-874"},
      {"iso-8859-11", "windows-874"}, {"euc_jis_2004", "euc-jp"}, {"euc_jisx0213", "euc-jp"},
      {"shift_jis_2004", "shift_jis"}, {"shift_jisx0213", "shift_jis"}, {"big5hkscs", "big5"},
      {"big5-hkscs", "big5"}, {"ascii", "windows-1252"}, {"utf_16", "utf-16le"},
      {"utf-16", "utf-16le"}, {"utf_16_le", "utf-16le"}, {"utf_16_be", "utf-16be"},
      {"utf_8", "utf-8"}, {"utf-8-sig", "utf-8"}, {"utf_8_sig", "utf-8"}, {"latin_1", "iso-8859-1"},
      {"cp1125", "ibm1125"}, {"kz1048", "kz-1048"}, {"x-iso-10646-ucs-4-3412", "none"},
      {"iso-2022-jp-2", "iso-2022-jp"}, {"iso2022_jp", "iso-2022-jp"}, {"iso2022_jp_2", "iso-2022-jp"},
      {"hz-gb-2312", "none"}, {"x-euc-tw", "none"}, {"johab", "none"}, {"utf-16-le", "utf-16le"},
      {"utf-16-be", "utf-16be"}, {"mac-cyrillic", "x-mac-cyrillic"}, {"uhc", "euc-kr"},
      {"cp874", "windows-874"}, {"mac_iceland", "macintosh"}, {"maciceland", "macintosh"}, {"mac-centraleurope", "none"}, {"maclatin2", "none"}, {"mac_latin2", "none"}};
  auto it = alias.find(l);
  if (it != alias.end()) l = it->second;
  if (const Encoding* e = find_encoding(l)) return e->id;
  std::string u = l;
  std::replace(u.begin(), u.end(), '_', '-');
  if (const Encoding* e = find_encoding(u)) return e->id;
  u.erase(std::remove(u.begin(), u.end(), '-'), u.end());
  if (const Encoding* e = find_encoding(u)) return e->id;
  return std::nullopt;
}

std::string read_as(const std::string& bytes, EncodingId id) {
  return decode(bytes, id, {DecodeErrorMode::replace}, BomPolicy::strip).text;
}

int cmd_score(int argc, char** argv) {
  struct Item { std::string enc, len, lang, src; };
  std::map<std::string, Item> items;
  std::vector<std::string> order;
  {
    std::ifstream f(argv[2]);
    std::string line;
    while (std::getline(f, line)) {
      auto c = split(line, '\t');
      if (c.size() < 5) continue;
      items[c[0]] = {c[1], c[2], c[3], c[4]};
      order.push_back(c[0]);
    }
  }
  std::vector<std::string> names;
  std::vector<std::map<std::string, std::pair<std::string, double>>> answers;
  for (int a = 3; a < argc; ++a) {
    std::string s = argv[a];
    auto eq = s.find('=');
    names.push_back(s.substr(0, eq));
    answers.emplace_back();
    std::ifstream f(s.substr(eq + 1));
    std::string line;
    while (std::getline(f, line)) {
      auto c = split(line, '\t');
      if (c.size() < 2) continue;
      answers.back()[c[0]] = {c[1], c.size() > 2 ? std::atof(c[2].c_str()) : 0.0};
    }
  }
  // cell key: enc|len → per detector correct count; total
  std::map<std::pair<std::string, std::string>, std::vector<int>> ok;
  std::map<std::pair<std::string, std::string>, int> total;
  std::map<std::string, std::vector<int>> by_len_ok;
  std::map<std::string, int> by_len_total;
  std::vector<std::pair<double, bool>> calib;  // detector 0's confidence and correctness
  std::map<std::string, std::string> decoded_cache;
  for (const auto& path : order) {
    const Item& it = items[path];
    std::string bytes = slurp(path);
    const Encoding* te = find_encoding(it.enc);
    if (!te) continue;
    std::string truth = decode(bytes, te->id, {DecodeErrorMode::replace}, BomPolicy::keep).text;
    auto key = std::make_pair(it.enc, it.len);
    auto& row = ok[key];
    row.resize(names.size());
    total[key]++;
    auto& lrow = by_len_ok[it.len];
    lrow.resize(names.size());
    by_len_total[it.len]++;
    for (std::size_t d = 0; d < names.size(); ++d) {
      auto f = answers[d].find(path);
      bool right = false;
      if (f != answers[d].end()) {
        if (auto id = label_to_id(f->second.first)) right = read_as(bytes, *id) == truth;
        if (d == 0) calib.push_back({f->second.second, right});
        if (d == 0 && !right && std::getenv("DETECT_EVAL_WRONG"))
          std::fprintf(stderr, "%s\t%s\t%s\t%s\t%.3f\n", path.c_str(), it.enc.c_str(), it.len.c_str(),
                       f->second.first.c_str(), f->second.second);
      } else if (d == 0) {
        calib.push_back({0, false});
      }
      row[d] += right;
      lrow[d] += right;
    }
  }
  auto header = [&](const char* first) {
    std::printf("| %s | n |", first);
    for (auto& n : names) std::printf(" %s |", n.c_str());
    std::printf("\n|---|---:|");
    for (std::size_t i = 0; i < names.size(); ++i) std::printf("---:|");
    std::printf("\n");
  };
  // Totals by length.
  std::printf("### Text-correct by length (all encodings)\n\n");
  header("length");
  std::vector<int> grand(names.size());
  int grand_n = 0;
  std::vector<int> ge40(names.size());
  int ge40_n = 0;
  for (const char* L : {"12", "40", "160", "1000", "file"}) {
    if (!by_len_total.count(L)) continue;
    int n = by_len_total[L];
    std::printf("| %s | %d |", L, n);
    int best = *std::max_element(by_len_ok[L].begin(), by_len_ok[L].end());
    for (std::size_t d = 0; d < names.size(); ++d) {
      int v = by_len_ok[L][d];
      std::printf(v == best ? " **%.1f %%** |" : " %.1f %% |", 100.0 * v / n);
      grand[d] += v;
      if (std::string(L) != "12") ge40[d] += v;
    }
    grand_n += n;
    if (std::string(L) != "12") ge40_n += n;
    std::printf("\n");
  }
  std::printf("| all | %d |", grand_n);
  for (std::size_t d = 0; d < names.size(); ++d) std::printf(" %.2f %% |", 100.0 * grand[d] / std::max(grand_n, 1));
  std::printf("\n| ≥ 40 | %d |", ge40_n);
  for (std::size_t d = 0; d < names.size(); ++d) std::printf(" %.2f %% |", 100.0 * ge40[d] / std::max(ge40_n, 1));
  std::printf("\n\n### Text-correct per encoding × length (count right of n; best in bold)\n\n");
  header("encoding / length");
  int cells = 0, cells_best = 0;
  std::vector<std::string> behind;
  for (auto& [key, row] : ok) {
    int n = total[key];
    int best = *std::max_element(row.begin(), row.end());
    std::printf("| %s / %s | %d |", key.first.c_str(), key.second.c_str(), n);
    for (std::size_t d = 0; d < names.size(); ++d)
      std::printf(row[d] == best ? " **%d** |" : " %d |", row[d]);
    std::printf("\n");
    ++cells;
    if (row[0] == best) ++cells_best;
    else behind.push_back(key.first + "/" + key.second + " (" + std::to_string(row[0]) + " vs " + std::to_string(best) + ")");
  }
  std::printf("\n%s is at least as good as every peer in %d of %d cells.", names[0].c_str(), cells_best, cells);
  if (!behind.empty()) {
    std::printf(" Behind in:");
    for (auto& b : behind) std::printf(" %s;", b.c_str());
  }
  std::printf("\n\n### Calibration of %s's confidence\n\n| confidence | n | mean confidence | accuracy |\n|---|---:|---:|---:|\n", names[0].c_str());
  const double edges[] = {0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001};
  double ll = 0, brier = 0;
  for (auto& [c, r] : calib) {
    double p = std::clamp(c, 1e-4, 1 - 1e-4);
    ll += r ? -std::log2(p) : -std::log2(1 - p);
    brier += (c - r) * (c - r);
  }
  for (std::size_t b = 0; b + 1 < std::size(edges); ++b) {
    int n = 0, right = 0;
    double sum = 0;
    for (auto& [c, r] : calib)
      if (c >= edges[b] && c < edges[b + 1]) ++n, right += r, sum += c;
    if (n) std::printf("| %.2f–%.2f | %d | %.3f | %.3f |\n", edges[b], std::min(1.0, edges[b + 1]), n, sum / n, double(right) / n);
  }
  std::printf("\nLog loss %.4f bits, Brier score %.4f over %zu answers.\n", ll / std::max<std::size_t>(calib.size(), 1),
              brier / std::max<std::size_t>(calib.size(), 1), calib.size());
  return 0;
}

int cmd_speed(int argc, char** argv) {
  if (argc < 3) return 2;
  std::string data = slurp(argv[2]);
  DetectOptions opt;
  for (int a = 3; a < argc; ++a)
    if (std::string(argv[a]) == "--full") opt.full = true;
  ModelSet models;
  models.load_dir(ModelSet::default_dir());
  const ModelSet* mp = models.size() ? &models : nullptr;
  Detection d = detect(data, mp, opt);
  int reps = 0;
  auto t0 = std::chrono::steady_clock::now();
  double el = 0;
  do {
    d = detect(data, mp, opt);
    ++reps;
    el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (el < 1.0 && reps < 1000);
  double per = el / reps;
  std::printf("%s\t%zu bytes\t%s\t%.3f ms/call\t%.0f MB/s\n", std::string(d.encoding_name()).c_str(),
              data.size(), opt.full ? "full" : "default", per * 1e3, data.size() / per / 1e6);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ungarble-detect-eval build|run|score|speed …\n");
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "build") return cmd_build(argc, argv);
  if (cmd == "run") return cmd_run(argc, argv);
  if (cmd == "score") return cmd_score(argc, argv);
  if (cmd == "speed") return cmd_speed(argc, argv);
  if (cmd == "labels") {  // how peer labels on stdin are mapped
    std::string l;
    while (std::getline(std::cin, l)) {
      auto id = label_to_id(l);
      std::printf("%s\t%s\n", l.c_str(), id ? std::string(encoding(*id).name).c_str() : "-");
    }
    return 0;
  }
  return 2;
}
