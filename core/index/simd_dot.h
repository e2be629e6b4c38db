// Dot-product kernels chosen at run time (AVX2 + FMA when the CPU has them, else SSE2), for the
// flat scan (compat/flat_scan.h) and the int8 copy (int8_flat_copy.h). Internal.
//
// Not a FAISS workaround in itself: the int8 copy needs DotsInt8 whatever FAISS is linked, and
// its exact re-score uses InnerProduct so that its scores are bit-identical to the flat scan's.
// Pure functions of their arguments: thread-safe.
#ifndef XMODAL_CORE_INDEX_SIMD_DOT_H_
#define XMODAL_CORE_INDEX_SIMD_DOT_H_

#include <cstdint>

namespace xmodal::index::internal {

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

#endif  // XMODAL_CORE_INDEX_SIMD_DOT_H_
