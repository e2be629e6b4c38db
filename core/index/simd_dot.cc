#include "core/index/simd_dot.h"

#include <algorithm>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace xmodal::index::internal {
namespace {

using Dot = float (*)(const float*, const float*, int64_t);
using DotsInt8Fn = void (*)(const uint8_t*, const int8_t*, int64_t, int64_t, int32_t*);

}  // namespace

bool CpuHasAvx2Fma() {
#if defined(__x86_64__)
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
#else
  return false;
#endif
}

float DotPortable(const float* a, const float* b, int64_t d) {
  int64_t i = 0;
  float sum = 0.0f;
#if defined(__x86_64__)  // SSE2 is part of x86-64
  __m128 s0 = _mm_setzero_ps();
  __m128 s1 = _mm_setzero_ps();
  for (; i + 8 <= d; i += 8) {
    s0 = _mm_add_ps(s0, _mm_mul_ps(_mm_loadu_ps(a + i), _mm_loadu_ps(b + i)));
    s1 = _mm_add_ps(s1, _mm_mul_ps(_mm_loadu_ps(a + i + 4), _mm_loadu_ps(b + i + 4)));
  }
  float lanes[4];
  _mm_storeu_ps(lanes, _mm_add_ps(s0, s1));
  sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
#endif
  for (; i < d; ++i) sum += a[i] * b[i];
  return sum;
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) float DotAvx2(const float* a, const float* b, int64_t d) {
  __m256 s0 = _mm256_setzero_ps();
  __m256 s1 = _mm256_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= d; i += 16) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
  }
  for (; i + 8 <= d; i += 8) {
    s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
  }
  const __m256 s = _mm256_add_ps(s0, s1);
  __m128 q = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  q = _mm_add_ps(q, _mm_movehl_ps(q, q));
  q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
  float sum = _mm_cvtss_f32(q);
  for (; i < d; ++i) sum += a[i] * b[i];
  return sum;
}

// Where a kernel reads a query's 32-byte chunks of codes from: memory (any d), or registers
// loaded once per call (d = 32 * N), which leaves the loads to the stored codes.
struct QueryInMemory {
  static constexpr int64_t kChunks = 0;  // any
  __attribute__((target("avx2,fma"))) __m256i chunk(int64_t i) const {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + 32 * i));
  }
  const uint8_t* u;
};

template <int N>
struct QueryInRegisters {
  static constexpr int64_t kChunks = N;
  __attribute__((target("avx2,fma"))) explicit QueryInRegisters(const uint8_t* u) {
    for (int i = 0; i < N; ++i)
      v[i] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u + 32 * i));
  }
  __attribute__((target("avx2,fma"))) __m256i chunk(int64_t i) const { return v[i]; }
  __m256i v[N];
};

// Sum of u[i] * c[i] over one row of `chunks` 32-byte chunks (an even number; Query::kChunks
// when it fixes them), as 8 int32 lanes.
template <typename Query>
__attribute__((target("avx2,fma"))) inline __m256i RowLanes(const Query& query, const int8_t* c,
                                                            int64_t chunks) {
  const int64_t n = Query::kChunks > 0 ? Query::kChunks : chunks;
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i sum = _mm256_setzero_si256();
  for (int64_t i = 0; i < n; i += 2) {
    const __m256i low = _mm256_maddubs_epi16(
        query.chunk(i), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c + 32 * i)));
    const __m256i high = _mm256_maddubs_epi16(
        query.chunk(i + 1), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c + 32 * (i + 1))));
    // Four products per int16 lane, each within 64 * 127: no saturation (simd_dot.h).
    sum = _mm256_add_epi32(sum, _mm256_madd_epi16(_mm256_add_epi16(low, high), ones));
  }
  return sum;
}

