// cjk_decoders.cpp — the WHATWG multi-byte decoders (gb18030/GBK, Big5, EUC-JP, ISO-2022-JP,
// Shift_JIS, EUC-KR) and the Microsoft DBCS pages (cp932, cp949, cp950).
//
// Each handler transcribes the standard's algorithm step by step, so that the number of U+FFFD,
// the bytes each error covers and where decoding resumes are the standard's to the byte: "prepend
// byte to stream" becomes Replay::prepend, and the bytes a handler holds (Held) are what an
// error covers. The Microsoft pages have no standard algorithm; they resynchronise the WHATWG
// way (an ASCII trail byte is read again, a non-ASCII one is part of the error).
//
// Speed comes from each handler's fast path, taken whenever the handler holds nothing: ASCII
// runs and every character that decodes cleanly (a single byte, or a valid lead/trail pair)
// are written straight into the output by one tight loop (bulk(), through Utf8Writer); the
// first byte it declines (anything that would be an error, a four-byte or JIS X 0212 sequence,
// Big5's two-code-point pairs, a lead byte at the end of the chunk) goes to the step-by-step
// handler, which stays the only place where errors and resynchronisation are decided.
#include <array>
#include <iterator>

#include "codec/cjk_tables.h"
#include "codec/decoder_core.h"
#include "codec/utf8_writer.h"

namespace ungarble::codec {
namespace {
using namespace tables;

constexpr bool is_ascii(std::uint8_t b) { return b < 0x80; }

// Trail byte → its index within the row, or kNoTrail. Most pages take trail bytes from two
// ranges, and real text mixes them: two range tests were a branch that mispredicted on about
// every other character, a table look-up is none.
constexpr std::uint8_t kNoTrail = 0xFF;
struct TrailRange {
  std::uint8_t lo, hi, base;  // lo..hi → b - base
};
constexpr std::array<std::uint8_t, 256> trail_index(TrailRange r1, TrailRange r2) {
  std::array<std::uint8_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    t[b] = b >= r1.lo && b <= r1.hi ? static_cast<std::uint8_t>(b - r1.base)
           : b >= r2.lo && b <= r2.hi ? static_cast<std::uint8_t>(b - r2.base)
                                      : kNoTrail;
  }
  return t;
}
constexpr auto kGbTrail = trail_index({0x40, 0x7E, 0x40}, {0x80, 0xFE, 0x41});
constexpr auto kBig5Trail = trail_index({0x40, 0x7E, 0x40}, {0xA1, 0xFE, 0x62});
constexpr auto kSjisTrail = trail_index({0x40, 0x7E, 0x40}, {0x80, 0xFC, 0x41});

// The fast path of a handler in its clean state, where every ASCII byte stands for itself:
// copies ASCII runs, and decodes from each other byte with `step` while it accepts. step(q,
// end, c) sees q[0] >= 0x80 and returns how many bytes make the character c it decoded, or 0 to
// leave that byte to the handler. Returns how many bytes were decoded.
template <class Step>
inline std::size_t bulk(const std::uint8_t* p, std::size_t n, Sink& s, Step step) {
  Utf8Writer w(s.out());
  const std::uint8_t* q = p;
  const std::uint8_t* end = p + n;
  while (q < end) {
    if (*q < 0x80) {
      q = w.ascii(q, end);
      continue;
    }
    char32_t c;
    std::size_t k = step(q, end, c);
    if (!k) break;
    w.put(c);
    q += k;
  }
  return static_cast<std::size_t>(q - p);
}

struct Gb18030Handler {
  std::uint8_t first = 0, second = 0, third = 0;
  Held held;

