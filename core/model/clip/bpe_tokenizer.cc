#include "core/model/clip/bpe_tokenizer.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/utf8.h"
#include "core/model/clip/html_unescape.h"

namespace xmodal::model::clip {
namespace {

constexpr int64_t kMaxFileBytes = int64_t{64} << 20;
constexpr size_t kMaxInflatedBytes = size_t{16} << 20;
// CLIP reads lines[1 : 49152 - 256 - 2 + 1] of the file: 48,894 merges after a header line.
constexpr int kNumMerges = 49152 - 256 - 2;
constexpr int32_t kFirstMergeId = 512;
static_assert(kFirstMergeId + kNumMerges == BpeTokenizer::kStartToken);

// ---- The merges file ----

// Inflates gzip data (one or more members), at most kMaxInflatedBytes.
absl::StatusOr<std::string> Gunzip(absl::string_view gz, absl::string_view what) {
  if (gz.size() < 2 || gz[0] != '\x1f' || gz[1] != '\x8b') {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not gzip data"));
  }
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {  // 16: gzip wrapper (header and CRC checked)
    return absl::ResourceExhaustedError(absl::StrCat(what, ": inflateInit2 failed"));
  }
  struct End {
    z_stream* zs;
    ~End() { inflateEnd(zs); }
  } end{&zs};
  std::string out;
  std::vector<unsigned char> buf(size_t{1} << 16);
  size_t offset = 0;  // bytes of `gz` handed to zlib so far
  while (true) {
    if (zs.avail_in == 0 && offset < gz.size()) {
      const size_t n = std::min<size_t>(gz.size() - offset, UINT_MAX);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + offset));
      zs.avail_in = static_cast<uInt>(n);
      offset += n;
    }
    zs.next_out = buf.data();
    zs.avail_out = static_cast<uInt>(buf.size());
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(reinterpret_cast<const char*>(buf.data()), buf.size() - zs.avail_out);
    if (out.size() > kMaxInflatedBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": inflates to more than ", kMaxInflatedBytes >> 20, " MiB"));
    }
    const bool input_left = zs.avail_in > 0 || offset < gz.size();
    if (rc == Z_STREAM_END) {
      if (!input_left) return out;
      if (inflateReset(&zs) != Z_OK) break;  // another gzip member follows
    } else if (rc == Z_BUF_ERROR && !input_left) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": truncated gzip data"));
    } else if (rc == Z_MEM_ERROR) {
      return absl::ResourceExhaustedError(absl::StrCat(what, ": out of memory inflating"));
    } else if (rc != Z_OK) {
      break;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": corrupt gzip data (", zs.msg != nullptr ? zs.msg : "bad stream", ")"));
}

// The `regex` module's \s (Unicode White_Space): what CLIP's whitespace_clean collapses and
// its pattern skips.
bool IsRegexSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}
// Python's str.isspace, which str.strip() trims: also U+001C..U+001F.
bool IsPythonSpace(char32_t c) { return IsRegexSpace(c) || (c >= 0x1C && c <= 0x1F); }

// True when `line` is "<a> <b>": valid UTF-8, both symbols non-empty, no other whitespace.
bool IsMergeLine(absl::string_view line) {
  const size_t space = line.find(' ');
  if (space == absl::string_view::npos || space == 0 || space + 1 == line.size()) return false;
  if (!IsValidUtf8(line)) return false;
  for (size_t i = 0; i < line.size();) {
    const Utf8CodePoint cp = DecodeUtf8(line, i);
    if (i != space && IsPythonSpace(cp.code_point)) return false;
    i += cp.length;
  }
  return true;
}

// CLIP's bytes_to_unicode: the printable Latin-1 bytes stand for themselves, the other 68 for
// U+0100.. in byte order. Vocabulary ids 0..255 list the printable bytes first, then the rest.
struct ByteAlphabet {
  std::array<char32_t, 256> code_point{};  // by byte
  std::array<uint8_t, 256> byte_of_id{};   // by vocabulary id
};

