// fix_fuzz.cpp — repair on arbitrary input with the shipped models. Properties: no crash or
// sanitizer report; the repaired text is well-formed UTF-8; the recipe survives JSON; and for
// well-formed input whose spans are all exact (no restored bytes), replay gives the input back.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ungarble/model.h"
#include "ungarble/repair.h"

using namespace ungarble;

static void check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ModelSet* models = [] {
    auto* m = new ModelSet;
    m->load_dir(ModelSet::default_dir());
    return m;
  }();
  if (size < 1) return 0;
  RepairOptions opt;
  opt.per_line = data[0] & 1;
  opt.lossy = data[0] & 2;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  RepairResult r = repair(in, *models, opt);
  check(is_valid_utf8(r.text));
  RepairResult parsed;
  std::string why;
  check(recipe_from_json(recipe_to_json(r), &parsed, &why));
  check(parsed.text == r.text && parsed.spans.size() == r.spans.size());
  bool exact = is_valid_utf8(in);
  for (const auto& s : r.spans) exact = exact && !s.lossy;
  std::string back;
  if (exact && replay(r, &back, &why)) check(back == in);
  return 0;
}
