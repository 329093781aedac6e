// Loading (mmap + validation) and scoring of .ugm language models. See include/ungarble/model.h
// for the idea and src/model/format.h for the layout.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <utf8proc.h>

#include "model/format.h"
#include "model/normalize.h"
#include "ungarble/model.h"

namespace ungarble {

using namespace model;

struct LanguageModel::Impl {
  const unsigned char* base = nullptr;
  std::size_t size = 0;
  bool mapped = false;
  const Header* h = nullptr;
  const std::uint8_t* bitmap = nullptr;
  const std::uint32_t* astral = nullptr;
  std::uint32_t astral_count = 0;
  float penalty[kClassCount] = {};
  float prob_cb[256] = {};
  float bow_cb[256] = {};
  const std::uint32_t* table = nullptr;
  std::uint32_t slots = 0;
  int order = 0;
  std::string lang, script;

  ~Impl() {
    if (mapped && base) munmap(const_cast<unsigned char*>(base), size);
  }

  bool in_vocab(std::uint32_t s) const noexcept {
    if (s < 0x10000) return (bitmap[s >> 3] >> (s & 7)) & 1;
    return std::binary_search(astral, astral + astral_count, s);
  }
  // Entry with fingerprint fp probed from slot i on, or 0 when absent: the first slot (linear
  // probing, wrapping) that is empty or carries fp. A miss walks ~13 slots at load 0.8 (90 % of
  // all look-ups end within 16), so the common case tests 16 slots at once with SSE2 — the same
  // answer as one slot at a time: the first lane that is empty or matches wins, and an empty
  // lane reads as 0.
  std::uint32_t find_at(std::uint32_t i, std::uint32_t fp) const noexcept {
#if defined(__SSE2__)
    const __m128i want = _mm_set1_epi16(static_cast<short>(fp));
    const __m128i zero = _mm_setzero_si128();
    while (i + 16 <= slots) {
      const auto* p = reinterpret_cast<const __m128i*>(table + i);
      __m128i a = _mm_loadu_si128(p), b = _mm_loadu_si128(p + 1);
      __m128i c = _mm_loadu_si128(p + 2), d = _mm_loadu_si128(p + 3);
      // Fingerprints (the high halves) as 8 × 16 bits; sign extension keeps packs exact.
      __m128i fab = _mm_packs_epi32(_mm_srai_epi32(a, 16), _mm_srai_epi32(b, 16));
      __m128i fcd = _mm_packs_epi32(_mm_srai_epi32(c, 16), _mm_srai_epi32(d, 16));
      __m128i eab = _mm_packs_epi32(_mm_cmpeq_epi32(a, zero), _mm_cmpeq_epi32(b, zero));
      __m128i ecd = _mm_packs_epi32(_mm_cmpeq_epi32(c, zero), _mm_cmpeq_epi32(d, zero));
      __m128i hab = _mm_or_si128(_mm_cmpeq_epi16(fab, want), eab);
      __m128i hcd = _mm_or_si128(_mm_cmpeq_epi16(fcd, want), ecd);
      auto m = static_cast<unsigned>(_mm_movemask_epi8(_mm_packs_epi16(hab, hcd)));
      if (m) [[likely]] return table[i + static_cast<unsigned>(__builtin_ctz(m))];
      i += 16;
    }
#endif
    for (;;) {
      std::uint32_t e = table[i];
      if (e == 0) return 0;
      if ((e >> 16) == fp) return e;
      if (++i == slots) i = 0;
    }
  }
  std::uint32_t find(std::uint64_t g) const noexcept { return find_at(slot_of(g, slots), fingerprint(g)); }
  double next(ScoreState& st, char32_t cp) const noexcept;
  double next_sym(ScoreState& st, std::uint32_t normalized) const noexcept;

