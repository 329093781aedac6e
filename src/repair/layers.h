// layers.h — the layers of damage we know how to peel: "text encoded with A, bytes decoded with
// B". The candidate sets follow where mojibake is actually found: UTF-8 and the legacy CJK and
// Cyrillic pages read as the Western, Central European and DOS code pages, UTF-8 read as the
// CJK pages, and the Cyrillic pages read as each other. Each layer has a prior cost in bits
// (−log2 of how often it happens, roughly): common accidents are cheap, exotic ones expensive,
// so that the simplest explanation wins.
#pragma once

#include <functional>

#include <array>
#include <optional>
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

// The bytes each page's decoder read as one text, found once and shared by every layer
// through that page (windows-1252 alone ends a dozen layers).
class MisreadBytes {
 public:
  explicit MisreadBytes(std::string_view text) : text_(text) {}
  const EncodeResult& of(EncodingId page);
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::array<std::optional<EncodeResult>, kEncodingCount> by_page_;
};

// Of two readings that differ in one place, does the second read better? (The caller's
// language models answer; `peel` asks it about a few characters of context around the place.)
using PreferSecond = std::function<bool(std::string_view first, std::string_view second)>;

// Each byte sequence's strict reading through `page` (nullopt where it is no text), from one
// decoder call: the sequences joined by line feeds, which a stateless decoder reads as an end
// (a bad or unfinished sequence gives U+FFFD, and ASCII after it is read again), so the output's
// lines are the readings in order. Sequences holding a line feed, and all of them where the
// lines do not come out one per sequence (a stateful page), are decoded one by one.
std::vector<std::optional<std::string>> decode_each(EncodingId page, const std::vector<std::string>& seqs);
// Undo one layer exactly: bytes = encode(text, B) strictly, then decode(bytes, A) strictly.
// False when either step fails or nothing changes. `known`, when given, is over this text.
// Where B's decoder reads two byte sequences as the same character (Shift_JIS's NEC and IBM
// rows, Big5's few duplicates) and the text needs the decoder's inverse, each such character's
// sequences are tried in turn and `prefer` keeps the better reading (the lowest sequence
// without it).
bool peel(std::string_view text, const Layer& layer, std::string* out, MisreadBytes* known = nullptr,
          const PreferSecond* prefer = nullptr);

// Undo one layer whose decoder replaced what it could not read with U+FFFD (UTF-8 read as
// GBK, "锟斤拷"'s cousin): the runs between the U+FFFDs are peeled one by one, and each hole
// stays one U+FFFD, swallowing the partial characters at its edges — what stood there is
// unknown, and nothing is invented. Fails when a run does not peel cleanly inside (errors only
// at the edges of holes are the hole's). `holes` counts the U+FFFDs of the result.
bool peel_with_holes(std::string_view text, const Layer& layer, std::string* out, std::size_t* holes);

