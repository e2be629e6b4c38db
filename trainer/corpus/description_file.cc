#include "trainer/corpus/description_file.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "core/base/text.h"
#include "core/base/utf8.h"

namespace xmodal::corpus {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr absl::string_view kLangSuffix = ".utf8=";

bool IsLangChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '@';
}

// Adds `text` (normalised) under `lang` unless it is empty, not UTF-8, or `lang` is taken.
void AddDescription(absl::string_view lang, absl::string_view text, std::set<std::string>& seen,
                    std::vector<Description>& out) {
  std::string normalized = NormalizeWhitespace(text);
  if (normalized.empty() || !IsValidUtf8(normalized)) return;
  if (!seen.insert(std::string(lang)).second) return;
  out.push_back(Description{std::string(lang), std::move(normalized)});
}

}  // namespace

std::vector<Description> ParseDescriptionFile(absl::string_view contents) {
  absl::ConsumePrefix(&contents, kUtf8Bom);
  std::vector<Description> out;
  std::set<std::string> seen;
  bool first = true;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    absl::ConsumeSuffix(&line, "\r");
    if (first) {
      first = false;
      AddDescription("en", line, seen, out);
      continue;
    }
    const size_t at = line.find(kLangSuffix);
    if (at == absl::string_view::npos || at == 0) continue;
    const absl::string_view lang = line.substr(0, at);
    bool ok = true;
    for (char c : lang) ok = ok && IsLangChar(c);
    if (!ok || lang == "en") continue;
    AddDescription(lang, line.substr(at + kLangSuffix.size()), seen, out);
  }
  return out;
}

bool LooksLikeLanguageTag(absl::string_view tag) {
  size_t i = 0;
  while (i < tag.size() && absl::ascii_isalpha(static_cast<unsigned char>(tag[i]))) ++i;
  if (i < 2 || i > 3) return false;
  if (i < tag.size() && tag[i] == '_') {
    const size_t start = ++i;
    while (i < tag.size() && absl::ascii_isalnum(static_cast<unsigned char>(tag[i]))) ++i;
    if (i == start) return false;
  }
  if (i < tag.size() && tag[i] == '@') {
    const size_t start = ++i;
    while (i < tag.size() && absl::ascii_isalpha(static_cast<unsigned char>(tag[i]))) ++i;
    if (i == start) return false;
  }
  return i == tag.size();
}

std::string GroupKey(absl::string_view english) {
  std::string key = AsciiLowercaseUtf8(NormalizeWhitespace(english));
  while (!key.empty() && absl::StrContains(".!?,;: ", key.back())) key.pop_back();
  return key;
}

}  // namespace xmodal::corpus
