// ungarble/codec.h — exact codecs for every WHATWG encoding and the legacy code pages that
// mojibake travels through, with the failure modes of real decoders as first-class values.
//
// Why failure modes matter: repair explains broken text as a chain of steps a real pipeline
// took ("decoded as windows-1252, dropping what it could not map"), so each way a decoder or
// encoder can fail is a value here that can be named, printed, parsed back and replayed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ungarble {

// Every encoding ungarble knows. The first block is the WHATWG Encoding Standard's set in its
// order; the second the legacy code pages that the standard folds away but real software used.
enum class EncodingId : std::uint8_t {
  utf_8,
  ibm866,
  iso_8859_2, iso_8859_3, iso_8859_4, iso_8859_5, iso_8859_6, iso_8859_7, iso_8859_8,
  iso_8859_8_i, iso_8859_10, iso_8859_13, iso_8859_14, iso_8859_15, iso_8859_16,
  koi8_r, koi8_u, macintosh,
  windows_874, windows_1250, windows_1251, windows_1252, windows_1253, windows_1254,
  windows_1255, windows_1256, windows_1257, windows_1258,
  x_mac_cyrillic,
  gbk, gb18030, big5, euc_jp, iso_2022_jp, shift_jis, euc_kr,
  replacement, utf_16be, utf_16le, x_user_defined,
  // Legacy, not in WHATWG (there latin1 means windows-1252 and the CJK pages are merged):
  iso_8859_1,  // true ISO-8859-1: every byte is the code point of the same value (C1 at 80–9F)
  ibm437, ibm850, ibm852, ibm1125,
  cp932,  // Microsoft's Shift_JIS with NEC/IBM extensions, as Windows maps it
  cp949,  // Microsoft's Unified Hangul Code
  cp950,  // Microsoft's Big5
  x_cp1252_strict,  // windows-1252 as Python and Java decode it: 81 8D 8F 90 9D unmapped
  utf_32le, utf_32be,  // 4-byte code units; "utf-32" and "ucs-4le" label LE, "ucs-4" BE (as iconv)
  count_
};
inline constexpr std::size_t kEncodingCount = static_cast<std::size_t>(EncodingId::count_);

enum class EncodingKind : std::uint8_t {
  single_byte,  // one byte, one code point (table-driven)
  multi_byte,   // CJK and other stateful/variable-width byte encodings
  utf,          // UTF-8, UTF-16BE/LE, UTF-32LE/BE
  special       // replacement, x-user-defined
};

struct Encoding {
  EncodingId id;
  std::string_view name;          // canonical lower-case name (WHATWG's where it has one)
  EncodingKind kind;
  bool whatwg;                    // defined by the WHATWG Encoding Standard
  bool ascii_compatible;          // bytes 00–7F always mean ASCII
  std::span<const std::string_view> labels;  // every accepted label, lower-case
};

// Look-up by label: ASCII case-insensitive, surrounding ASCII whitespace ignored, as WHATWG
// "get an encoding" does, plus common aliases (latin1 → windows-1252 as on the web; use
// "iso-8859-1-strict"/"l1-strict"… for the true ISO-8859-1). nullptr when unknown.
const Encoding* find_encoding(std::string_view label) noexcept;
const Encoding& encoding(EncodingId id) noexcept;
std::span<const Encoding> all_encodings() noexcept;
// The known label nearest to an unknown one (edit distance), for "did you mean" messages.
std::string_view closest_label(std::string_view unknown) noexcept;

// ---- Decoding -------------------------------------------------------------------------------

enum class DecodeErrorMode : std::uint8_t {
  strict,    // stop at the first malformed sequence, report its byte offset
  replace,   // one U+FFFD per malformed sequence, exactly as the WHATWG decoders do
  question,  // one '?' per malformed sequence (databases, Java's getBytes, many CMSs)
  ignore,    // drop malformed sequences
  fallback   // decode each byte of a malformed sequence with a single-byte encoding instead
};

struct DecodeErrors {
  DecodeErrorMode mode = DecodeErrorMode::replace;
  EncodingId fallback = EncodingId::windows_1252;  // used when mode == fallback

