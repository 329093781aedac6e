// ungarble-model-eval: the measurements in docs/models.md.
//
//   ungarble-model-eval bpc MODELS_DIR EVAL_ROOT [BASELINE_DIR]
//       per language: model size, training size, bits/char on EVAL_ROOT/eval/udhr/L.txt and
//       EVAL_ROOT/heldout/L.txt (the Debian documentation family), and under BASELINE_DIR's
//       model of the same language (e.g. unigram models) — as a Markdown table.
//   ungarble-model-eval lid MODELS_DIR EVAL_ROOT [LEN…]
//       language-ID accuracy on consecutive UDHR slices of LEN code points (default 20 50 100
//       300), ours beside CLD2 (when built with libcld2) on the very same slices.
//   ungarble-model-eval speed MODELS_DIR FILE LANG
//       scoring throughput (characters/s, one core) and load time of the whole directory.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/normalize.h"
#include "ungarble/model.h"

#ifdef UNGARBLE_HAVE_CLD2
#include <cld2/public/compact_lang_det.h>
namespace CLD2 {
const char* LanguageCode(Language lang);
}
#endif

using namespace ungarble;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return {};
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

double secs_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Throughput is measured in this thread's CPU time, so that other jobs on a shared machine
// do not count against it (cache interference still does).
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

std::string cld2_lang(const std::string& text) {
#ifdef UNGARBLE_HAVE_CLD2
  bool reliable = false;
  CLD2::Language l = CLD2::DetectLanguage(text.data(), int(text.size()), true, &reliable);
  std::string c = CLD2::LanguageCode(l);
  if (c == "zh") return "zh-Hans";
  if (c == "iw") return "he";
  if (c == "no") return "nb";
  return c;
#else
  (void)text;
  return "";
#endif
}

int bpc(const ModelSet& set, const std::string& root, const std::string& base_dir) {
  ModelSet base;
  if (!base_dir.empty()) base.load_dir(base_dir);
  std::printf("| lang | model size | training text | UDHR bits/char | UDHR unigram | held-out bits/char | held-out unigram | held-out chars |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  double total_size = 0;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const auto& m = set[i];
    std::string lang(m.lang());
    total_size += double(m.size_bytes());
    std::string u = slurp(root + "/eval/udhr/" + lang + ".txt");
    std::string h = slurp(root + "/heldout/" + lang + ".txt");
    if (h.size() > 2000000) h.resize(2000000);
    const LanguageModel* b = base.find(lang);
    auto f = [](const LanguageModel* mm, const std::string& t) -> std::string {
      if (!mm || t.empty()) return "–";
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3f", mm->bits_per_char(t));
      return buf;
    };
    std::size_t hc = 0;
    if (!h.empty()) m.log2prob(h, &hc);
    std::printf("| %s | %.0f kB | %.1f MB | %s | %s | %s | %s | %zu |\n", lang.c_str(),
                double(m.size_bytes()) / 1e3, double(m.training_bytes()) / 1e6, f(&m, u).c_str(),
                f(b, u).c_str(), f(&m, h).c_str(), f(b, h).c_str(), hc);
  }
  std::printf("\n%zu models, %.2f MB in total\n", set.size(), total_size / 1e6);
  return 0;
}

