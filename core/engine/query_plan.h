// One query of a SearchBatch on its way through the stages: its validation, what it searches
// (which indexes, how many neighbours of each) and its state (first error, encoding, filter,
// merge, result). Engine-internal.
//
// ValidateQuery is the one check of a Query's k and targets: the server passes the API's k
// through (0 mapped to kDefaultK) and relies on it. A QueryPlan is used by one thread at a time.
#ifndef XMODAL_CORE_ENGINE_QUERY_PLAN_H_
#define XMODAL_CORE_ENGINE_QUERY_PLAN_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"
#include "core/engine/hit_merge.h"
#include "core/engine/query_encoding.h"
#include "core/engine/search_filter.h"
#include "core/engine/search_limits.h"
#include "core/engine/searcher.h"
#include "core/model/model.h"

namespace xmodal::engine {

// Audio items hold one vector per segment, so more neighbours are fetched to still find k
// distinct items after keeping each item's best segment.
inline constexpr int kAudioOverfetch = 4;

// OK, or INVALID_ARGUMENT "k must be between 1 and <max_k>, got <k>", or "target modality
// '<m>' is not encoded by model '<name>'" for the first target `model` does not support.
absl::Status ValidateQuery(const Query& query, const model::Model& model,
                           const SearchLimits& limits);

// CANCELLED "request cancelled or past its deadline (after <stage>)" when `cancelled` is set
// and says so; else OK.
absl::Status CheckCancelled(const CancelCheck& cancelled, absl::string_view stage);

struct QueryPlan {
  const Query* query = nullptr;
  const CancelCheck* cancelled = nullptr;  // never null once planned
  absl::Status status;                     // the first error; later stages skip the query
  EncodedQuery encoded;
  bool filtered = false;   // HasFilters(*query): searched alone, over `allowed`
  AllowedVectors allowed;  // filtered queries only
  HitMerge merge;
  SearchResult result;

  // Whether the query searches `modality`'s index (no targets: every index).
  bool Targets(Modality modality) const;
  // Neighbours asked of `modality`'s index: k (times kAudioOverfetch for audio) plus one per
  // query row, which an item query's own vectors may take.
  int Fetch(Modality modality) const;
};

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_QUERY_PLAN_H_
