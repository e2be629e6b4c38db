// An int8 copy of a large IndexFlatIP's vectors that lets an exact search read a quarter of the
// bytes, with results identical to the float scan's (compat/flat_scan.h). Internal.
//
// Why: a flat search of a few queries is bound by memory bandwidth, not arithmetic. Scanning the
// stamp corpus's 47k x 128 text vectors reads 24 MB per query (2-4 ms on our machines); the int8
// codes are 6 MB.
//
// How it stays exact: each stored vector x is kept as codes c (int8, in [-127, 127]) and a scale
// s, and the query q as codes p in [-32, 32] with a scale t, so that the scan's sums are exact
// integer sums (simd_dot.h's DotsInt8, on AVX2's maddubs: 32 products per instruction).
// s*t*(p.c) is within ||q||*||x - s*c|| + s*||c||*||q - t*p|| of q.x (Cauchy-Schwarz); the copy
// keeps each vector's two norms, and the bound adds the float rounding of both scores. The scan
// keeps the k best lower bounds and every vector whose upper bound reaches the k-th best lower
// bound; only those candidates are scored again on the float vectors, with the float scan's own
// dot product. Every vector of the true top k is among them, so the k results and their scores
// are exactly those of the float scan. The query's coarse codes widen the bounds a little: on the
// stamp corpus's text vectors a query keeps 45 candidates on average (137 at most) where int16
// query codes kept 15, and the scan takes half the time.
//
// Not a FAISS workaround: no FAISS version or build scans fewer bytes than the float vectors for an
// exact search, so this stays when compat/ goes (compat/README.md).
//
// Immutable once built; it points into the IndexFlat it was built from, which must outlive it and
// not change (FaissIndex drops its copy before any Add or Remove). Searches may run concurrently.
#ifndef XMODAL_CORE_INDEX_INT8_FLAT_COPY_H_
#define XMODAL_CORE_INDEX_INT8_FLAT_COPY_H_

#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace xmodal::index::internal {

// Per stored vector, what its approximate score and the bound on its error need.
struct Int8VectorTerms {
  std::vector<int32_t> code_sums;  // the sum of its codes times the query codes' offset
  std::vector<float> scales;
  // ||x - s*c|| plus the float scan's rounding of q.x per unit of ||q||; s*||c||.
  std::vector<float> residuals;
  std::vector<float> code_norms;
};

class Int8FlatCopy {
 public:
  // A copy of `index` when it is an inner-product IndexFlat whose float vectors take at least
  // `min_bytes` (below a few MB they stay in cache and the float scan is as fast), of at most
  // kMaxDim dimensions; else null.
  static std::unique_ptr<const Int8FlatCopy> BuildFor(const faiss::Index& index,
                                                      int64_t min_bytes = kDefaultMinBytes);

  // As FlatScanSearch (compat/flat_scan.h): the `k` best inner products of each of the `n` queries
  // `x` among the vectors `selector` admits, best first, padded with label -1.
  void Search(int64_t n, const float* x, int64_t k, const faiss::IDSelector* selector,
              float* distances, int64_t* labels) const;

  const faiss::IndexFlat& flat() const { return flat_; }
  int64_t size() const { return static_cast<int64_t>(terms_.scales.size()); }

  // For tests: the approximate score of stored vectors [j0, j1) for query `x`, and the bounds on
  // their errors, as the scan computes them.
  void ApproximateScores(const float* x, int64_t j0, int64_t j1, std::vector<float>& scores,
                         std::vector<float>& bounds) const;

  static constexpr int64_t kDefaultMinBytes = 2 << 20;  // about a core's L2 cache
  static constexpr int64_t kMaxDim = 4096;

 private:
  explicit Int8FlatCopy(const faiss::IndexFlat& flat);

  const faiss::IndexFlat& flat_;
  const int64_t d_;
  const int64_t row_width_;    // d_ rounded up to DotsInt8's width
  std::vector<int8_t> codes_;  // size() x row_width_, padded with zeros
  Int8VectorTerms terms_;
};

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_INT8_FLAT_COPY_H_
