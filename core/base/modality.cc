#include "core/base/modality.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace xmodal {

absl::string_view ModalityName(Modality modality) {
  switch (modality) {
    case Modality::kText:
      return "text";
    case Modality::kImage:
      return "image";
    case Modality::kAudio:
      return "audio";
  }
  return "unknown";
}

absl::StatusOr<Modality> ParseModality(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(name));
  for (Modality m : kAllModalities) {
    if (lower == ModalityName(m)) return m;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown modality '", name, "' (expected text, image or audio)"));
}

absl::StatusOr<std::vector<Modality>> ParseModalityList(absl::string_view names) {
  std::vector<Modality> out;
  for (absl::string_view part : absl::StrSplit(names, ',', absl::SkipWhitespace())) {
    absl::StatusOr<Modality> m = ParseModality(part);
    if (!m.ok()) return m.status();
    if (std::find(out.begin(), out.end(), *m) == out.end()) out.push_back(*m);
  }
  if (out.empty()) return absl::InvalidArgumentError("the modality list is empty");
  return out;
}

}  // namespace xmodal
