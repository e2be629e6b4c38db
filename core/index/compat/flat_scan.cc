#include "core/index/compat/flat_scan.h"

#include <faiss/utils/Heap.h>

#include <algorithm>

#include "core/index/simd_dot.h"

namespace xmodal::index::internal {
namespace {

// FAISS itself hands batches from this size on to BLAS (distance_compute_blas_threshold).
constexpr int64_t kScanBelowQueries = 20;
// Stored vectors scanned per block: well inside a 512 KB L2 cache.
constexpr int64_t kScanBlockBytes = 64 * 1024;

}  // namespace

const faiss::IndexFlat* FlatIndexToScan(const faiss::Index& index, int64_t queries) {
  if (queries >= kScanBelowQueries || index.metric_type != faiss::METRIC_INNER_PRODUCT) {
    return nullptr;
  }
  return dynamic_cast<const faiss::IndexFlat*>(&index);
}

void FlatScanSearch(const faiss::IndexFlat& index, int64_t n, const float* x, int64_t k,
                    const faiss::IDSelector* selector, float* distances, int64_t* labels) {
  using Heap = faiss::CMin<float, int64_t>;  // the k largest scores, smallest on top
  const int64_t d = index.d;
  const float* base = index.get_xb();
  for (int64_t q = 0; q < n; ++q) {
    faiss::heap_heapify<Heap>(k, distances + q * k, labels + q * k);
  }
  // Rows in blocks that stay in the core's cache while every query reads them: a batch of
  // queries reads the stored vectors from memory once, not once per query.
  const int64_t block = std::max<int64_t>(1, kScanBlockBytes / (d * sizeof(float)));
  for (int64_t j0 = 0; j0 < index.ntotal; j0 += block) {
    const int64_t j1 = std::min(index.ntotal, j0 + block);
    for (int64_t q = 0; q < n; ++q) {
      const float* query = x + q * d;
      float* heap_scores = distances + q * k;
      int64_t* heap_labels = labels + q * k;
      for (int64_t j = j0; j < j1; ++j) {
        if (selector != nullptr && !selector->is_member(j)) continue;
        const float score = InnerProduct(query, base + j * d, d);
        if (Heap::cmp(heap_scores[0], score)) {
          faiss::heap_replace_top<Heap>(k, heap_scores, heap_labels, score, j);
        }
      }
    }
  }
  for (int64_t q = 0; q < n; ++q) {
    faiss::heap_reorder<Heap>(k, distances + q * k, labels + q * k);
  }
}

}  // namespace xmodal::index::internal
