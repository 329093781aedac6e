// cmd_codec.cpp — `ungarble decode`, `ungarble encode`, `ungarble encodings`.
//
// decode streams: input is read in 1 MiB chunks and each chunk's UTF-8 is written before the
// next is read, so memory stays bounded on any input size.
#include <algorithm>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/parse.h"
#include "io/input.h"
#include "ungarble/codec.h"

namespace ungarble::cli {
namespace {

const Encoding* require_encoding(const std::string& label, const char* what) {
  const Encoding* e = find_encoding(label);
  if (!e)
    throw UsageError("unknown encoding '" + label + "' for " + what + " (did you mean '" +
                     std::string(closest_label(label)) + "'? 'ungarble encodings' lists them all)");
  return e;
}

}  // namespace

int cmd_decode(const std::vector<std::string>& args) {
  CLI::App app{
      "Decode bytes in a known encoding to UTF-8 on standard output.\n\n"
      "Examples:\n"
      "  ungarble decode --from gbk page.txt\n"
      "  ungarble decode --from utf-8 --errors fallback:windows-1252 mixed.txt\n"
      "  ungarble decode --from shift_jis --errors strict < legacy.txt",
      "ungarble decode"};
  std::string from, errors = "replace", bom = "strip";
  std::vector<std::string> files;
  app.add_option("-f,--from", from, "encoding of the input (any label, e.g. gbk, latin1, sjis)")
      ->required();
  app.add_option("-e,--errors", errors,
                 "what to do with malformed bytes: replace (U+FFFD, as WHATWG), strict (fail "
                 "with the byte offset), question ('?'), ignore (drop), fallback:ENC (read those "
                 "bytes with single-byte ENC)")
      ->capture_default_str();
  app.add_option("--bom", bom,
                 "strip (drop a BOM of --from), keep (keep it as U+FEFF), sniff (a UTF-8/16 BOM "
                 "overrides --from, as browsers do)")
      ->capture_default_str();
  app.add_option("files", files, "input files ('-' or none: standard input)");
  return run_app(app, args, [&]() -> int {
    const Encoding* enc = require_encoding(from, "--from");
    std::string why;
    auto policy = DecodeErrors::parse(errors, &why);
    if (!policy) throw UsageError(why);
    BomPolicy bp;
    if (bom == "strip") bp = BomPolicy::strip;
    else if (bom == "keep") bp = BomPolicy::keep;
    else if (bom == "sniff") bp = BomPolicy::sniff;
    else throw UsageError("--bom must be strip, keep or sniff, not '" + bom + "'");
    if (files.empty()) files.push_back("-");
    int status = 0;
    for (const auto& path : files) {
      StreamDecoder dec(enc->id, *policy, bp);
      std::string out, err;
      bool decode_failed = false, write_failed = false;
      bool read_ok = io::read_chunks(
          path,
          [&](std::span<const std::uint8_t> chunk, bool last) {
            out.clear();
            bool ok = dec.feed(chunk, last, out);
            if (!io::write_stdout(out)) return write_failed = true, false;
            if (!ok) return decode_failed = true, false;
            return true;
          },
          &err);
      std::fflush(stdout);
      if (!read_ok) {
        std::fprintf(stderr, "ungarble decode: %s\n", err.c_str());
        status = 1;
      } else if (write_failed) {
        std::fprintf(stderr, "ungarble decode: cannot write to standard output\n");
        return 1;
      } else if (decode_failed) {
        std::fprintf(stderr,
                     "ungarble decode: %s: malformed %s at byte offset %llu (use --errors "
                     "replace to decode anyway)\n",
                     io::display_name(path).c_str(), std::string(encoding(dec.used()).name).c_str(),
                     static_cast<unsigned long long>(dec.error_offset()));
        status = 1;
      }
    }
    return status;
  });
}

int cmd_encode(const std::vector<std::string>& args) {
  CLI::App app{
      "Encode UTF-8 text from the input into an encoding, bytes on standard output.\n\n"
      "Examples:\n"
      "  ungarble encode --to gbk zh.txt > zh.gbk\n"
      "  ungarble encode --to windows-1252 --errors ncr page.txt   # &#NNNN; for the rest",
      "ungarble encode"};
  std::string to, errors = "strict";
  std::vector<std::string> files;
  app.add_option("-t,--to", to, "target encoding (any label)")->required();
  app.add_option("-e,--errors", errors,
                 "what to do with characters the target cannot hold: strict (fail with the byte "
                 "offset), replace ('?'), ignore (drop), ncr (&#NNNN;, as browsers submit forms)")
      ->capture_default_str();
  app.add_option("files", files, "input files, UTF-8 ('-' or none: standard input)");
  return run_app(app, args, [&]() -> int {
    const Encoding* enc = require_encoding(to, "--to");
    std::string why;
    auto policy = EncodeErrors::parse(errors, &why);
    if (!policy) throw UsageError(why);
    if (files.empty()) files.push_back("-");
    int status = 0;
    for (const auto& path : files) {
      std::string text, err;
      if (!io::read_all(path, &text, &err)) {
        std::fprintf(stderr, "ungarble encode: %s\n", err.c_str());
        status = 1;
        continue;
      }
      EncodeResult r = encode(text, enc->id, *policy);
      if (!io::write_stdout(r.bytes)) {
        std::fprintf(stderr, "ungarble encode: cannot write to standard output\n");
        return 1;
      }
      if (!r.ok) {
        std::fprintf(stderr,
                     "ungarble encode: %s: character at byte offset %llu cannot be encoded in %s "
                     "(use --errors replace|ignore|ncr)\n",
                     io::display_name(path).c_str(),
                     static_cast<unsigned long long>(r.error_offset),
                     std::string(enc->name).c_str());
        status = 1;
      }
    }
    std::fflush(stdout);
    return status;
  });
}

int cmd_encodings(const std::vector<std::string>& args) {
  CLI::App app{"List every encoding: canonical name, kind, origin, and the labels it accepts.",
               "ungarble encodings"};
  bool names_only = false;
  app.add_flag("--names", names_only, "print only the canonical names");
  return run_app(app, args, [&]() -> int {
    for (const Encoding& e : all_encodings()) {
      if (names_only) {
        std::printf("%s\n", std::string(e.name).c_str());
        continue;
      }
      const char* kind = e.kind == EncodingKind::single_byte  ? "single-byte"
                         : e.kind == EncodingKind::multi_byte ? "multi-byte"
                         : e.kind == EncodingKind::utf        ? "unicode"
                                                              : "special";
      std::string labels;
      for (auto l : e.labels) {
        if (!labels.empty()) labels += ' ';
        labels += l;
      }
      std::printf("%-16s %-11s %-6s %s\n", std::string(e.name).c_str(), kind,
                  e.whatwg ? "whatwg" : "legacy", labels.c_str());
    }
    return 0;
  });
}

}  // namespace ungarble::cli