  // The scoring state of a span: what ScoreState holds, plus where the context's suffixes sit
  // in the table. The newest k context symbols hash to what the previous step hashed for its
  // n-gram with k − 1 context symbols, so a span keeps that slot and fingerprint instead of
  // rehashing the context for each backoff weight it looks up (and the previous step has
  // prefetched the slot). Entries past len are stale but defined.
  struct SpanState {
    std::uint32_t ctx[kMaxOrder - 1] = {' ', 0, 0, 0, 0};
    int len = 1;
    int bow = -1;  // backoff code of the whole context (the n-gram matched last), −1 unknown
    std::uint32_t cslot[kMaxOrder] = {}, cfp[kMaxOrder] = {};  // [1..len]
    explicit SpanState(std::uint32_t slots) noexcept {
      cslot[1] = slot_of(hash_seed(' '), slots);
      cfp[1] = fingerprint(hash_seed(' '));
    }
  };
  template <int Order>
  double step(SpanState& st, std::uint32_t normalized) const noexcept;
  template <int Order>
  double span(std::string_view utf8, std::size_t* scored) const noexcept;
  template <int Order>
  double span_floored(const char32_t* cps, std::size_t n, double floor, double stop) const noexcept;
};

namespace {

std::string validate(LanguageModel::Impl& m) {
  if (m.size < kHeaderSize) return "truncated: smaller than the header";
  if (std::memcmp(m.base, kMagic, sizeof kMagic) != 0) return "not an ungarble model (bad magic)";
  const auto* h = reinterpret_cast<const Header*>(m.base);
  if (h->version != kFormatVersion)
    return "format version " + std::to_string(h->version) + ", this build reads " +
           std::to_string(kFormatVersion);
  if (h->header_size != kHeaderSize) return "bad header size";
  if (h->file_size != m.size)
    return "truncated or padded: header says " + std::to_string(h->file_size) + " bytes, file has " +
           std::to_string(m.size);
  Header copy;
  std::memcpy(&copy, h, sizeof copy);
  copy.crc32 = 0;
  std::uint32_t crc = crc32(&copy, sizeof copy);
  crc = crc32(m.base + kHeaderSize, m.size - kHeaderSize, crc);
  if (crc != h->crc32) return "checksum mismatch (corrupt file)";
  if (h->order < 1 || h->order > kMaxOrder) return "bad order";
  if (h->lang[sizeof h->lang - 1] != 0 || h->lang[0] == 0 || h->script[sizeof h->script - 1] != 0)
    return "bad language/script name";
  auto in = [&](std::uint64_t off, std::uint64_t len, std::uint64_t align) {
    return off % align == 0 && off >= kHeaderSize && off <= m.size && len <= m.size - off;
  };
  if (h->slot_count == 0 || h->ngram_count > h->slot_count || h->astral_count > (1u << 20))
    return "bad table dimensions";
  if (!in(h->bitmap_off, kBitmapBytes, 8) || !in(h->astral_off, 4ull * h->astral_count, 4) ||
      !in(h->penalty_off, 4ull * kClassCount, 4) || !in(h->prob_cb_off, 1024, 4) ||
      !in(h->bow_cb_off, 1024, 4) || !in(h->table_off, 4ull * h->slot_count, 4))
    return "section offsets out of range";
  m.h = h;
  m.bitmap = m.base + h->bitmap_off;
  m.astral = reinterpret_cast<const std::uint32_t*>(m.base + h->astral_off);
  m.astral_count = h->astral_count;
  for (std::uint32_t i = 1; i < m.astral_count; ++i)
    if (m.astral[i - 1] >= m.astral[i]) return "astral vocabulary not sorted";
  std::memcpy(m.penalty, m.base + h->penalty_off, sizeof m.penalty);
  std::memcpy(m.prob_cb, m.base + h->prob_cb_off, sizeof m.prob_cb);
  std::memcpy(m.bow_cb, m.base + h->bow_cb_off, sizeof m.bow_cb);
  for (float f : m.penalty)
    if (!std::isfinite(f) || f < 0 || f > 64) return "bad class penalty";
  for (float f : m.prob_cb)
    if (!std::isfinite(f) || f > 0.01f || f < -64) return "bad probability codebook";
  for (float f : m.bow_cb)
    if (!std::isfinite(f) || f > 64 || f < -64) return "bad backoff codebook";
  m.table = reinterpret_cast<const std::uint32_t*>(m.base + h->table_off);
  m.slots = h->slot_count;
  // An all-full table would make a miss loop forever: require at least one empty slot.
  if (h->ngram_count >= h->slot_count) return "hash table has no empty slot";
  m.order = static_cast<int>(h->order);
  m.lang.assign(h->lang);
  m.script.assign(h->script);
  // Every class symbol must have a unigram, or scoring an unseen character would fail.
  for (unsigned c = 0; c < kClassCount; ++c)
    if (m.find(hash_seed(kClassBase + c)) == 0) return "class unigram missing";
  return "";
}

}  // namespace

double LanguageModel::Impl::next(ScoreState& st, char32_t cp) const noexcept {
  std::uint32_t s = normalize_cp(cp);
  if (s == kSkip) return 0.0;
  if (s == ' ' && st.ctx[0] == ' ') return 0.0;
  return next_sym(st, s);
}

double LanguageModel::Impl::next_sym(ScoreState& st, std::uint32_t s) const noexcept {
  double lp = 0;
  if (!in_vocab(s)) {
    unsigned c = class_of(s);
    lp -= penalty[c];
    s = kClassBase + c;
  }
  // st.len only counts context symbols whose n-gram exists (see the end), so no lookup is
  // wasted on contexts the model never stored.
  const int n = std::min<int>(st.len, order - 1);
  std::uint64_t g[kMaxOrder];
  g[0] = hash_seed(s);
  for (int k = 0; k < n; ++k) g[k + 1] = hash_step(g[k], st.ctx[k]);
  // Backoff: the longest stored n-gram wins; each missed context adds its backoff weight.
  int found = 0;
  std::uint32_t found_entry = 0;
  std::uint64_t c[kMaxOrder];  // c[k]: hash of the context of length k, made on the first miss
  bool have_c = false;
  for (int k = n; k >= 0; --k) {
    std::uint32_t e = find(g[k]);
    if (e) {
      lp += prob_cb[(e >> 8) & 0xFF];
      found = k;
      found_entry = e;
      break;
    }
    if (k > 0 && k == st.len && st.bow_known) {
      lp += bow_cb[st.bow_code];  // the context is the n-gram matched last time: no look-up
    } else if (k > 0) {
      if (!have_c) {
        c[1] = hash_seed(st.ctx[0]);
        for (int j = 2; j <= k; ++j) c[j] = hash_step(c[j - 1], st.ctx[j - 1]);
        have_c = true;
      }
      std::uint32_t ce = find(c[k]);
      if (ce) lp += bow_cb[ce & 0xFF];
    }
  }
  // Shift the context. The new context (s, ctx[0..found-1]) exists as an n-gram; a longer one
  // cannot (it would contain the n-gram that was just missed), so the state keeps found + 1.
  for (int k = std::min<int>(found + 1, kMaxOrder - 2); k > 0; --k) st.ctx[k] = st.ctx[k - 1];
  st.ctx[0] = s;
  st.len = static_cast<std::uint8_t>(std::min<int>(found + 1, std::max(1, order - 1)));
  for (int k = st.len; k < kMaxOrder - 1; ++k) st.ctx[k] = 0;
  // When the whole new context is the n-gram just matched, its backoff came with the match.
  st.bow_known = found + 1 == st.len;
  st.bow_code = static_cast<std::uint8_t>(found_entry & 0xFF);
  return std::min(lp, 0.0);
}

// next_sym() for a SpanState, for a model of the given order: the same look-ups in the same
// order, so the same sums bit for bit. Fixed-length loops (hashing and shifting the whole
// context, stale entries included, then using the first st.len) trade a few multiplies for
// branches a varying context length would mispredict; every slot the backoff walk may read is
// prefetched up front, so its cache misses overlap instead of following one another.
template <int Order>
inline double LanguageModel::Impl::step(SpanState& st, std::uint32_t s) const noexcept {
  constexpr int M = Order - 1;  // context symbols used at most
  double lp = 0;
  if (!in_vocab(s)) [[unlikely]] {
    unsigned c = class_of(s);
    lp -= penalty[c];
    s = kClassBase + c;
  }
  const int n = std::min(st.len, M);
  std::uint64_t g[Order];
  std::uint32_t slot[Order], fp[Order];
  g[0] = hash_seed(s);
  for (int k = 0; k < M; ++k) g[k + 1] = hash_step(g[k], st.ctx[k]);
  for (int k = 0; k <= M; ++k) slot[k] = slot_of(g[k], slots), fp[k] = fingerprint(g[k]);
  for (int k = 0; k <= M; ++k) __builtin_prefetch(table + slot[k < n ? k : n]);
  int found = 0;
  std::uint32_t found_entry = 0;
  for (int k = n; k >= 0; --k) {
    std::uint32_t e = find_at(slot[k], fp[k]);
    if (e) {
      lp += prob_cb[(e >> 8) & 0xFF];
      found = k;
      found_entry = e;
      break;
    }
    if (k > 0) {
      if (k == st.len && st.bow >= 0) {
        lp += bow_cb[st.bow];
      } else if (std::uint32_t ce = find_at(st.cslot[k], st.cfp[k])) {
        lp += bow_cb[ce & 0xFF];
      }
    }
  }
  const int len = std::min(found + 1, std::max(1, M));
  for (int k = M - 1; k > 0; --k) st.ctx[k] = st.ctx[k - 1];
  st.ctx[0] = s;
  for (int k = 1; k <= M; ++k) st.cslot[k] = slot[k - 1], st.cfp[k] = fp[k - 1];
  st.len = len;
  st.bow = found + 1 == len ? static_cast<int>(found_entry & 0xFF) : -1;
  return std::min(lp, 0.0);
}

template <int Order>
double LanguageModel::Impl::span(std::string_view utf8, std::size_t* scored) const noexcept {
  const BmpNormalization& norm = bmp_normalization();
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t size = utf8.size();
  SpanState st(slots);
  double total = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < size;) {
    std::uint32_t s;
    if (p[i] < 0x80) {
      s = norm.map[p[i]];
      ++i;
    } else {
      s = normalize_with(norm, decode_utf8(utf8, i));
      if (s == kSkip) continue;
    }
    if (s == ' ' && st.ctx[0] == ' ') continue;
    total += step<Order>(st, s);
    ++n;
  }
  if (scored) *scored = n;
  return total;
}