  // ASCII, 0x80 (the euro sign) and two-byte characters; four-byte ones go to byte().
  std::size_t fast(const std::uint8_t* p, std::size_t n, Sink& s) {
    if (first) return 0;
    return bulk(p, n, s, [](const std::uint8_t* q, const std::uint8_t* end, char32_t& c) {
      std::uint8_t l = q[0];
      if (l == 0x80) return c = 0x20AC, std::size_t{1};
      if (l == 0xFF || end - q < 2) return std::size_t{0};
      std::uint8_t t = kGbTrail[q[1]];
      if (t == kNoTrail) return std::size_t{0};
      c = kIndexGb18030[(l - 0x81) * 190 + t];
      return c ? std::size_t{2} : std::size_t{0};
    });
  }
  void byte(std::uint8_t b, std::uint64_t off, Replay& rq, Sink& s) {
    if (third) {
      if (b < 0x30 || b > 0x39) {
        std::uint8_t bs[3] = {second, third, b};
        std::uint64_t offs[3] = {held.offset + 1, held.offset + 2, off};
        rq.prepend2(bs, offs, 3);
        first = second = third = 0;
        held.n = 1;
        held.error(s);
        return;
      }
      std::uint32_t pointer = (first - 0x81) * (10 * 126 * 10) + (second - 0x30) * (10 * 126) +
                              (third - 0x81) * 10 + b - 0x30;
      std::uint32_t cp = gb18030_ranges_code_point(pointer);
      first = second = third = 0;
      held.push(b, off);
      if (cp == 0xFFFFFFFF) {
        held.error(s);
        return;
      }
      held.clear();
      s.put(cp);
      return;
    }
    if (second) {
      if (b >= 0x81 && b <= 0xFE) {
        third = b;
        held.push(b, off);
        return;
      }
      std::uint8_t bs[2] = {second, b};
      std::uint64_t offs[2] = {held.offset + 1, off};
      rq.prepend2(bs, offs, 2);
      first = second = 0;
      held.n = 1;
      held.error(s);
      return;
    }
    if (first) {
      if (b >= 0x30 && b <= 0x39) {
        second = b;
        held.push(b, off);
        return;
      }
      std::uint8_t lead = first;
      first = 0;
      std::uint32_t offset = b < 0x7F ? 0x40 : 0x41;
      std::uint32_t cp = 0;
      if ((b >= 0x40 && b <= 0x7E) || (b >= 0x80 && b <= 0xFE)) {
        std::uint32_t pointer = (lead - 0x81) * 190 + (b - offset);
        cp = kIndexGb18030[pointer];
      }
      if (cp) {
        held.clear();
        s.put(cp);
        return;
      }
      if (is_ascii(b)) rq.prepend(b, off);
      else held.push(b, off);
      held.error(s);
      return;
    }
    if (is_ascii(b)) {
      s.put(b);
    } else if (b == 0x80) {
      s.put(0x20AC);
    } else if (b >= 0x81 && b <= 0xFE) {
      first = b;
      held.push(b, off);
    } else {
      s.error(&b, 1, off);
    }
  }
  bool eof(Replay&, Sink& s) {
    if (first || second || third) {
      first = second = third = 0;
      held.error(s);
    }
    return true;
  }
};

// The decoders that are "a lead byte, then one trail byte" (Big5, Shift_JIS, EUC-KR and the
// Microsoft pages) differ only in which bytes stand alone, which start a pair, and what a pair
// means; Rules says that, and this handler does the rest the standard's way: a pair that means
// nothing is an error covering the lead byte, and the trail byte too unless it is ASCII (then
// it is read again).
template <class Rules>
struct LeadTrailHandler {
  Rules rules;
  std::uint8_t lead = 0;
  Held held;

