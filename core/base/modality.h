// The three kinds of content xmodal embeds into one space.
#ifndef XMODAL_CORE_BASE_MODALITY_H_
#define XMODAL_CORE_BASE_MODALITY_H_

#include <array>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace xmodal {

enum class Modality { kText = 0, kImage = 1, kAudio = 2 };

inline constexpr std::array<Modality, 3> kAllModalities = {Modality::kText, Modality::kImage,
                                                           Modality::kAudio};

// "text", "image" or "audio".
absl::string_view ModalityName(Modality modality);

// Parses "text" / "image" / "audio" (case-insensitive). INVALID_ARGUMENT names the bad word.
absl::StatusOr<Modality> ParseModality(absl::string_view name);

// Parses a comma-separated list such as "image,audio"; duplicates are dropped, order is kept.
// INVALID_ARGUMENT for an empty list or an unknown name.
absl::StatusOr<std::vector<Modality>> ParseModalityList(absl::string_view names);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_MODALITY_H_
