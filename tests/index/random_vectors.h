// Deterministic random unit vectors and a brute-force top-k for the index tests.
#ifndef XMODAL_TESTS_INDEX_RANDOM_VECTORS_H_
#define XMODAL_TESTS_INDEX_RANDOM_VECTORS_H_

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <span>
#include <vector>

#include "core/base/float_matrix.h"
#include "core/index/vector_index.h"

namespace xmodal::index::testing {

// `rows` L2-normalised vectors of width `dim` drawn from a seeded normal distribution.
inline FloatMatrix RandomUnitVectors(int64_t rows, int dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  FloatMatrix m(rows, dim);
  for (float& v : m.data) v = normal(rng);
  L2NormalizeRows(m);
  return m;
}

// Rows [begin, end) of `m`.
inline FloatMatrix Rows(const FloatMatrix& m, int64_t begin, int64_t end) {
  FloatMatrix out;
  for (int64_t r = begin; r < end; ++r) out.AppendRow(m.row(r));
  return out;
}

// ids[i] for row i: distinct, not 0..n-1, so an id that leaked from FAISS's internal
// positions would be noticed.
inline std::vector<int64_t> SpreadIds(int64_t n) {
  std::vector<int64_t> ids(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) ids[static_cast<size_t>(i)] = 1'000'000 + 7 * i;
  return ids;
}

// Exact top-k by inner product of `query` against the rows of `base` (ids from `ids`),
// restricted to `allowed` when it is not null.
inline std::vector<Neighbor> BruteForce(const FloatMatrix& base, const std::vector<int64_t>& ids,
                                        std::span<const float> query, int k,
                                        const std::vector<int64_t>* allowed = nullptr) {
  std::vector<Neighbor> all;
  for (int64_t r = 0; r < base.rows; ++r) {
    const int64_t id = ids[static_cast<size_t>(r)];
    if (allowed != nullptr && std::find(allowed->begin(), allowed->end(), id) == allowed->end()) {
      continue;
    }
    all.push_back({id, Dot(base.row(r), query)});
  }
  std::sort(all.begin(), all.end(),
            [](const Neighbor& a, const Neighbor& b) { return a.score > b.score; });
  if (static_cast<int>(all.size()) > k) all.resize(static_cast<size_t>(k));
  return all;
}

}  // namespace xmodal::index::testing

#endif  // XMODAL_TESTS_INDEX_RANDOM_VECTORS_H_
