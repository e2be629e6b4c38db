#include "core/engine/search_filter.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "core/base/status_macros.h"

namespace xmodal::engine {

bool HasFilters(const Query& query) {
  return !query.metadata_equals.empty() || !query.source_prefix.empty();
}

bool PassesFilters(const store::ItemRecord& item, const Query& query) {
  if (!absl::StartsWith(item.source_uri, query.source_prefix)) return false;
  for (const auto& [key, value] : query.metadata_equals) {
    auto it = item.metadata.find(key);
    if (it == item.metadata.end() || it->second != value) return false;
  }
  return true;
}

absl::StatusOr<AllowedVectors> CollectAllowedVectors(const store::Store& store,
                                                     const Query& query) {
  AllowedVectors allowed;
  XM_RETURN_IF_ERROR(store.ForEachItem([&](const store::ItemRecord& item) {
    if (PassesFilters(item, query)) {
      std::vector<int64_t>& ids = allowed[item.modality];
      ids.insert(ids.end(), item.vector_ids.begin(), item.vector_ids.end());
    }
    return absl::OkStatus();
  }));
  for (auto& [m, ids] : allowed) std::sort(ids.begin(), ids.end());
  return allowed;
}

}  // namespace xmodal::engine