  // Singles and pairs that mean one code point.
  std::size_t fast(const std::uint8_t* p, std::size_t n, Sink& s) {
    if (lead) return 0;
    const Rules r = rules;  // a local copy: the output stores cannot alias it
    return bulk(p, n, s, [&r](const std::uint8_t* q, const std::uint8_t* end, char32_t& c) {
      if (r.single(q[0], &c)) return std::size_t{1};
      if (!r.is_lead(q[0]) || end - q < 2) return std::size_t{0};
      char32_t cp[2] = {0, 0};
      if (!r.pair(q[0], q[1], cp) || cp[1]) return std::size_t{0};
      c = cp[0];
      return std::size_t{2};
    });
  }
  void byte(std::uint8_t b, std::uint64_t off, Replay& rq, Sink& s) {
    if (lead) {
      std::uint8_t l = lead;
      lead = 0;
      char32_t cp[2] = {0, 0};
      if (rules.pair(l, b, cp)) {
        held.clear();
        s.put(cp[0]);
        if (cp[1]) s.put(cp[1]);
        return;
      }
      if (is_ascii(b)) rq.prepend(b, off);
      else held.push(b, off);
      held.error(s);
      return;
    }
    char32_t c;
    if (rules.single(b, &c)) {
      s.put(c);
    } else if (rules.is_lead(b)) {
      lead = b;
      held.push(b, off);
    } else {
      s.error(&b, 1, off);
    }
  }
  bool eof(Replay&, Sink& s) {
    if (lead) {
      lead = 0;
      held.error(s);
    }
    return true;
  }
};

struct Big5Rules {
  bool single(std::uint8_t b, char32_t* c) const { return is_ascii(b) ? (*c = b, true) : false; }
  bool is_lead(std::uint8_t b) const { return b >= 0x81 && b <= 0xFE; }
  bool pair(std::uint8_t l, std::uint8_t b, char32_t* cp) const {
    std::uint8_t t = kBig5Trail[b];
    if (t == kNoTrail) return false;
    std::uint32_t pointer = (l - 0x81) * 157 + t;
    switch (pointer) {  // the four pointers that are two code points
      case 1133: cp[0] = 0x00CA, cp[1] = 0x0304; return true;
      case 1135: cp[0] = 0x00CA, cp[1] = 0x030C; return true;
      case 1164: cp[0] = 0x00EA, cp[1] = 0x0304; return true;
      case 1166: cp[0] = 0x00EA, cp[1] = 0x030C; return true;
      default: return (cp[0] = kIndexBig5[pointer]) != 0;
    }
  }
};

struct ShiftJisRules {
  bool single(std::uint8_t b, char32_t* c) const {
    if (b <= 0x80) return *c = b, true;
    if (b >= 0xA1 && b <= 0xDF) return *c = 0xFF61 - 0xA1 + b, true;
    return false;
  }
  bool is_lead(std::uint8_t b) const { return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC); }
  bool pair(std::uint8_t l, std::uint8_t b, char32_t* cp) const {
    std::uint8_t t = kSjisTrail[b];
    if (t == kNoTrail) return false;
    std::uint32_t pointer = (l - (l < 0xA0 ? 0x81 : 0xC1)) * 188 + t;
    if (pointer >= 8836 && pointer <= 10715) return cp[0] = 0xE000 - 8836 + pointer, true;
    return pointer < std::size(kIndexJis0208) && (cp[0] = kIndexJis0208[pointer]) != 0;
  }
};

struct EucKrRules {
  bool single(std::uint8_t b, char32_t* c) const { return is_ascii(b) ? (*c = b, true) : false; }
  bool is_lead(std::uint8_t b) const { return b >= 0x81 && b <= 0xFE; }
  bool pair(std::uint8_t l, std::uint8_t b, char32_t* cp) const {
    std::uint32_t pointer = (l - 0x81) * 190 + (b - 0x41);
    return b >= 0x41 && b <= 0xFE && pointer < std::size(kIndexEucKr) &&
           (cp[0] = kIndexEucKr[pointer]) != 0;
  }
};

// Microsoft DBCS pages from their generated tables (no standard algorithm; resynchronised the
// WHATWG way).
struct DbcsRules {
  const std::uint16_t* singles;
  const std::uint8_t* lead_row;
  const std::uint16_t (*rows)[256];
  bool single(std::uint8_t b, char32_t* c) const {
    return singles[b] != 0xFFFF ? (*c = singles[b], true) : false;
  }
  bool is_lead(std::uint8_t b) const { return lead_row[b] != 0xFF; }
  bool pair(std::uint8_t l, std::uint8_t b, char32_t* cp) const {
    return (cp[0] = rows[lead_row[l]][b]) != 0;
  }
};

struct EucJpHandler {
  bool jis0212 = false;
  std::uint8_t lead = 0;
  Held held;