ByteAlphabet MakeByteAlphabet() {
  const auto printable = [](int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  };
  ByteAlphabet a;
  int other = 0;
  int id = 0;
  for (int b = 0; b < 256; ++b) {
    a.code_point[b] = printable(b) ? b : 256 + other++;
    if (printable(b)) a.byte_of_id[id++] = static_cast<uint8_t>(b);
  }
  for (int b = 0; b < 256; ++b) {
    if (!printable(b)) a.byte_of_id[id++] = static_cast<uint8_t>(b);
  }
  return a;
}

// ---- Text cleaning and pre-tokenising ----

bool IsLetter(char32_t c) { return IsLetterCategory(CategoryOf(c)); }
bool IsNumber(char32_t c) { return IsNumberCategory(CategoryOf(c)); }

// Unicode's Case_Ignorable and Cased, as Python's str.lower uses them for the final sigma
// (checked against CPython 3.11 for every code point).
bool IsCaseIgnorable(char32_t c) {
  switch (CategoryOf(c)) {
    case UnicodeCategory::kMn:
    case UnicodeCategory::kMe:
    case UnicodeCategory::kCf:
    case UnicodeCategory::kLm:
    case UnicodeCategory::kSk:
      return true;
    default:  // Word_Break MidLetter, MidNumLet and Single_Quote
      return c == 0x27 || c == 0x2E || c == 0x3A || c == 0xB7 || c == 0x387 || c == 0x55F ||
             c == 0x5F4 || c == 0x2018 || c == 0x2019 || c == 0x2024 || c == 0x2027 ||
             c == 0xFE13 || c == 0xFE52 || c == 0xFE55 || c == 0xFF07 || c == 0xFF0E || c == 0xFF1A;
  }
}
bool IsCased(char32_t c) {
  const UnicodeCategory cat = CategoryOf(c);
  return cat == UnicodeCategory::kLu || cat == UnicodeCategory::kLl ||
         cat == UnicodeCategory::kLt || SimpleLowercase(c) != c || SimpleUppercase(c) != c ||
         c == 0xAA || c == 0xBA || (c >= 0x1F130 && c <= 0x1F149) ||
         (c >= 0x1F150 && c <= 0x1F169) || (c >= 0x1F170 && c <= 0x1F189);
}

// Python's rule for U+03A3 at `i`: final (U+03C2) after a cased letter and not before one,
// skipping case-ignorable characters both ways.
bool IsFinalSigma(const std::u32string& t, size_t i) {
  size_t j = i;
  while (j > 0 && IsCaseIgnorable(t[j - 1])) --j;
  if (j == 0 || !IsCased(t[j - 1])) return false;
  j = i + 1;
  while (j < t.size() && IsCaseIgnorable(t[j])) ++j;
  return j == t.size() || !IsCased(t[j]);
}

// CLIP's cleaning: HTML unescaped twice, trimmed (str.strip), runs of \s replaced by one space,
// lower-cased as Python's str.lower: the simple lowercase mapping plus Python's special cases,
// U+0130 -> "i" U+0307 and the final sigma (the other SpecialCasing entries depend on a
// language, which Python ignores). utf8proc's Unicode version (core/base/utf8.h) may differ
// from Python's.
std::u32string Clean(absl::string_view text) {
  const std::string unescaped = HtmlUnescape(HtmlUnescape(text));
  std::u32string collapsed;
  collapsed.reserve(unescaped.size());
  for (size_t i = 0; i < unescaped.size();) {
    const Utf8CodePoint cp = DecodeUtf8(unescaped, i);
    i += cp.length;
    if (collapsed.empty() && IsPythonSpace(cp.code_point)) continue;
    if (!IsRegexSpace(cp.code_point)) {
      collapsed.push_back(cp.code_point);
    } else if (collapsed.back() != U' ') {
      collapsed.push_back(U' ');  // U+0020 is \s, so a kept one always starts a run
    }
  }
  while (!collapsed.empty() && IsPythonSpace(collapsed.back())) collapsed.pop_back();
  std::u32string lower;
  lower.reserve(collapsed.size());
  for (size_t i = 0; i < collapsed.size(); ++i) {
    const char32_t c = collapsed[i];
    if (c == 0x130) {
      lower.append(U"i\u0307");
    } else if (c == 0x3A3) {
      lower.push_back(IsFinalSigma(collapsed, i) ? 0x3C2 : 0x3C3);
    } else {
      lower.push_back(SimpleLowercase(c));
    }
  }
  return lower;
}