template <int Order>
double LanguageModel::Impl::span_floored(const char32_t* cps, std::size_t count, double floor,
                                         double stop) const noexcept {
  const BmpNormalization& norm = bmp_normalization();
  SpanState st(slots);
  double total = 0;
  for (std::size_t k = 0; k < count; ++k) {
    std::uint32_t s = normalize_with(norm, cps[k]);
    double x = 0.0;
    if (s != kSkip && !(s == ' ' && st.ctx[0] == ' ')) x = step<Order>(st, s);
    total += std::max(x, -floor);
    if ((k & 15) == 15 && total < stop) break;
  }
  return total;
}

namespace {
// Spans with combining marks (U+0300–036F: bytes CC 80–CD AF) are composed to NFC first, as
// the training text is: decomposed Vietnamese must score like precomposed.
std::string_view nfc_if_needed(std::string_view s, std::string& buf) {
  if (s.find('\xCC') == std::string_view::npos && s.find('\xCD') == std::string_view::npos) return s;
  std::string tmp(s);
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(tmp.data()),
                                    static_cast<utf8proc_ssize_t>(tmp.size()), &out,
                                    static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0 || !out) return s;  // invalid UTF-8: score as it is
  buf.assign(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
  std::free(out);
  return buf;
}
}  // namespace

