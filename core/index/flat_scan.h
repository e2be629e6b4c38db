// Exact inner-product search of a few queries over an IndexFlatIP, with SIMD dot products
// chosen at run time (AVX2 + FMA when the CPU has them, else SSE2). Internal.
//
// Debian's FAISS 1.7.3 is built for baseline x86-64, so IndexFlat's search of fewer than 20
// queries (below its BLAS threshold: a single query always) runs a scalar dot-product loop;
// "auto" collections below 100k vectors are Flat, so that loop was most of a text query's
// server CPU. Batches of 20 or more queries stay with FAISS, which hands them to BLAS.
//
// The results are FAISS's up to float rounding (the sums are added in another order): the k
// best scores, best first, and labels -1 with the lowest float where fewer than k vectors are
// eligible. Reads the index only: concurrent searches are safe.
#ifndef XMODAL_CORE_INDEX_FLAT_SCAN_H_
#define XMODAL_CORE_INDEX_FLAT_SCAN_H_

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

// Sum of a[i] * b[i] over `d` floats, with the kernel FlatScanSearch uses on this CPU: scores
// computed with it are bit-identical to the scan's.
float InnerProduct(const float* a, const float* b, int64_t d);
// For int8 codes (int8_flat_copy.h): dots[r] = sum over i < d of u[i] * codes[r * d + i] for
// `rows` rows of `d` codes in [-127, 127], with query codes u[i] in [0, kInt8QueryCodeMax] and
// d a multiple of kInt8DotsWidth (pad both with zero codes). Exact: AVX2's maddubs adds two
// products in an int16 lane and the kernel adds two of those, 4 * 64 * 127 < 2^15, so no lane
// saturates; the int32 sums stay below 2^31 for every d up to 2^16.
inline constexpr int kInt8QueryCodeMax = 64;
inline constexpr int64_t kInt8DotsWidth = 64;
void DotsInt8(const uint8_t* u, const int8_t* codes, int64_t rows, int64_t d, int32_t* dots);

// The kernels, for tests.
float DotPortable(const float* a, const float* b, int64_t d);
float DotAvx2(const float* a, const float* b, int64_t d);  // only where CpuHasAvx2Fma()
void DotsInt8Portable(const uint8_t* u, const int8_t* codes, int64_t rows, int64_t d,
                      int32_t* dots);
// Only where CpuHasAvx2Fma().
void DotsInt8Avx2(const uint8_t* u, const int8_t* codes, int64_t rows, int64_t d, int32_t* dots);
bool CpuHasAvx2Fma();

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_FLAT_SCAN_H_