  // ASCII, half-width katakana and JIS X 0208 pairs; JIS X 0212 (8F) goes to byte().
  std::size_t fast(const std::uint8_t* p, std::size_t n, Sink& s) {
    if (lead) return 0;
    return bulk(p, n, s, [](const std::uint8_t* q, const std::uint8_t* end, char32_t& c) {
      if (end - q < 2) return std::size_t{0};
      std::uint8_t l = q[0], b = q[1];
      if (l == 0x8E && b >= 0xA1 && b <= 0xDF) return c = 0xFF61 - 0xA1 + b, std::size_t{2};
      if (l < 0xA1 || l > 0xFE || b < 0xA1 || b > 0xFE) return std::size_t{0};
      std::uint32_t pointer = (l - 0xA1) * 94 + b - 0xA1;
      c = pointer < std::size(kIndexJis0208) ? kIndexJis0208[pointer] : 0;
      return c ? std::size_t{2} : std::size_t{0};
    });
  }
  void byte(std::uint8_t b, std::uint64_t off, Replay& rq, Sink& s) {
    if (lead == 0x8E && b >= 0xA1 && b <= 0xDF) {
      lead = 0;
      held.clear();
      s.put(0xFF61 - 0xA1 + b);
      return;
    }
    if (lead == 0x8F && b >= 0xA1 && b <= 0xFE) {
      jis0212 = true;
      lead = b;
      held.push(b, off);
      return;
    }
    if (lead) {
      std::uint8_t l = lead;
      lead = 0;
      std::uint32_t cp = 0;
      if (l >= 0xA1 && l <= 0xFE && b >= 0xA1 && b <= 0xFE) {
        std::uint32_t pointer = (l - 0xA1) * 94 + b - 0xA1;
        cp = jis0212 ? (pointer < std::size(kIndexJis0212) ? kIndexJis0212[pointer] : 0)
                     : (pointer < std::size(kIndexJis0208) ? kIndexJis0208[pointer] : 0);
      }
      jis0212 = false;
      if (cp) {
        held.clear();
        s.put(cp);
        return;
      }
      if (is_ascii(b)) rq.prepend(b, off);
      else held.push(b, off);
      held.error(s);
      return;
    }
    if (is_ascii(b)) {
      s.put(b);
    } else if (b == 0x8E || b == 0x8F || (b >= 0xA1 && b <= 0xFE)) {
      lead = b;
      held.push(b, off);
    } else {
      s.error(&b, 1, off);
    }
  }
  bool eof(Replay&, Sink& s) {
    if (lead) {
      lead = 0;
      jis0212 = false;
      held.error(s);
    }
    return true;
  }
};

struct Iso2022JpHandler {
  enum State : std::uint8_t { ascii, roman, katakana, lead_byte, trail_byte, escape_start, escape };
  State state = ascii, output_state = ascii;
  std::uint8_t lead = 0;
  bool output = false;
  Held held;

