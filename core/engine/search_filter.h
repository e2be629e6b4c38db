// A query's filters (metadata key = value pairs, a source URI prefix): which items pass, and the
// vector ids of those items per modality, which a filtered index search may return.
// Engine-internal. Stateless; as thread-safe as the store's ForEachItem.
#ifndef XMODAL_CORE_ENGINE_SEARCH_FILTER_H_
#define XMODAL_CORE_ENGINE_SEARCH_FILTER_H_

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/modality.h"
#include "core/engine/searcher.h"
#include "core/store/records.h"
#include "core/store/store.h"

namespace xmodal::engine {

// Per modality, the ascending vector ids of the items that pass a query's filters.
using AllowedVectors = std::map<Modality, std::vector<int64_t>>;

// Whether `query` filters at all (a filtered query is searched alone, over its allowed ids).
bool HasFilters(const Query& query);

// Whether `item` passes: its source URI starts with query.source_prefix and its metadata has
// every pair of query.metadata_equals (same key, equal value).
bool PassesFilters(const store::ItemRecord& item, const Query& query);

// The vectors of the items in `store` that pass, by one scan of the items. A modality none of
// whose items pass is absent. Errors: the store's, from ForEachItem.
absl::StatusOr<AllowedVectors> CollectAllowedVectors(const store::Store& store, const Query& query);

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_SEARCH_FILTER_H_
