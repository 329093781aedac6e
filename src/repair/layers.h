// layers.h — the layers of damage we know how to peel: "text encoded with A, bytes decoded with
// B". The candidate sets follow where mojibake is actually found: UTF-8 and the legacy CJK and
// Cyrillic pages read as the Western, Central European and DOS code pages, UTF-8 read as the
// CJK pages, and the Cyrillic pages read as each other. Each layer has a prior cost in bits
// (−log2 of how often it happens, roughly): common accidents are cheap, exotic ones expensive,
// so that the simplest explanation wins.
#pragma once

#include <string>
#include <vector>

#include "ungarble/codec.h"

namespace ungarble::repair_detail {

struct Layer {
  EncodingId original;  // A: what the bytes really were
  EncodingId misread;   // B: what they were decoded as
  double cost_bits;
};

// Every (A, B) pair worth trying; `only_original` restricts A (the user said --from).
std::vector<Layer> candidate_layers(std::optional<EncodingId> only_original = std::nullopt);

// Undo one layer exactly: bytes = encode(text, B) strictly, then decode(bytes, A) strictly.
// False when either step fails or nothing changes.
bool peel(std::string_view text, const Layer& layer, std::string* out);

// Is this character one that mojibake is made of (Latin-1 letters and symbols, C1 controls,
// box drawing, Latin Extended, the replacement character...)? Clean text in most languages
// has few of them in a row.
bool mojibake_char(char32_t c);

}  // namespace ungarble::repair_detail
