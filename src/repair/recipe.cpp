// recipe.cpp — the account of a repair: JSON in and out, replay, and a readable explanation.
//
// Replay is the proof: each span's forward steps, applied to its repaired text, must give the
// input span back. Steps are applied exactly as named: encode strictly, decode under the named
// error policy, strip the named characters, re-decode the listed ranges, split ligatures.
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "repair/utf8_step.h"
#include "ungarble/repair.h"

namespace ungarble {
namespace {

using json = nlohmann::json;

const char* op_name(Step::Op op) {
  switch (op) {
    case Step::Op::encode: return "encode";
    case Step::Op::decode: return "decode";
    case Step::Op::strip: return "strip";
    case Step::Op::redecode: return "redecode";
    case Step::Op::split_ligatures: return "split_ligatures";
  }
  return "?";
}

std::optional<Step::Op> op_of(std::string_view s) {
  for (auto op : {Step::Op::encode, Step::Op::decode, Step::Op::strip, Step::Op::redecode,
                  Step::Op::split_ligatures})
    if (s == op_name(op)) return op;
  return std::nullopt;
}

struct Lig {
  const char* lig;
  const char* spelled;
};
constexpr Lig kLigs[] = {{"Ǆ", "DŽ"}, {"ǅ", "Dž"}, {"ǆ", "dž"}, {"Ǉ", "LJ"}, {"ǈ", "Lj"},
                         {"ǉ", "lj"}, {"Ǌ", "NJ"}, {"ǋ", "Nj"}, {"ǌ", "nj"}, {"Ǳ", "DZ"},
                         {"ǲ", "Dz"}, {"ǳ", "dz"}, {"Ĳ", "IJ"}, {"ĳ", "ij"}, {"ﬀ", "ff"},
                         {"ﬁ", "fi"}, {"ﬂ", "fl"}, {"ﬃ", "ffi"}, {"ﬄ", "ffl"}, {"ﬆ", "st"}};

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  std::string r;
  std::size_t at = 0;
  for (std::size_t hit = s.find(from); hit != std::string::npos; hit = s.find(from, at)) {
    r.append(s, at, hit - at);
    r.append(to);
    at = hit + from.size();
  }
  r.append(s, at, std::string::npos);
  s = std::move(r);
}

// Applies one span's chain. The value flowing between steps is text (UTF-8) or, after an
// encode, bytes; both live in a std::string.
bool apply_chain(std::string value, const std::vector<Step>& steps, std::string* out,
                 std::string* why) {
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const Step& s = steps[k];
    switch (s.op) {
      case Step::Op::encode: {
        EncodeResult e = encode(value, s.encoding, {EncodeErrorMode::strict});
        if (!e.ok) {
          if (why) *why = "step " + std::to_string(k) + ": text cannot be encoded in " +
                          std::string(encoding(s.encoding).name);
          return false;
        }
        value = std::move(e.bytes);
        break;
      }
      case Step::Op::decode:
        value = decode(value, s.encoding, s.errors, BomPolicy::keep).text;
        break;
      case Step::Op::strip:
        for (std::size_t i = 0; i < s.chars.size();) {
          const std::size_t n = repair_detail::utf8_length(static_cast<unsigned char>(s.chars[i]));
          replace_all(value, s.chars.substr(i, n), "");
          i += n;
        }
        break;
      case Step::Op::redecode: {
        // Consecutive redecode steps share the coordinates of the text before the first.
        std::vector<std::tuple<std::size_t, std::size_t, EncodingId>> all;
        std::size_t j = k;
        for (; j < steps.size() && steps[j].op == Step::Op::redecode; ++j)
          for (auto [a, b] : steps[j].ranges) all.emplace_back(a, b, steps[j].encoding);
        k = j - 1;
        std::sort(all.rbegin(), all.rend());
        for (auto [a, b, enc] : all) {
          if (b > value.size() || a > b) {
            if (why) *why = "redecode range outside the text";
            return false;
          }
          EncodeResult e = encode(std::string_view(value).substr(a, b - a), enc);
          DecodeResult d = decode(e.bytes, EncodingId::utf_8, {DecodeErrorMode::strict}, BomPolicy::keep);
          if (!e.ok || !d.ok) {
            if (why) *why = "redecode range is not UTF-8 mojibake";
            return false;
          }
          value = value.substr(0, a) + d.text + value.substr(b);
        }
        break;
      }
      case Step::Op::split_ligatures:
        for (const Lig& l : kLigs) replace_all(value, l.lig, l.spelled);
        break;
    }
  }
  *out = std::move(value);
  return true;
}

}  // namespace

bool replay(const RepairResult& r, std::string* out, std::string* why) {
  std::string result;
  std::size_t at = 0;
  for (const SpanRepair& sp : r.spans) {
    if (sp.out_begin < at || sp.out_end > r.text.size() || sp.out_begin > sp.out_end) {
      if (why) *why = "span offsets do not fit the text";
      return false;
    }
    result.append(r.text, at, sp.out_begin - at);
    std::string piece;
    if (!apply_chain(r.text.substr(sp.out_begin, sp.out_end - sp.out_begin), sp.forward, &piece, why))
      return false;
    result += piece;
    at = sp.out_end;
  }
  result.append(r.text, at);
  *out = std::move(result);
  return true;
}

