// detect_fuzz.cpp — charset detection on arbitrary bytes, with and without the shipped models,
// in the default (bounded prefix) and --full modes, with and without a declared charset.
// Properties: no crash or sanitizer report; a text verdict has candidates, ranked, with
// confidences in [0, 1] summing to at most 1; binary/empty have none; empty iff no bytes;
// the answer's name is a known encoding (or utf-32le/be).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ungarble/codec.h"
#include "ungarble/detect.h"
#include "ungarble/model.h"

using namespace ungarble;

static void check(bool ok) {
  if (!ok) std::abort();
}

static const ModelSet* models() {
  static ModelSet* set = [] {
    auto* s = new ModelSet;
    s->load_dir(ModelSet::default_dir());
    return s;
  }();
  return set->size() ? set : nullptr;
}

static void verify(std::span<const std::uint8_t> in, const Detection& d) {
  check((d.kind == Detection::Kind::empty) == in.empty());
  if (d.kind == Detection::Kind::text || d.kind == Detection::Kind::double_utf8) {
    check(!d.candidates.empty());
    double sum = 0;
    for (std::size_t i = 0; i < d.candidates.size(); ++i) {
      const Candidate& c = d.candidates[i];
      check(c.confidence >= 0 && c.confidence <= 1.0 + 1e-9);
      if (i) check(d.candidates[i - 1].confidence >= c.confidence);
      sum += c.confidence;
      std::string_view n = c.name();
      check(n == "utf-32le" || n == "utf-32be" || find_encoding(n) != nullptr);
    }
    check(sum <= 1.0 + 1e-6);
  } else {
    check(d.candidates.empty());
  }
  check(d.bytes_examined <= in.size());
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  DetectOptions opt;
  verify(in, detect(in, nullptr, opt));
  verify(in, detect(in, models(), opt));
  if (size > 0) {
    opt.full = true;
    opt.prefix = 1 + data[0] * 16;
    opt.evidence = 1 + data[size - 1] * 8;
    opt.declared = static_cast<EncodingId>(data[0] % kEncodingCount);
    verify(in, detect(in, models(), opt));
    verify(in, detect(in, nullptr, opt));
  }
  return 0;
}
