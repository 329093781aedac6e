// error_modes.cpp — error policies as values: parsed from and printed to the names the CLI and
// the repair recipes use ("strict", "replace", "question", "ignore", "fallback:windows-1252";
// for encoding "strict", "replace", "ignore", "ncr").
#include "ungarble/codec.h"

namespace ungarble {

std::optional<DecodeErrors> DecodeErrors::parse(std::string_view spec, std::string* why) {
  DecodeErrors e;
  if (spec == "strict") e.mode = DecodeErrorMode::strict;
  else if (spec == "replace") e.mode = DecodeErrorMode::replace;
  else if (spec == "question") e.mode = DecodeErrorMode::question;
  else if (spec == "ignore") e.mode = DecodeErrorMode::ignore;
  else if (spec.starts_with("fallback:")) {
    std::string_view label = spec.substr(9);
    const Encoding* enc = find_encoding(label);
    if (!enc) {
      if (why) *why = "unknown fallback encoding '" + std::string(label) + "' (did you mean '" +
                      std::string(closest_label(label)) + "'?)";
      return std::nullopt;
    }
    if (enc->kind != EncodingKind::single_byte && enc->id != EncodingId::x_user_defined) {
      if (why) *why = "fallback encoding must be single-byte, '" + std::string(enc->name) + "' is not";
      return std::nullopt;
    }
    e.mode = DecodeErrorMode::fallback;
    e.fallback = enc->id;
  } else {
    if (why) *why = "unknown error mode '" + std::string(spec) +
                    "' (expected strict, replace, question, ignore or fallback:ENC)";
    return std::nullopt;
  }
  return e;
}

std::string DecodeErrors::name() const {
  switch (mode) {
    case DecodeErrorMode::strict: return "strict";
    case DecodeErrorMode::replace: return "replace";
    case DecodeErrorMode::question: return "question";
    case DecodeErrorMode::ignore: return "ignore";
    case DecodeErrorMode::fallback: return "fallback:" + std::string(encoding(fallback).name);
  }
  return "?";
}

std::optional<EncodeErrors> EncodeErrors::parse(std::string_view spec, std::string* why) {
  EncodeErrors e;
  if (spec == "strict") e.mode = EncodeErrorMode::strict;
  else if (spec == "replace" || spec == "question") e.mode = EncodeErrorMode::replace;
  else if (spec == "ignore") e.mode = EncodeErrorMode::ignore;
  else if (spec == "ncr" || spec == "html") e.mode = EncodeErrorMode::ncr;
  else {
    if (why) *why = "unknown error mode '" + std::string(spec) +
                    "' (expected strict, replace, ignore or ncr)";
    return std::nullopt;
  }
  return e;
}

std::string EncodeErrors::name() const {
  switch (mode) {
    case EncodeErrorMode::strict: return "strict";
    case EncodeErrorMode::replace: return "replace";
    case EncodeErrorMode::ignore: return "ignore";
    case EncodeErrorMode::ncr: return "ncr";
  }
  return "?";
}

}  // namespace ungarble