// Characters that no alternative of CLIP's pattern matches: whitespace, and U+0345 (the
// `regex` module's IGNORECASE makes it neither a letter, through its case variant iota, nor a
// member of [^\s\p{L}\p{N}]).
bool IsSkipped(char32_t c) { return IsRegexSpace(c) || c == 0x345; }

// Whether `lit` (ASCII) is at `i`; 's' also matches U+017F, its IGNORECASE variant, which
// clears `*exact`.
bool LiteralAt(const std::u32string& t, size_t i, std::u32string_view lit, bool* exact) {
  if (t.size() - i < lit.size()) return false;
  for (size_t k = 0; k < lit.size(); ++k) {
    if (t[i + k] == lit[k]) continue;
    if (lit[k] != U's' || t[i + k] != 0x17F) return false;
    *exact = false;
  }
  return true;
}

struct Piece {
  size_t end = 0;
  int64_t special = -1;  // kStartToken or kEndToken for the special tokens themselves
};

// The match of <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|
// [^\s\p{L}\p{N}]+ (IGNORECASE) at `i`, which is not IsSkipped.
Piece MatchPiece(const std::u32string& t, size_t i) {
  bool exact = true;
  if (LiteralAt(t, i, U"<|startoftext|>", &exact)) {
    return {i + 15, exact ? BpeTokenizer::kStartToken : -1};
  }
  exact = true;
  if (LiteralAt(t, i, U"<|endoftext|>", &exact)) {
    return {i + 13, exact ? BpeTokenizer::kEndToken : -1};
  }
  for (std::u32string_view c : {U"'s", U"'t", U"'re", U"'ve", U"'m", U"'ll", U"'d"}) {
    if (LiteralAt(t, i, c, &exact)) return {i + c.size()};
  }
  size_t end = i + 1;
  if (IsLetter(t[i])) {
    while (end < t.size() && IsLetter(t[end])) ++end;
  } else if (!IsNumber(t[i])) {
    while (end < t.size() && !IsSkipped(t[end]) && !IsLetter(t[end]) && !IsNumber(t[end])) {
      ++end;
    }
  }
  return {end};
}

// ---- Byte-pair merging ----

struct Merge {
  int32_t rank;
  int32_t id;  // of the merged symbol
};

uint64_t PairKey(int32_t a, int32_t b) {
  return uint64_t{static_cast<uint32_t>(a)} << 32 | static_cast<uint32_t>(b);
}

// A word being merged: a linked list over its bytes' positions; a merge keeps the left
// position.
struct Symbol {
  int32_t id;  // -1 once merged into the symbol on its left
  int32_t prev;
  int32_t next;  // -1 at the end
};

struct Candidate {  // the pair starting at `pos` had `rank` when pushed
  int32_t rank;
  int32_t pos;
  bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
};

struct Scratch {  // reused across the words of one Encode
  std::string bytes;
  std::vector<Symbol> symbols;
  std::vector<Candidate> heap;  // min-heap by (rank, pos)
  std::vector<int32_t> batch;
};

}  // namespace

struct BpeTokenizer::Impl {
  std::array<int32_t, 256> byte_id{};      // the byte's symbol
  std::array<int32_t, 256> byte_end_id{};  // the byte's symbol + "</w>", ending a word
  absl::flat_hash_map<uint64_t, Merge> merges;

  const Merge* Find(int32_t a, int32_t b) const {
    const auto it = merges.find(PairKey(a, b));
    return it == merges.end() ? nullptr : &it->second;
  }