LanguageModel::LanguageModel(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
LanguageModel::~LanguageModel() = default;
std::string_view LanguageModel::lang() const noexcept { return impl_->lang; }
std::string_view LanguageModel::script() const noexcept { return impl_->script; }
int LanguageModel::order() const noexcept { return impl_->order; }
std::size_t LanguageModel::size_bytes() const noexcept { return impl_->size; }
std::uint64_t LanguageModel::training_chars() const noexcept { return impl_->h->training_chars; }
std::uint64_t LanguageModel::training_bytes() const noexcept { return impl_->h->training_bytes; }
std::uint32_t LanguageModel::ngram_count() const noexcept { return impl_->h->ngram_count; }

double LanguageModel::next(ScoreState& st, char32_t cp) const noexcept { return impl_->next(st, cp); }

double LanguageModel::log2prob(std::string_view text, std::size_t* scored) const noexcept {
  std::string buf;
  std::string_view utf8 = nfc_if_needed(text, buf);
  switch (impl_->order) {
    case 1: return impl_->span<1>(utf8, scored);
    case 2: return impl_->span<2>(utf8, scored);
    case 3: return impl_->span<3>(utf8, scored);
    case 4: return impl_->span<4>(utf8, scored);
    case 5: return impl_->span<5>(utf8, scored);
    default: return impl_->span<kMaxOrder>(utf8, scored);
  }
}

double LanguageModel::log2prob(std::string_view utf8) const noexcept { return log2prob(utf8, nullptr); }

double LanguageModel::log2prob_floored(const char32_t* cps, std::size_t n, double floor_bits,
                                       double stop) const noexcept {
  switch (impl_->order) {
    case 1: return impl_->span_floored<1>(cps, n, floor_bits, stop);
    case 2: return impl_->span_floored<2>(cps, n, floor_bits, stop);
    case 3: return impl_->span_floored<3>(cps, n, floor_bits, stop);
    case 4: return impl_->span_floored<4>(cps, n, floor_bits, stop);
    case 5: return impl_->span_floored<5>(cps, n, floor_bits, stop);
    default: return impl_->span_floored<kMaxOrder>(cps, n, floor_bits, stop);
  }
}

double LanguageModel::bits_per_char(std::string_view utf8) const noexcept {
  std::size_t n = 0;
  double lp = log2prob(utf8, &n);
  return n ? -lp / static_cast<double>(n) : 0.0;
}

ModelSet::ModelSet() = default;
ModelSet::~ModelSet() = default;
ModelSet::ModelSet(ModelSet&&) noexcept = default;
ModelSet& ModelSet::operator=(ModelSet&&) noexcept = default;

std::string ModelSet::load_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return path + ": cannot open: " + std::strerror(errno);
  struct stat sb{};
  if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    ::close(fd);
    return path + ": not a regular file";
  }
  auto impl = std::make_unique<LanguageModel::Impl>();
  impl->size = static_cast<std::size_t>(sb.st_size);
  if (impl->size == 0) {
    ::close(fd);
    return path + ": empty file";
  }
  // MAP_POPULATE maps every page in one call: the checksum reads them all anyway, and one
  // populate is several times cheaper than thousands of page faults.
  void* p = mmap(nullptr, impl->size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return path + ": mmap failed: " + std::strerror(errno);
  impl->base = static_cast<const unsigned char*>(p);
  impl->mapped = true;
  std::string err = validate(*impl);
  if (!err.empty()) return path + ": " + err;
  for (const auto& m : models_)
    if (m->lang() == impl->lang) return path + ": duplicate model for language " + impl->lang;
  models_.push_back(std::make_unique<LanguageModel>(std::move(impl)));
  return "";
}

