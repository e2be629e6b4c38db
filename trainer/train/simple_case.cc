#include "trainer/train/simple_case.h"

namespace xmodal::train {
namespace {

// Decodes one code point at `i` (advancing it); an invalid byte decodes as itself.
char32_t Decode(absl::string_view s, size_t& i) {
  const auto b0 = static_cast<uint8_t>(s[i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return b0;
  }
  char32_t c = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < len; ++k) c = (c << 6) | (static_cast<uint8_t>(s[i + k]) & 0x3F);
  i += len;
  return c;
}

void Encode(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

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
  for (size_t i = 0; i < text.size();) Encode(map(Decode(text, i)), out);
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
    const char32_t c = Decode(text, i);
    const char32_t mapped = upper ? ToUpperCodePoint(c) : ToLowerCodePoint(c);
    const bool is_letter = mapped != c || ToLowerCodePoint(c) != ToUpperCodePoint(c);
    Encode(done ? c : mapped, out);
    if (is_letter) done = true;
  }
  return out;
}

}  // namespace xmodal::train