int lid(const ModelSet& set, const std::string& root, std::vector<std::size_t> lens) {
  if (lens.empty()) lens = {20, 50, 100, 300};
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> ours_total, cld_total;  // ok, n
  std::printf("| lang |");
  for (auto L : lens) std::printf(" %zu ours | %zu CLD2 |", L, L);
  std::printf("\n|---|");
  for (std::size_t i = 0; i < lens.size(); ++i) std::printf("---:|---:|");
  std::printf("\n");
  std::map<std::string, std::map<std::string, int>> confusions;
  for (std::size_t i = 0; i < set.size(); ++i) {
    std::string lang(set[i].lang());
    std::string u = slurp(root + "/eval/udhr/" + lang + ".txt");
    std::vector<std::size_t> starts;  // byte offset of each code point
    for (std::size_t p = 0; p < u.size();) {
      starts.push_back(p);
      model::decode_utf8(u, p);
    }
    starts.push_back(u.size());
    std::printf("| %s |", lang.c_str());
    for (auto L : lens) {
      std::size_t ok = 0, cok = 0, n = 0;
      for (std::size_t c = 0; c + L < starts.size(); c += L) {
        std::string s = u.substr(starts[c], starts[c + L] - starts[c]);
        for (auto& ch : s)
          if (ch == '\n') ch = ' ';
        auto id = set.identify(s);
        ok += id.best.lang == lang;
        if (id.best.lang != lang && L == 50) confusions[lang][std::string(id.best.lang)]++;
        cok += cld2_lang(s) == lang;
        ++n;
      }
      ours_total[L].first += ok, ours_total[L].second += n;
      cld_total[L].first += cok, cld_total[L].second += n;
      std::printf(" %.1f | %.1f |", n ? 100.0 * ok / n : 0.0, n ? 100.0 * cok / n : 0.0);
    }
    std::printf("\n");
  }
  std::printf("| **all** |");
  for (auto L : lens)
    std::printf(" **%.1f** | **%.1f** |", 100.0 * ours_total[L].first / std::max<std::size_t>(1, ours_total[L].second),
                100.0 * cld_total[L].first / std::max<std::size_t>(1, cld_total[L].second));
  std::printf("\n\nMost frequent confusions of ours at 50 chars:\n");
  for (auto& [l, m] : confusions) {
    std::string top;
    int best = 0;
    for (auto& [k, v] : m)
      if (v > best) best = v, top = k;
    std::printf("  %s→%s (%d)", l.c_str(), top.c_str(), best);
  }
  std::printf("\n");
  return 0;
}

int speed(const std::string& dir, const std::string& file, const std::string& lang) {
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_now();
  ModelSet set;
  std::string err = set.load_dir(dir);
  double load = secs_since(t0), load_cpu = cpu_now() - c0;
  std::printf("loaded %zu models in %.2f ms (%.2f ms CPU)%s%s\n", set.size(), load * 1e3, load_cpu * 1e3,
              err.empty() ? "" : ": ", err.c_str());
  const LanguageModel* m = set.find(lang);
  std::string text = slurp(file);
  if (!m || text.empty()) return 1;
  std::size_t n = 0;
  double lp = 0;
  double t1 = cpu_now();
  int reps = 0;
  do {
    lp += m->log2prob(text, &n);
    ++reps;
  } while (cpu_now() - t1 < 2.0);
  double s = cpu_now() - t1;
  std::printf("%s: %.1f M chars/s per CPU-second (log2prob, %zu chars × %d), %.3f bits/char\n", lang.c_str(),
              double(n) * reps / s / 1e6, n, reps, -lp / double(n) / reps);
  // The incremental API, as a beam search uses it.
  std::vector<char32_t> cps;
  for (std::size_t p = 0; p < text.size();) cps.push_back(model::decode_utf8(text, p));
  double t2 = cpu_now();
  reps = 0;
  double sink = 0;
  do {
    ScoreState st;
    for (char32_t c : cps) sink += m->next(st, c);
    ++reps;
  } while (cpu_now() - t2 < 2.0);
  s = cpu_now() - t2;
  std::printf("%s: %.1f M next() calls/s (sink %.1f)\n", lang.c_str(), double(cps.size()) * reps / s / 1e6, sink);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: ungarble-model-eval bpc|lid|speed MODELS_DIR ROOT|FILE [...]\n");
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "speed") return speed(argv[2], argv[3], argc > 4 ? argv[4] : "en");
  ModelSet set;
  std::string err = set.load_dir(argv[2]);
  if (!err.empty()) std::fprintf(stderr, "%s\n", err.c_str());
  if (cmd == "bpc") return bpc(set, argv[3], argc > 4 ? argv[4] : "");
  if (cmd == "lid") {
    std::vector<std::size_t> lens;
    for (int i = 4; i < argc; ++i) lens.push_back(std::strtoul(argv[i], nullptr, 10));
    return lid(set, argv[3], lens);
  }
  return 2;
}