  // "strict", "replace", "question", "ignore", "fallback:ENC" (ENC single-byte).
  static std::optional<DecodeErrors> parse(std::string_view spec, std::string* why = nullptr);
  std::string name() const;
  bool operator==(const DecodeErrors&) const = default;
};

enum class BomPolicy : std::uint8_t {
  strip,  // drop a BOM of the decoding encoding (TextDecoder's default)
  keep,   // keep it as U+FEFF
  sniff   // WHATWG "decode": a UTF-8/16 BOM overrides the given encoding
};

struct DecodeResult {
  std::string text;               // UTF-8
  std::size_t errors = 0;         // malformed sequences seen
  bool ok = true;                 // false only in strict mode when an error stopped decoding
  std::uint64_t error_offset = 0; // strict: byte offset of the first malformed sequence
  EncodingId used{};              // the encoding actually used (differs after a BOM sniff)
};

DecodeResult decode(std::span<const std::uint8_t> bytes, EncodingId enc,
                    DecodeErrors errors = {}, BomPolicy bom = BomPolicy::strip);
inline DecodeResult decode(std::string_view bytes, EncodingId enc, DecodeErrors errors = {},
                           BomPolicy bom = BomPolicy::strip) {
  return decode({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, enc,
                errors, bom);
}

// Streaming decoding: feed chunks, get UTF-8 appended to `out`. Sequences split across chunks
// are carried over; offsets in errors are absolute from the start of the stream.
class StreamDecoder {
 public:
  StreamDecoder(EncodingId enc, DecodeErrors errors = {}, BomPolicy bom = BomPolicy::strip);
  ~StreamDecoder();
  StreamDecoder(StreamDecoder&&) noexcept;
  StreamDecoder& operator=(StreamDecoder&&) noexcept;
  // Returns false when strict mode met an error (then error_offset() says where).
  bool feed(std::span<const std::uint8_t> chunk, bool last, std::string& out);
  std::size_t errors() const noexcept;
  std::uint64_t error_offset() const noexcept;
  EncodingId used() const noexcept;

 private:
  struct Impl;
  Impl* impl_;
};

// ---- Encoding -------------------------------------------------------------------------------

enum class EncodeErrorMode : std::uint8_t {
  strict,   // stop at the first unmappable character, report its byte offset in the input
  replace,  // '?' for each unmappable character
  ignore,   // drop unmappable characters
  ncr       // numeric character reference "&#NNNN;" (WHATWG's "html" mode, form submission)
};

struct EncodeErrors {
  EncodeErrorMode mode = EncodeErrorMode::strict;
  static std::optional<EncodeErrors> parse(std::string_view spec, std::string* why = nullptr);
  std::string name() const;
  bool operator==(const EncodeErrors&) const = default;
};

struct EncodeResult {
  std::string bytes;
  std::size_t errors = 0;          // unmappable characters (and invalid UTF-8 in the input)
  bool ok = true;
  std::uint64_t error_offset = 0;  // strict: byte offset in the UTF-8 input
};

// Encodes UTF-8 text. Invalid UTF-8 in the input counts as an unmappable U+FFFD.
// replacement has no encoder (WHATWG encodes with UTF-8 there, and so does this).
EncodeResult encode(std::string_view utf8, EncodingId enc, EncodeErrors errors = {});

// ---- Post-steps that real pipelines apply after decoding ------------------------------------

enum class Normalization : std::uint8_t { nfc, nfd, nfkc, nfkd };
std::string normalize(std::string_view utf8, Normalization form);
std::string strip_c1_controls(std::string_view utf8);

// ---- UTF-8 primitives (SIMD with runtime dispatch; scalar fallback) ----------------------------

bool is_valid_utf8(std::span<const std::uint8_t> bytes) noexcept;
inline bool is_valid_utf8(std::string_view s) noexcept {
  return is_valid_utf8({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}
// Length of the leading run of ASCII bytes.
std::size_t ascii_prefix_length(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace ungarble
