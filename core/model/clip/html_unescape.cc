#include "core/model/clip/html_unescape.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/base/utf8.h"

namespace xmodal::model::clip {
namespace {

struct HtmlEntity {
  const char* name;
  const char* value;  // UTF-8
};
struct CodePointPair {
  char32_t first;
  char32_t second;
};

// kHtmlEntities, kInvalidCharrefs, kInvalidCodePoints.
#include "core/model/clip/html_entities.inc"

constexpr int kMaxNameChars = 32;
constexpr uint32_t kBeyondUnicode = 0x110000;

// The value of the entity named exactly `name` ("amp;", "amp"), or nullptr.
const char* FindEntity(absl::string_view name) {
  const HtmlEntity* end = std::end(kHtmlEntities);
  const HtmlEntity* it = std::lower_bound(
      std::begin(kHtmlEntities), end, name,
      [](const HtmlEntity& e, absl::string_view n) { return absl::string_view(e.name) < n; });
  return it != end && absl::string_view(it->name) == name ? it->value : nullptr;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends what the numeric reference to `num` (saturated at kBeyondUnicode) stands for.
void AppendNumeric(uint32_t num, std::string& out) {
  for (const CodePointPair& p : kInvalidCharrefs) {
    if (p.first == num) return AppendUtf8(p.second, out);
  }
  if ((num >= 0xD800 && num <= 0xDFFF) || num >= kBeyondUnicode) {
    return AppendUtf8(kReplacementCharacter, out);
  }
  for (const CodePointPair& r : kInvalidCodePoints) {
    if (num >= r.first && num <= r.second) return;  // dropped
  }
  AppendUtf8(num, out);
}

// Replaces a numeric reference "#..." starting at `pos` (just after '&'); returns the bytes
// consumed from `pos`, or 0 when there is none.
size_t ReplaceNumeric(absl::string_view text, size_t pos, std::string& out) {
  size_t i = pos + 1;  // after '#'
  int base = 10;
  if (i < text.size() && (text[i] == 'x' || text[i] == 'X')) {
    base = 16;
    ++i;
  }
  const size_t digits = i;
  uint32_t num = 0;
  for (; i < text.size(); ++i) {
    const int d = HexValue(text[i]);
    if (d < 0 || d >= base) break;
    num = static_cast<uint32_t>(std::min<uint64_t>(uint64_t{num} * base + d, kBeyondUnicode));
  }
  if (i == digits) return 0;  // "&#" or "&#x" without digits is plain text
  if (i < text.size() && text[i] == ';') ++i;
  AppendNumeric(num, out);
  return i - pos;
}

bool EndsName(char c) {
  return c == '\t' || c == '\n' || c == '\f' || c == ' ' || c == '<' || c == '&' || c == '#' ||
         c == ';';
}

// Replaces a named reference starting at `pos` (just after '&'); returns the bytes consumed
// from `pos`, or 0 when there is none.
size_t ReplaceNamed(absl::string_view text, size_t pos, std::string& out) {
  size_t end = pos;
  int chars = 0;
  while (end < text.size() && chars < kMaxNameChars && !EndsName(text[end])) {
    end += DecodeUtf8(text, end).length;
    ++chars;
  }
  if (chars == 0) return 0;
  if (end < text.size() && text[end] == ';') {
    ++end;
    ++chars;
  }
  const absl::string_view name = text.substr(pos, end - pos);
  if (const char* value = FindEntity(name)) {
    out.append(value);
    return end - pos;
  }
  // The longest proper prefix (in characters, at least 2) that is an entity; entity names are
  // ASCII, so only the ASCII head of `name` can match and bytes count as characters there.
  size_t ascii = 0;
  while (ascii < name.size() && static_cast<unsigned char>(name[ascii]) < 0x80) ++ascii;
  for (size_t len = std::min(ascii, static_cast<size_t>(chars - 1)); len >= 2; --len) {
    if (const char* value = FindEntity(name.substr(0, len))) {
      out.append(value);
      absl::StrAppend(&out, name.substr(len));
      return end - pos;
    }
  }
  return 0;
}

}  // namespace

std::string HtmlUnescape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t amp = text.find('&', i);
    if (amp == absl::string_view::npos) {
      absl::StrAppend(&out, text.substr(i));
      break;
    }
    absl::StrAppend(&out, text.substr(i, amp - i));
    const size_t pos = amp + 1;
    size_t used = 0;
    if (pos < text.size()) {
      used = text[pos] == '#' ? ReplaceNumeric(text, pos, out) : ReplaceNamed(text, pos, out);
    }
    if (used == 0) out.push_back('&');
    i = pos + used;
  }
  return out;
}

}  // namespace xmodal::model::clip