// What makes a piece of text worth a repair attempt, found in one pass without any model:
struct Suspicion {
  std::size_t utf8_pairs = 0;   // adjacent characters whose bytes in a common single-byte page
                                // form a UTF-8 lead + continuation (the mark of UTF-8 misread)
  std::size_t western_pairs = 0;  // …of which windows-1252 or latin-1 makes the pair
  std::size_t latin_runs = 0;   // runs of ≥3 Latin-1/C1 characters (legacy pages misread)
  std::size_t run_chars = 0;    // the characters in those runs
  std::size_t replacement = 0;  // U+FFFD
  std::size_t cyrillic_greek = 0;  // letters a Cyrillic/Greek page swap could have produced
  std::size_t cjk = 0;  // Han, kana, Hangul: a CJK page misread as another (or UTF-8 read as
                        // one) yields real characters, so only the models can tell
  std::size_t halfwidth_kana = 0;  // what Shift_JIS makes of bytes A1–DF (UTF-8 continuation
                                   // bytes, EUC lead and trail bytes); rare in text since 2000
  std::size_t sjis_pairs = 0;  // ƒ, ˆ, ‰ or a C1 control before an ASCII letter or symbol
                               // (Shift_JIS read as cp1252), counted from two on
  std::size_t box_words = 0;   // words made only of varied box drawing (Cyrillic via cp866; a
                               // word of 8 pieces or more counts three),
                               // strong from three on
  std::size_t sjis_marks = 0;  // the Shift_JIS marks before the threshold (for add())
  std::size_t drawn_words = 0;  // words of box drawing that repeat their pieces (tables, bars):
                                // the text draws with the DOS pages' characters
  std::size_t latin_cjk = 0;   // CJK characters touching an ASCII letter ("n채tverket", "fr疇n"):
                               // what one accented letter of UTF-8 becomes through a CJK page
  std::size_t lone_pairs = 0;  // two Latin-1 characters alone between ASCII, one a sign ("USB ¤ä
                               // PCI" is "USB や PCI" in EUC-JP through cp1252; not « », nor a
                               // UTF-8 pair): one CJK character of a legacy page in Latin text.
                               // None in 162,435 held-out lines but those quoting "Ã©".
  std::size_t orphan_leads = 0;  // a Latin-1 capital (a UTF-8 lead as cp1252 shows it) inside a
                                 // lowercase word or before '?' and a letter: its continuation
                                 // was stripped or replaced ("lÃnea", "Ä?len")
  std::size_t mixed_words = 0;  // words with Latin letters and Greek or Cyrillic ones ("Γ–nceki",
                                // "doloГ„ВЌbe"): UTF-8 read through a Greek or Cyrillic page
  // The counts of two pieces of text split at whitespace, where no mark can straddle.
  void add(const Suspicion& o) {
    utf8_pairs += o.utf8_pairs, western_pairs += o.western_pairs, latin_runs += o.latin_runs;
    run_chars += o.run_chars;
    replacement += o.replacement, cyrillic_greek += o.cyrillic_greek, cjk += o.cjk;
    halfwidth_kana += o.halfwidth_kana, box_words += o.box_words, sjis_marks += o.sjis_marks;
    latin_cjk += o.latin_cjk, drawn_words += o.drawn_words, mixed_words += o.mixed_words;
    lone_pairs += o.lone_pairs, orphan_leads += o.orphan_leads;
    sjis_pairs = sjis_marks >= 2 ? sjis_marks : 0;
  }
  bool operator==(const Suspicion&) const = default;
  bool strong() const {
    return utf8_pairs || latin_runs || replacement || halfwidth_kana || sjis_pairs || box_words >= 3 || lone_pairs ||
           orphan_leads;
  }
  bool any() const { return strong() || cyrillic_greek || cjk; }
  bool only_cjk() const { return cjk && !strong() && !cyrillic_greek; }
  // Most of the CJK characters sit inside Latin words: Latin text through a CJK page, which
  // reads as common characters one by one; clean CJK text puts a few beside Latin names.
  bool cjk_in_latin() const { return latin_cjk && latin_cjk * 2 >= cjk; }
  bool only_cyrillic_greek() const { return cyrillic_greek && !strong() && !cjk; }
};
Suspicion suspicion(std::string_view utf8);
// The characters a run of Latin-1 can be made of (Czech "á" as well as the "ÎÄ¼þ" of GBK
// read as cp1252), and those cp1252 does not have at all (ř, ə): what a text is made of beside
// ASCII, cp1252's punctuation (“ ‚ …) and U+FFFD.
std::size_t latin1_or_foreign(std::string_view utf8);
// A screen at memory speed: false only when suspicion() would find nothing (Western text —
// ASCII with an accent here and there — is most input); true means "scan it".
bool might_be_suspicious(std::string_view utf8);
// suspicion(), the same counts, scanning only the words around the blocks the screen cannot
// let through: for long Western text with a mark or two, most of it is never decoded.
Suspicion suspicion_screened(std::string_view utf8);

// Box drawing that reads as letters through a Cyrillic page: pieces mixing single and double
// lines, and blocks (╒╓╘╙╞╟╤╥╧╨╪╫ ▀▄█▌▐), which KOI8's о п р с т у ф ь я ш щ э ъ become
// through cp866. Frames and tables are drawn with one kind of line (┌──┬──┐, ╔═╗).
bool letterlike_box(char32_t c);



}  // namespace ungarble::repair_detail