  std::size_t fast(const std::uint8_t* p, std::size_t n, Sink& s) {
    if (state != ascii) return 0;
    std::size_t k = 0;
    while (k < n && p[k] < 0x80 && p[k] != 0x0E && p[k] != 0x0F && p[k] != 0x1B) ++k;
    if (k) output = false;
    s.ascii(p, k);
    return k;
  }
  void byte(std::uint8_t b, std::uint64_t off, Replay& rq, Sink& s) {
    switch (state) {
      case ascii:
      case roman:
      case katakana:
      case lead_byte:
        if (b == 0x1B) {
          state = escape_start;
          held.clear();
          held.push(b, off);
          return;
        }
        output = false;
        if (state == ascii && b < 0x80 && b != 0x0E && b != 0x0F) {
          s.put(b);
        } else if (state == roman && b < 0x80 && b != 0x0E && b != 0x0F) {
          s.put(b == 0x5C ? 0xA5 : b == 0x7E ? 0x203E : b);
        } else if (state == katakana && b >= 0x21 && b <= 0x5F) {
          s.put(0xFF61 - 0x21 + b);
        } else if (state == lead_byte && b >= 0x21 && b <= 0x7E) {
          lead = b;
          state = trail_byte;
          held.clear();
          held.push(b, off);
        } else {
          s.error(&b, 1, off);
        }
        return;
      case trail_byte:
        if (b == 0x1B) {
          state = escape_start;
          held.error(s);  // the lead byte alone
          held.push(b, off);
          return;
        }
        state = lead_byte;
        if (b >= 0x21 && b <= 0x7E) {
          std::uint32_t pointer = (lead - 0x21) * 94 + b - 0x21;
          std::uint32_t cp = kIndexJis0208[pointer];
          held.push(b, off);
          if (!cp) {
            held.error(s);
            return;
          }
          held.clear();
          s.put(cp);
          return;
        }
        held.push(b, off);
        held.error(s);
        return;
      case escape_start:
        if (b == 0x24 || b == 0x28) {
          lead = b;
          state = escape;
          held.push(b, off);
          return;
        }
        rq.prepend(b, off);
        output = false;
        state = output_state;
        held.error(s);  // the ESC
        return;
      case escape: {
        std::uint8_t l = lead;
        lead = 0;
        bool found = true;
        State next = ascii;
        if (l == 0x28 && b == 0x42) next = ascii;
        else if (l == 0x28 && b == 0x4A) next = roman;
        else if (l == 0x28 && b == 0x49) next = katakana;
        else if (l == 0x24 && (b == 0x40 || b == 0x42)) next = lead_byte;
        else found = false;
        if (found) {
          state = output_state = next;
          bool was = output;
          output = true;
          held.push(b, off);
          if (was) held.error(s);  // two escape sequences with nothing between them
          else held.clear();
          return;
        }
        std::uint8_t bs[2] = {l, b};
        std::uint64_t offs[2] = {held.offset + 1, off};
        rq.prepend2(bs, offs, 2);
        output = false;
        state = output_state;
        held.n = 1;
        held.error(s);  // the ESC
        return;
      }
    }
  }
  bool eof(Replay& rq, Sink& s) {
    switch (state) {
      case trail_byte:
        state = lead_byte;
        held.error(s);
        return false;  // EOF is handled again in the lead byte state
      case escape_start:
        output = false;
        state = output_state;
        held.error(s);
        return false;
      case escape: {
        // Prepend lead (and EOF): the lead byte is read again in the output state.
        rq.prepend(lead, held.offset + 1);
        lead = 0;
        output = false;
        state = output_state;
        held.n = 1;
        held.error(s);
        return false;
      }
      default:
        return true;
    }
  }
};

}  // namespace

namespace {
// The fast path copies ASCII runs as they are, which is right only where the page maps them so.
constexpr bool ascii_maps_to_itself(const std::uint16_t (&singles)[256]) {
  for (int b = 0; b < 0x80; ++b)
    if (singles[b] != b) return false;
  return true;
}
static_assert(ascii_maps_to_itself(kCp932Singles) && ascii_maps_to_itself(kCp949Singles) &&
              ascii_maps_to_itself(kCp950Singles));

Decoder* dbcs(const std::uint16_t* singles, const std::uint8_t* lead_row,
              const std::uint16_t (*rows)[256]) {
  auto* d = new Driven<LeadTrailHandler<DbcsRules>>();
  d->handler().rules = {singles, lead_row, rows};
  return d;
}
}  // namespace

Decoder* new_cjk_decoder(EncodingId id) {
  switch (id) {
    case EncodingId::gbk:
    case EncodingId::gb18030: return new Driven<Gb18030Handler>();
    case EncodingId::big5: return new Driven<LeadTrailHandler<Big5Rules>>();
    case EncodingId::euc_jp: return new Driven<EucJpHandler>();
    case EncodingId::iso_2022_jp: return new Driven<Iso2022JpHandler>();
    case EncodingId::shift_jis: return new Driven<LeadTrailHandler<ShiftJisRules>>();
    case EncodingId::euc_kr: return new Driven<LeadTrailHandler<EucKrRules>>();
    case EncodingId::cp932: return dbcs(kCp932Singles, kCp932LeadRow, kCp932Rows);
    case EncodingId::cp949: return dbcs(kCp949Singles, kCp949LeadRow, kCp949Rows);
    case EncodingId::cp950: return dbcs(kCp950Singles, kCp950LeadRow, kCp950Rows);
    default: return nullptr;
  }
}

}  // namespace ungarble::codec
