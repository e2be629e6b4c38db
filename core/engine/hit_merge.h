// Merges the index neighbours of one query into its hits: each item keeps its best vector (audio
// items have one per segment, and a query may search several indexes or have several rows), the
// query's own item is left out, and the items are ranked by score with ties broken by item id,
// so the order does not depend on index or hash-map order. Engine-internal.
//
// Not thread-safe: one HitMerge per query, filled by one thread.
#ifndef XMODAL_CORE_ENGINE_HIT_MERGE_H_
#define XMODAL_CORE_ENGINE_HIT_MERGE_H_

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/engine/snapshot.h"
#include "core/index/vector_index.h"

namespace xmodal::engine {

// An item's best vector so far and its score.
struct Candidate {
  float score = 0.0f;
  VectorRef ref;
};

class HitMerge {
 public:
  // Adds the first `fetch` neighbours of `row` (one query row's, best first). `vectors` and
  // `item_ids` are the served generation's (Snapshot): neighbours whose id `vectors` lacks are
  // skipped, and so are those of item `exclude_item_id` (the query's own item; empty for none).
  // An item seen again keeps the higher score; of equal scores, the one added first.
  void Add(std::span<const index::Neighbor> row, int fetch,
           const std::unordered_map<int64_t, VectorRef>& vectors,
           const std::vector<std::string>& item_ids, const std::string& exclude_item_id);

  // At most `k` of the items, best first: higher score first, equal scores by ascending item id.
  std::vector<Candidate> Ranked(const std::vector<std::string>& item_ids, int k) const;

  int64_t size() const { return static_cast<int64_t>(best_.size()); }

 private:
  std::unordered_map<int32_t, Candidate> best_;  // by VectorRef::item
};

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_HIT_MERGE_H_