  void Push(int32_t pos, Scratch& s) const {
    const Symbol& left = s.symbols[pos];
    if (const Merge* m = Find(left.id, s.symbols[left.next].id)) {
      s.heap.push_back({m->rank, pos});
      std::push_heap(s.heap.begin(), s.heap.end(), std::greater<>());
    }
  }

  // CLIP's bpe(): repeatedly takes the lowest-ranked adjacent pair and merges all of its
  // occurrences left to right, as one step; appends the final symbols' ids.
  void AppendBpe(Scratch& s, std::vector<int64_t>& out) const {
    const auto n = static_cast<int32_t>(s.bytes.size());
    s.symbols.resize(n);
    for (int32_t i = 0; i < n; ++i) {
      const auto b = static_cast<uint8_t>(s.bytes[i]);
      s.symbols[i] = {i + 1 == n ? byte_end_id[b] : byte_id[b], i - 1, i + 1 == n ? -1 : i + 1};
    }
    s.heap.clear();
    for (int32_t i = 0; i + 1 < n; ++i) Push(i, s);
    while (!s.heap.empty()) {
      // One rank is one pair; the merges it enables wait for all its occurrences.
      const int32_t rank = s.heap.front().rank;
      s.batch.clear();
      while (!s.heap.empty() && s.heap.front().rank == rank) {
        std::pop_heap(s.heap.begin(), s.heap.end(), std::greater<>());
        s.batch.push_back(s.heap.back().pos);  // ascending positions
        s.heap.pop_back();
      }
      for (const int32_t pos : s.batch) {
        Symbol& left = s.symbols[pos];
        if (left.id < 0 || left.next < 0) continue;  // consumed, or now last
        Symbol& right = s.symbols[left.next];
        const Merge* m = Find(left.id, right.id);
        if (m == nullptr || m->rank != rank) continue;  // the pair changed since
        left.id = m->id;
        left.next = right.next;
        if (right.next >= 0) s.symbols[right.next].prev = pos;
        right.id = -1;
        if (left.prev >= 0) Push(left.prev, s);
        if (left.next >= 0) Push(pos, s);
      }
    }
    for (int32_t i = 0; i >= 0; i = s.symbols[i].next) out.push_back(s.symbols[i].id);
  }
};

BpeTokenizer::BpeTokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BpeTokenizer::~BpeTokenizer() = default;

absl::StatusOr<std::unique_ptr<BpeTokenizer>> BpeTokenizer::Load(const std::string& path) {
  absl::StatusOr<std::string> gz = ReadFile(path, kMaxFileBytes);
  if (absl::IsResourceExhausted(gz.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": larger than ", kMaxFileBytes >> 20, " MiB, not a merges file"));
  }
  if (!gz.ok()) return gz.status();
  return FromGzip(*gz, path);
}

