// Retrieval scoring for xmodal-eval: items with one or more vectors (audio segments), the
// rank of the first correct answer when the ground truth is a group, and Recall@1/5/10.
#ifndef XMODAL_TRAINER_EVAL_RECALL_H_
#define XMODAL_TRAINER_EVAL_RECALL_H_

#include <climits>
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/float_matrix.h"

namespace xmodal::eval {

// The vectors of a list of items, item after item; an item may own several rows (the
// segments of an audio clip) or none (it failed to embed). Not thread-safe to mutate.
struct SegmentedVectors {
  FloatMatrix rows;
  std::vector<int64_t> offsets = {0};  // item i owns rows [offsets[i], offsets[i + 1])

  int64_t num_items() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t num_rows(int64_t item) const { return offsets[item + 1] - offsets[item]; }
  // Appends one item with the rows of `item_rows` (0 rows: a failed item). Its column count
  // must match the rows already held.
  void AddItem(const FloatMatrix& item_rows);
};

inline constexpr int kNoVectors = 0;       // rank of a query that has no vectors
inline constexpr int kNotFound = INT_MAX;  // rank when no gallery item of its group has vectors

// For each query item, the 1-based rank of the first gallery item of the query's group when
// the gallery is sorted by score, descending (ties: lower gallery index first). The score of
// a (query, gallery item) pair is the maximum inner product over their segments. Queries
// with no rows get kNoVectors; gallery items with no rows are never ranked. `query_groups`
// and `gallery_groups` give each item's group (sizes must match the item counts: CHECKed,
// a programmer error). Runs on `threads` threads; deterministic.
std::vector<int> FirstCorrectRanks(const SegmentedVectors& queries,
                                   const std::vector<int>& query_groups,
                                   const SegmentedVectors& gallery,
                                   const std::vector<int>& gallery_groups, int threads);

struct RecallAtK {
  int64_t queries = 0;
  double r1 = 0, r5 = 0, r10 = 0;
};

// Accumulates ranks (kNoVectors ranks must not be added: they are skipped queries).
class RecallAccumulator {
 public:
  void Add(int rank);
  RecallAtK Result() const;

 private:
  int64_t n_ = 0, hits1_ = 0, hits5_ = 0, hits10_ = 0;
};

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_RECALL_H_
