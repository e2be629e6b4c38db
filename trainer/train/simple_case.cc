#include "trainer/train/simple_case.h"

#include "core/base/utf8.h"

namespace xmodal::train {
namespace {

// Appends the code point at `i` of `text` mapped by `map` (an invalid byte is copied as it is)
// and advances `i`; returns the code point (U+FFFD for an invalid byte).
char32_t AppendMapped(absl::string_view text, size_t& i, char32_t (*map)(char32_t),
                      std::string& out) {
  const Utf8CodePoint cp = DecodeUtf8(text, i);
  if (cp.valid) {
    AppendUtf8(map(cp.code_point), out);
  } else {
    out.push_back(text[i]);
  }
  i += cp.length;
  return cp.code_point;
}

char32_t Identity(char32_t c) { return c; }

// Ranges of upper/lower pairs that alternate: upper at the even (or odd) code point.
bool InAlternatingRange(char32_t c, bool* upper_is_even) {
  struct Range {
    char32_t lo, hi;
    bool even_upper;
  };
  static constexpr Range kRanges[] = {{0x0100, 0x0137, true},  {0x0139, 0x0148, false},
                                      {0x014A, 0x0177, true},  {0x0179, 0x017E, false},
                                      {0x0460, 0x0481, true},  {0x048A, 0x04BF, true},
                                      {0x04C1, 0x04CE, false}, {0x04D0, 0x04FF, true}};
  for (const Range& r : kRanges) {
    if (c >= r.lo && c <= r.hi) {
      *upper_is_even = r.even_upper;
      return true;
    }
  }
  return false;
}

std::string MapAll(absl::string_view text, char32_t (*map)(char32_t)) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) AppendMapped(text, i, map, out);
  return out;
}

}  // namespace

char32_t ToLowerCodePoint(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x178) return 0xFF;
  bool even_upper = false;
  if (InAlternatingRange(c, &even_upper)) {
    const bool is_upper = (c % 2 == 0) == even_upper;
    return is_upper ? c + 1 : c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 0x3F;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c >= 0x531 && c <= 0x556) return c + 0x30;
  return c;
}

char32_t ToUpperCodePoint(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
  if (c == 0xFF) return 0x178;
  bool even_upper = false;
  if (InAlternatingRange(c, &even_upper)) {
    const bool is_upper = (c % 2 == 0) == even_upper;
    return is_upper ? c : c - 1;
  }
  if (c == 0x3C2) return 0x3A3;  // final sigma
  if (c >= 0x3B1 && c <= 0x3C9) return c - 0x20;
  if (c == 0x3AC) return 0x386;
  if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 0x3F;
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  if (c >= 0x561 && c <= 0x586) return c - 0x30;
  return c;
}

std::string ToLowerUtf8(absl::string_view text) { return MapAll(text, &ToLowerCodePoint); }
std::string ToUpperUtf8(absl::string_view text) { return MapAll(text, &ToUpperCodePoint); }

std::string SetFirstLetterCase(absl::string_view text, bool upper) {
  std::string out;
  out.reserve(text.size());
  bool done = false;
  for (size_t i = 0; i < text.size();) {
    const char32_t c = AppendMapped(text, i,
                                    done    ? &Identity
                                    : upper ? &ToUpperCodePoint
                                            : &ToLowerCodePoint,
                                    out);
    if (ToLowerCodePoint(c) != ToUpperCodePoint(c)) done = true;
  }
  return out;
}

}  // namespace xmodal::train