std::string ModelSet::load_dir(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".ugm") files.push_back(it->path().string());
  if (ec) return dir + ": cannot read directory: " + ec.message();
  std::sort(files.begin(), files.end());
  std::string errors;
  for (const auto& f : files) {
    std::string e = load_file(f);
    if (!e.empty()) errors += (errors.empty() ? "" : "\n") + e;
  }
  if (files.empty()) errors = dir + ": no *.ugm model files";
  return errors;
}

std::string ModelSet::default_dir() {
  if (const char* env = std::getenv("UNGARBLE_MODELS"); env && *env) return env;
#ifdef UNGARBLE_MODEL_DIR
  return UNGARBLE_MODEL_DIR;
#else
  return "models";
#endif
}

std::size_t ModelSet::size() const noexcept { return models_.size(); }
const LanguageModel& ModelSet::operator[](std::size_t i) const noexcept { return *models_[i]; }
const LanguageModel* ModelSet::find(std::string_view lang) const noexcept {
  for (const auto& m : models_)
    if (m->lang() == lang) return m.get();
  return nullptr;
}

Identification ModelSet::identify(std::string_view text) const {
  std::string buf;
  std::string_view utf8 = nfc_if_needed(text, buf);
  Identification r;
  double best = INFINITY, second = INFINITY;
  const LanguageModel *bm = nullptr, *sm = nullptr;
  for (const auto& m : models_) {
    std::size_t n = 0;
    double lp = m->log2prob(utf8, &n);
    r.chars = n;
    if (n == 0) return r;
    double bpc = -lp / static_cast<double>(n);
    if (bpc < best) {
      second = best, sm = bm;
      best = bpc, bm = m.get();
    } else if (bpc < second) {
      second = bpc, sm = m.get();
    }
  }
  if (bm) r.best = {bm->lang(), best, sm ? second - best : 0.0};
  if (sm) r.runner_up = {sm->lang(), second, 0.0};
  return r;
}

}  // namespace ungarble