// The sums of eight rows' lanes, in row order: one tree of horizontal adds.
__attribute__((target("avx2,fma"))) inline __m256i AddAcross8(const __m256i (&lanes)[8]) {
  const __m256i s01 = _mm256_hadd_epi32(lanes[0], lanes[1]);
  const __m256i s23 = _mm256_hadd_epi32(lanes[2], lanes[3]);
  const __m256i s45 = _mm256_hadd_epi32(lanes[4], lanes[5]);
  const __m256i s67 = _mm256_hadd_epi32(lanes[6], lanes[7]);
  // Per 128-bit half: rows 0-3 (4-7) partial sums, added across the halves below.
  const __m256i s0123 = _mm256_hadd_epi32(s01, s23);
  const __m256i s4567 = _mm256_hadd_epi32(s45, s67);
  return _mm256_add_epi32(_mm256_permute2x128_si256(s0123, s4567, 0x20),
                          _mm256_permute2x128_si256(s0123, s4567, 0x31));
}

__attribute__((target("avx2,fma"))) inline int32_t AddAcross(__m256i lanes) {
  __m128i h = _mm_add_epi32(_mm256_castsi256_si128(lanes), _mm256_extracti128_si256(lanes, 1));
  h = _mm_add_epi32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(1, 0, 3, 2)));
  h = _mm_add_epi32(h, _mm_shuffle_epi32(h, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(h);
}

// DotsInt8 with the query's codes read through `query`: eight rows at a time.
template <typename Query>
__attribute__((target("avx2,fma"))) void DotsInt8Rows(const Query& query, const int8_t* codes,
                                                      int64_t rows, int64_t d, int32_t* dots) {
  const int64_t chunks = d / 32;
  int64_t r = 0;
  for (; r + 8 <= rows; r += 8) {
    const __m256i lanes[8] = {
        RowLanes(query, codes + r * d, chunks),       RowLanes(query, codes + (r + 1) * d, chunks),
        RowLanes(query, codes + (r + 2) * d, chunks), RowLanes(query, codes + (r + 3) * d, chunks),
        RowLanes(query, codes + (r + 4) * d, chunks), RowLanes(query, codes + (r + 5) * d, chunks),
        RowLanes(query, codes + (r + 6) * d, chunks), RowLanes(query, codes + (r + 7) * d, chunks)};
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dots + r), AddAcross8(lanes));
  }
  for (; r < rows; ++r) dots[r] = AddAcross(RowLanes(query, codes + r * d, chunks));
}

// The stamp model's width: a query of it is held in registers, so the scan loads only the
// stored codes (about 20% faster than reading both, best of 20 runs over its text vectors).
constexpr int64_t kRegisterQueryDim = 128;

__attribute__((target("avx2,fma"))) void DotsInt8Avx2(const uint8_t* u, const int8_t* codes,
                                                      int64_t rows, int64_t d, int32_t* dots) {
  if (d == kRegisterQueryDim) {
    DotsInt8Rows(QueryInRegisters<kRegisterQueryDim / 32>(u), codes, rows, d, dots);
  } else {
    DotsInt8Rows(QueryInMemory{u}, codes, rows, d, dots);
  }
}
#else
float DotAvx2(const float* a, const float* b, int64_t d) { return DotPortable(a, b, d); }
void DotsInt8Avx2(const uint8_t* u, const int8_t* codes, int64_t rows, int64_t d, int32_t* dots) {
  DotsInt8Portable(u, codes, rows, d, dots);
}
#endif

void DotsInt8Portable(const uint8_t* u, const int8_t* codes, int64_t rows, int64_t d,
                      int32_t* dots) {
  for (int64_t r = 0; r < rows; ++r) {
    const int8_t* c = codes + r * d;
    int32_t sum = 0;
    for (int64_t i = 0; i < d; ++i) sum += static_cast<int32_t>(u[i]) * c[i];
    dots[r] = sum;
  }
}

float InnerProduct(const float* a, const float* b, int64_t d) {
  static const Dot dot = CpuHasAvx2Fma() ? DotAvx2 : DotPortable;
  return dot(a, b, d);
}

void DotsInt8(const uint8_t* u, const int8_t* codes, int64_t rows, int64_t d, int32_t* dots) {
  static const DotsInt8Fn dots_fn = CpuHasAvx2Fma() ? DotsInt8Avx2 : DotsInt8Portable;
  dots_fn(u, codes, rows, d, dots);
}

}  // namespace xmodal::index::internal
