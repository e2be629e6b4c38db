// The vectors an ANN comparison runs on: synthetic clustered unit vectors, or the stored
// vectors of a collection with some held out as queries; and the exact neighbours.
#ifndef XMODAL_BENCHMARKS_LIB_ANN_DATA_H_
#define XMODAL_BENCHMARKS_LIB_ANN_DATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/float_matrix.h"
#include "core/base/modality.h"

namespace xmodal::bench {

struct AnnData {
  FloatMatrix base;                  // row i has id i
  FloatMatrix queries;               // not in `base`
  std::string source;                // "synthetic" or the collection directory
  std::optional<Modality> modality;  // collection vectors only
};

struct SyntheticSpec {
  int64_t vectors = 10000;
  int dim = 256;
  int64_t queries = 200;
  // Points are normalize(centre + noise * g), g ~ N(0, I / dim), around `clusters` centres
  // drawn uniformly on the sphere; noise 1 puts a point at cosine ~0.7 from its centre.
  // 0 clusters: vectors / 50 clamped to [1, 1000].
  int64_t clusters = 0;
  double noise = 1.0;
  uint64_t seed = 1;
};

// The clusters a spec resolves to (its own, or the default for its size).
int64_t ResolvedClusters(const SyntheticSpec& spec);

// Deterministic for a spec. INVALID_ARGUMENT for vectors < 1, dim < 1, queries < 1, negative
// clusters or a noise that is not finite and >= 0.
absl::StatusOr<AnnData> MakeSyntheticData(const SyntheticSpec& spec);

// Reads every stored vector of `modality` (nullopt: the modality with the most vectors) from
// the collection at `dir`, read-only, and holds `queries` of them out (a seeded random choice)
// as queries. Errors of Collection::ReadPin / Open and the store's reads; NOT_FOUND when the
// collection has no vectors of the modality; INVALID_ARGUMENT when it holds no more than
// `queries` of them.
absl::StatusOr<AnnData> LoadCollectionData(const std::string& dir, std::optional<Modality> modality,
                                           int64_t queries, uint64_t seed = 1);

// The ids of the exact top-`k` neighbours (inner product) of every query, best first, found
// with a flat index (core/index). Errors as VectorIndex.
absl::StatusOr<std::vector<std::vector<int64_t>>> ExactNeighbors(const FloatMatrix& base,
                                                                 const FloatMatrix& queries, int k);

// Mean over queries of |found[q][:k] ∩ truth[q][:k]| / k (k is clamped to the truth's length
// per query). 0 for no queries.
double RecallAtK(const std::vector<std::vector<int64_t>>& found,
                 const std::vector<std::vector<int64_t>>& truth, int k);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_ANN_DATA_H_
