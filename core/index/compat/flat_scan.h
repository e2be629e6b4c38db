// Exact inner-product search of a few queries over an IndexFlatIP with our SIMD dot products
// (simd_dot.h). Internal; a workaround for Debian's FAISS build (compat/README.md).
//
// What FAISS lacks: Debian 12's libfaiss 1.7.3 is built for baseline x86-64 only (no AVX2
// variant of the library is shipped), so IndexFlat's search of fewer than 20 queries (below
// distance_compute_blas_threshold; a single query always) runs fvec_inner_product as a scalar
// loop. "auto" collections below 100k vectors are Flat, so that loop was most of a text query's
// server CPU. Batches of 20 or more queries stay with FAISS, which hands them to BLAS. The same
// scan assigns few queries to IVF lists (the coarse quantizer is an IndexFlat: faiss_search.cc).
//
// What it does: scans the stored vectors in cache-sized blocks for all queries at once, with an
// AVX2 + FMA (or SSE2) dot product, keeping FAISS's heap; the results are FAISS's up to float
// rounding (the sums are added in another order): the k best scores, best first, and labels -1
// with the lowest float where fewer than k vectors are eligible.
//
// Removable: not by an AVX2 build of FAISS 1.7.3 (FAISS_OPT_LEVEL=avx2, as the conda/pip
// faiss-cpu packages load libfaiss_avx2): measured (compat/README.md), it ties with this scan for
// one query but is 2.4-3.5x slower per query for batches of 16, as it reads the vectors once per
// query. A FAISS whose IndexFlat scans a small batch in one pass would make it removable; no
// version is known to (not verified past 1.7.3). On removal, int8_flat_copy.cc's
// re-score should call faiss::fvec_inner_product so its scores stay identical to the scan's.
//
// Reads the index only: concurrent searches are safe.
#ifndef XMODAL_CORE_INDEX_COMPAT_FLAT_SCAN_H_
#define XMODAL_CORE_INDEX_COMPAT_FLAT_SCAN_H_

#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>

#include <cstdint>

namespace xmodal::index::internal {

// The index to scan when `queries` rows are searched on `index`: an IndexFlat with the inner
// product metric, searched with fewer than 20 queries; else null (let FAISS search).
const faiss::IndexFlat* FlatIndexToScan(const faiss::Index& index, int64_t queries);

// Searches `n` queries (`x`, n x index.d) for the `k` best inner products each among the
// vectors `selector` admits (all when null). `distances` and `labels` hold n * k values.
// The queries share one pass over the stored vectors (blocks that stay in cache), so a batch
// reads them from memory once.
void FlatScanSearch(const faiss::IndexFlat& index, int64_t n, const float* x, int64_t k,
                    const faiss::IDSelector* selector, float* distances, int64_t* labels);

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_COMPAT_FLAT_SCAN_H_