std::string recipe_to_json(const RepairResult& r, bool include_text) {
  json j;
  if (include_text) j["text"] = r.text;
  j["changed"] = r.changed;
  j["confidence"] = r.confidence;
  json spans = json::array();
  for (const SpanRepair& sp : r.spans) {
    json s;
    s["input"] = {sp.in_begin, sp.in_end};
    s["output"] = {sp.out_begin, sp.out_end};
    s["confidence"] = sp.confidence;
    s["gain_bits"] = sp.gain_bits;
    s["language"] = sp.language;
    s["lossy"] = sp.lossy;
    s["undecided"] = sp.undecided;
    json steps = json::array();
    for (const Step& st : sp.forward) {
      json x;
      x["op"] = op_name(st.op);
      if (st.op == Step::Op::encode || st.op == Step::Op::decode || st.op == Step::Op::redecode)
        x["encoding"] = std::string(encoding(st.encoding).name);
      if (st.op == Step::Op::decode) x["errors"] = st.errors.name();
      if (st.op == Step::Op::strip) x["chars"] = st.chars;
      if (st.op == Step::Op::redecode) x["ranges"] = st.ranges;
      steps.push_back(std::move(x));
    }
    s["steps"] = std::move(steps);
    json restored = json::array();
    for (const Restored& rs : sp.restored) {
      json x;
      x["offset"] = rs.out_offset;
      x["chosen"] = rs.chosen;
      x["confidence"] = rs.confidence;
      json alts = json::array();
      for (auto& [t, p] : rs.alternatives) alts.push_back({{"reading", t}, {"p", p}});
      x["alternatives"] = std::move(alts);
      restored.push_back(std::move(x));
    }
    s["restored"] = std::move(restored);
    spans.push_back(std::move(s));
  }
  j["steps"] = std::move(spans);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool recipe_from_json(std::string_view text, RepairResult* r, std::string* why) {
  json j = json::parse(text, nullptr, false);
  auto fail = [&](const std::string& m) {
    if (why) *why = m;
    return false;
  };
  if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
  try {
    *r = RepairResult{};
    if (!j.contains("text") || !j["text"].is_string()) return fail("missing \"text\"");
    r->text = j["text"].get<std::string>();
    r->changed = j.value("changed", false);
    r->confidence = j.value("confidence", 1.0);
    for (const json& s : j.value("steps", json::array())) {
      SpanRepair sp;
      sp.in_begin = s.at("input").at(0);
      sp.in_end = s.at("input").at(1);
      sp.out_begin = s.at("output").at(0);
      sp.out_end = s.at("output").at(1);
      sp.confidence = s.value("confidence", 0.0);
      sp.language = s.value("language", "");
      for (const json& x : s.at("steps")) {
        auto op = op_of(x.at("op").get<std::string>());
        if (!op) return fail("unknown step '" + x.at("op").get<std::string>() + "'");
        Step st{*op};
        if (x.contains("encoding")) {
          const Encoding* e = find_encoding(x["encoding"].get<std::string>());
          if (!e) return fail("unknown encoding '" + x["encoding"].get<std::string>() + "'");
          st.encoding = e->id;
        }
        if (x.contains("errors")) {
          auto p = DecodeErrors::parse(x["errors"].get<std::string>(), why);
          if (!p) return false;
          st.errors = *p;
        }
        st.chars = x.value("chars", "");
        if (x.contains("ranges"))
          st.ranges = x["ranges"].get<std::vector<std::pair<std::size_t, std::size_t>>>();
        sp.forward.push_back(std::move(st));
      }
      r->spans.push_back(std::move(sp));
    }
  } catch (const json::exception& e) {
    return fail(std::string("malformed recipe: ") + e.what());
  }
  return true;
}

std::string explain(const RepairResult& r, std::string_view input) {
  std::string s;
  char buf[256];
  if (r.spans.empty()) return "nothing to repair\n";
  for (const SpanRepair& sp : r.spans) {
    std::snprintf(buf, sizeof buf, "span input[%zu..%zu) → output[%zu..%zu)  confidence %.4f  gain %.1f bits  %s%s\n",
                  sp.in_begin, sp.in_end, sp.out_begin, sp.out_end, sp.confidence, sp.gain_bits,
                  sp.language.c_str(), sp.lossy ? "  lossy" : "");
    s += buf;
    std::string_view before = input.substr(sp.in_begin, std::min<std::size_t>(sp.in_end - sp.in_begin, 60));
    s += "  was:  " + std::string(before) + (sp.in_end - sp.in_begin > 60 ? "…" : "") + "\n";
    s += "  how it broke:";
    for (const Step& st : sp.forward) {
      s += " → ";
      s += op_name(st.op);
      if (st.op == Step::Op::encode || st.op == Step::Op::decode || st.op == Step::Op::redecode)
        s.append("(").append(encoding(st.encoding).name).append(")");
      if (st.op == Step::Op::decode && st.errors.mode != DecodeErrorMode::strict)
        s.append("[").append(st.errors.name()).append("]");
      if (st.op == Step::Op::redecode) s += "×" + std::to_string(st.ranges.size());
    }
    s += "\n";
    if (!sp.restored.empty()) {
      std::snprintf(buf, sizeof buf, "  restored %zu lost/replaced bytes, %zu undecided\n",
                    sp.restored.size(), sp.undecided);
      s += buf;
    }
  }
  return s;
}

}  // namespace ungarble
