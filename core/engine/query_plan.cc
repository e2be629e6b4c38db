#include "core/engine/query_plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace xmodal::engine {

absl::Status ValidateQuery(const Query& query, const model::Model& model,
                           const SearchLimits& limits) {
  if (query.k < 1 || query.k > limits.max_k) {
    return absl::InvalidArgumentError(
        absl::StrCat("k must be between 1 and ", limits.max_k, ", got ", query.k));
  }
  for (Modality m : query.targets) {
    if (!model.Supports(m)) {
      return absl::InvalidArgumentError(absl::StrCat("target modality '", ModalityName(m),
                                                     "' is not encoded by model '",
                                                     model.pin().name, "'"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCancelled(const CancelCheck& cancelled, absl::string_view stage) {
  if (cancelled && cancelled()) {
    return absl::CancelledError(
        absl::StrCat("request cancelled or past its deadline (after ", stage, ")"));
  }
  return absl::OkStatus();
}

bool QueryPlan::Targets(Modality modality) const {
  return query->targets.empty() ||
         std::find(query->targets.begin(), query->targets.end(), modality) != query->targets.end();
}

int QueryPlan::Fetch(Modality modality) const {
  return query->k * (modality == Modality::kAudio ? kAudioOverfetch : 1) +
         static_cast<int>(encoded.vectors.rows);
}

}  // namespace xmodal::engine
