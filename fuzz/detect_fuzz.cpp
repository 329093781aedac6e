// detect_fuzz.cpp — charset detection on arbitrary bytes, with and without the shipped models,
// in the default (bounded prefix) and --full modes, with and without a declared charset.
// Properties: no crash or sanitizer report; a text verdict has candidates, ranked, with
// confidences in [0, 1] summing to at most 1; binary/empty have none; empty iff no bytes;
// the answer's name is a known encoding's canonical name; valid UTF-8 re-encoded in any UTF with
// its BOM is detected by the BOM and decodes back exactly.
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
      check(find_encoding(n) != nullptr && find_encoding(n)->id == c.encoding);
    }
    check(sum <= 1.0 + 1e-6);
  } else {
    check(d.candidates.empty());
  }
  check(d.bytes_examined <= in.size());
}

// Valid UTF-8 re-encoded with a BOM in each UTF: the BOM decides, and the answer decodes the
// bytes back to the text exactly.
static void bom_round_trip(std::span<const std::uint8_t> in) {
  std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
  if (!is_valid_utf8(text)) return;
  struct U { EncodingId id; std::string_view bom; };
  static const U utfs[] = {{EncodingId::utf_8, {"\xEF\xBB\xBF", 3}},
                           {EncodingId::utf_16le, {"\xFF\xFE", 2}},
                           {EncodingId::utf_16be, {"\xFE\xFF", 2}},
                           {EncodingId::utf_32le, {"\xFF\xFE\x00\x00", 4}},
                           {EncodingId::utf_32be, {"\x00\x00\xFE\xFF", 4}}};
  for (const U& u : utfs) {
    std::string bytes(u.bom);
    bytes += encode(text, u.id).bytes;
    Detection d = detect(bytes, nullptr);
    check(d.kind == Detection::Kind::text && d.from_bom && !d.candidates.empty());
    EncodingId got = d.candidates[0].encoding;
    // FF FE 00 00 … may be UTF-16LE with a leading U+0000 when the text starts with NUL.
    bool ok = got == u.id || (u.id == EncodingId::utf_32le && got == EncodingId::utf_16le) ||
              (u.id == EncodingId::utf_16le && got == EncodingId::utf_32le);
    check(ok);
    if (got == u.id) check(decode(bytes, got).text == text);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> in(data, size);
  DetectOptions opt;
  verify(in, detect(in, nullptr, opt));
  verify(in, detect(in, models(), opt));
  bom_round_trip(in);
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