absl::StatusOr<std::unique_ptr<BpeTokenizer>> BpeTokenizer::FromGzip(absl::string_view gz,
                                                                     absl::string_view what) {
  absl::StatusOr<std::string> text = Gunzip(gz, what);
  if (!text.ok()) return text.status();
  // Line 1 is a version header; lines 2..kNumMerges + 1 are the merges used; the rest is
  // ignored, as by CLIP.
  std::vector<std::pair<absl::string_view, absl::string_view>> pairs;
  pairs.reserve(kNumMerges);
  size_t start = text->find('\n');
  if (start != std::string::npos && !IsValidUtf8(absl::string_view(*text).substr(0, start))) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": line 1 is not UTF-8"));
  }
  while (pairs.size() < kNumMerges) {
    const size_t end = start == std::string::npos ? std::string::npos : text->find('\n', start + 1);
    const absl::string_view line =
        start == std::string::npos
            ? absl::string_view()
            : absl::string_view(*text).substr(
                  start + 1, (end == std::string::npos ? text->size() : end) - start - 1);
    if (end == std::string::npos && line.empty()) {  // no line, or the empty one after '\n'
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": only ", pairs.size(), " merges, CLIP's vocabulary needs ", kNumMerges));
    }
    if (!IsMergeLine(line)) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": line ", pairs.size() + 2,
                       ": a merge must be two non-empty symbols separated by one space, got \"",
                       absl::CHexEscape(line.substr(0, 64)), line.size() > 64 ? "..." : "", "\""));
    }
    const size_t space = line.find(' ');
    pairs.emplace_back(line.substr(0, space), line.substr(space + 1));
    start = end;
  }

  // CLIP's encoder is a dict over the vocabulary list: a repeated string keeps its last id.
  const ByteAlphabet alphabet = MakeByteAlphabet();
  std::array<std::string, 256> byte_symbol;
  absl::flat_hash_map<std::string, int32_t> ids;
  ids.reserve(kVocabSize);
  for (int i = 0; i < 256; ++i) {
    AppendUtf8(alphabet.code_point[alphabet.byte_of_id[i]], byte_symbol[i]);
    ids.insert_or_assign(byte_symbol[i], i);
  }
  for (int i = 0; i < 256; ++i) ids.insert_or_assign(byte_symbol[i] + "</w>", 256 + i);
  std::vector<std::string> joined(pairs.size());
  for (size_t k = 0; k < pairs.size(); ++k) {
    joined[k] = absl::StrCat(pairs[k].first, pairs[k].second);
    ids.insert_or_assign(joined[k], kFirstMergeId + static_cast<int32_t>(k));
  }
  ids.insert_or_assign("<|startoftext|>", static_cast<int32_t>(kStartToken));
  ids.insert_or_assign("<|endoftext|>", static_cast<int32_t>(kEndToken));

  auto impl = std::make_unique<Impl>();
  for (int i = 0; i < 256; ++i) {
    const uint8_t b = alphabet.byte_of_id[i];
    impl->byte_id[b] = ids.at(byte_symbol[i]);
    impl->byte_end_id[b] = ids.at(byte_symbol[i] + "</w>");
  }
  impl->merges.reserve(pairs.size());
  for (size_t k = 0; k < pairs.size(); ++k) {
    const auto a = ids.find(pairs[k].first);
    const auto b = ids.find(pairs[k].second);
    if (a == ids.end() || b == ids.end()) continue;  // symbols no word can hold
    // A repeated pair keeps its last rank, as CLIP's bpe_ranks dict.
    impl->merges.insert_or_assign(PairKey(a->second, b->second),
                                  Merge{static_cast<int32_t>(k), ids.at(joined[k])});
  }
  return std::unique_ptr<BpeTokenizer>(new BpeTokenizer(std::move(impl)));
}

std::vector<int64_t> BpeTokenizer::Encode(absl::string_view text) const {
  const std::u32string cleaned = Clean(text);
  std::vector<int64_t> ids;
  Scratch scratch;
  for (size_t i = 0; i < cleaned.size();) {
    if (IsSkipped(cleaned[i])) {
      ++i;
      continue;
    }
    const Piece piece = MatchPiece(cleaned, i);
    if (piece.special >= 0) {
      ids.push_back(piece.special);
    } else {
      scratch.bytes.clear();
      for (size_t k = i; k < piece.end; ++k) AppendUtf8(cleaned[k], scratch.bytes);
      impl_->AppendBpe(scratch, ids);
    }
    i = piece.end;
  }
  return ids;
}

absl::StatusOr<std::vector<int64_t>> BpeTokenizer::Tokenize(absl::string_view text,
                                                            int context_length,
                                                            bool truncate) const {
  if (context_length < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("context length ", context_length, " is below 2"));
  }
  const std::vector<int64_t> ids = Encode(text);
  const size_t limit = static_cast<size_t>(context_length);
  if (ids.size() + 2 > limit && !truncate) {
    return absl::InvalidArgumentError(absl::StrCat("text has ", ids.size() + 2,
                                                   " tokens with the start and end tokens, more ",
                                                   "than the context length ", context_length));
  }
  std::vector<int64_t> out(limit, 0);
  out[0] = kStartToken;
  const size_t n = std::min(ids.size(), limit - 2);
  std::copy(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(n), out.begin() + 1);
  out[n + 1] = kEndToken;
  return out;
}

}  // namespace xmodal::model::clip
