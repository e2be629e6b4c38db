#include "core/index/int8_flat_copy.h"

#include <faiss/utils/Heap.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "core/index/simd_dot.h"

namespace xmodal::index::internal {
namespace {

using Heap = faiss::CMin<float, int64_t>;  // the k largest values, smallest on top

// Stored codes scanned per block: every query of a batch reads a block while it is in cache.
constexpr int64_t kScanBlockBytes = 64 * 1024;

// Unit roundoff of float.
constexpr double kRoundoff = 1.0 / (1 << 24);

// A vector still in the running after the int8 pass, with its upper bound.
struct Candidate {
  int64_t label;
  float upper;
};

// What quantising a vector x gives besides its codes c: the scale s (x ~ s*c) and the norms the
// bounds need, in double precision.
struct Quantized {
  float scale = 0.0f;
  double error = 0.0;      // ||x - s*c||
  double code_norm = 0.0;  // ||c||
  double norm = 0.0;       // ||x||
};

// Codes round(x[i] / s) in [-limit, limit], with s = max |x[i]| / limit.
template <typename Code>
Quantized Quantize(const float* x, int64_t d, double limit, Code* codes) {
  float max_abs = 0.0f;
  for (int64_t i = 0; i < d; ++i) max_abs = std::max(max_abs, std::abs(x[i]));
  Quantized out;
  out.scale = static_cast<float>(max_abs / limit);
  double error_sq = 0.0, code_sq = 0.0, norm_sq = 0.0;
  for (int64_t i = 0; i < d; ++i) {
    const double code = out.scale > 0.0f
                            ? std::clamp<double>(std::nearbyint(x[i] / out.scale), -limit, limit)
                            : 0.0;
    codes[i] = static_cast<Code>(code);
    const double error = static_cast<double>(x[i]) - static_cast<double>(out.scale) * code;
    error_sq += error * error;
    code_sq += code * code;
    norm_sq += static_cast<double>(x[i]) * x[i];
  }
  out.error = std::sqrt(error_sq);
  out.code_norm = std::sqrt(code_sq);
  out.norm = std::sqrt(norm_sq);
  return out;
}

// A query as codes p in [-kQueryOffset, kQueryOffset] and scale t, stored as p + kQueryOffset
// (DotsInt8's unsigned query codes) and padded with kQueryOffset (p = 0) to the copy's row width.
struct QueryCodes {
  std::vector<uint8_t> codes;
  float scale = 0.0f;
  // Multipliers of a stored vector's residual and code norm that give its error bound: ||q||,
  // and ||q - t*p|| plus the rounding of the approximate score, both rounded up.
  float residual_weight = 0.0f;
  float code_norm_weight = 0.0f;
};

constexpr int kQueryOffset = kInt8QueryCodeMax / 2;

QueryCodes QuantizeQuery(const float* x, int64_t d, int64_t row_width) {
  std::vector<int8_t> signed_codes(static_cast<size_t>(d));
  const Quantized q = Quantize(x, d, kQueryOffset, signed_codes.data());
  QueryCodes out;
  out.codes.assign(static_cast<size_t>(row_width), kQueryOffset);
  for (int64_t i = 0; i < d; ++i)
    out.codes[i] = static_cast<uint8_t>(signed_codes[i] + kQueryOffset);
  out.scale = q.scale;
  // s*t*float(p.c) rounds three times; the upper and lower bounds once more each.
  constexpr double kMargin = 1.0 + 1e-3;
  out.residual_weight = static_cast<float>(q.norm * kMargin);
  out.code_norm_weight =
      static_cast<float>((q.error + 8.0 * kRoundoff * (q.norm + q.error)) * kMargin);
  return out;
}

// Scores stored vectors from j0 on against one query: the approximate score of row r (vector
// j0 + r) and the margin that bounds its error.
struct BlockScorer {
  BlockScorer(const QueryCodes& query, const Int8VectorTerms& terms, int64_t j0,
              const int32_t* dots)
      : dots(dots),
        code_sums(terms.code_sums.data() + j0),
        scales(terms.scales.data() + j0),
        residuals(terms.residuals.data() + j0),
        code_norms(terms.code_norms.data() + j0),
        query_scale(query.scale),
        residual_weight(query.residual_weight),
        code_norm_weight(query.code_norm_weight) {}

  float Score(int64_t r) const {
    return scales[r] * query_scale * static_cast<float>(dots[r] - code_sums[r]);
  }
  float Margin(int64_t r) const {
    return residual_weight * residuals[r] + code_norm_weight * code_norms[r];
  }

  const int32_t* dots;
  const int32_t* code_sums;
  const float* scales;
  const float* residuals;
  const float* code_norms;
  float query_scale;
  float residual_weight;
  float code_norm_weight;
};

// Writes to `out` the rows r < rows whose upper bound, Score(r) + Margin(r), reaches `floor`, in
// order, and returns how many. The AVX2 version computes the same floats: it is compiled without
// FMA, so no multiply and add are fused into one rounding.
int64_t RowsReachingPortable(const BlockScorer& s, int64_t rows, float floor, int32_t* out) {
  int64_t n = 0;
  for (int64_t r = 0; r < rows; ++r) {
    if (s.Score(r) + s.Margin(r) >= floor) out[n++] = static_cast<int32_t>(r);
  }
  return n;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) int64_t RowsReachingAvx2(const BlockScorer& s, int64_t rows,
                                                         float floor, int32_t* out) {
  const __m256 query_scale = _mm256_set1_ps(s.query_scale);
  const __m256 residual_weight = _mm256_set1_ps(s.residual_weight);
  const __m256 code_norm_weight = _mm256_set1_ps(s.code_norm_weight);
  const __m256 floors = _mm256_set1_ps(floor);
  int64_t n = 0;
  int64_t r = 0;
  for (; r + 8 <= rows; r += 8) {
    const __m256i dots =
        _mm256_sub_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.dots + r)),
                         _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.code_sums + r)));
    const __m256 scores = _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(s.scales + r), query_scale),
                                        _mm256_cvtepi32_ps(dots));
    const __m256 margins =
        _mm256_add_ps(_mm256_mul_ps(residual_weight, _mm256_loadu_ps(s.residuals + r)),
                      _mm256_mul_ps(code_norm_weight, _mm256_loadu_ps(s.code_norms + r)));
    unsigned mask = static_cast<unsigned>(
        _mm256_movemask_ps(_mm256_cmp_ps(_mm256_add_ps(scores, margins), floors, _CMP_GE_OQ)));
    for (; mask != 0; mask &= mask - 1) {
      out[n++] = static_cast<int32_t>(r + __builtin_ctz(mask));
    }
  }
  for (; r < rows; ++r) {
    if (s.Score(r) + s.Margin(r) >= floor) out[n++] = static_cast<int32_t>(r);
  }
  return n;
}
#else
int64_t RowsReachingAvx2(const BlockScorer& s, int64_t rows, float floor, int32_t* out) {
  return RowsReachingPortable(s, rows, floor, out);
}
#endif

int64_t RowsReaching(const BlockScorer& s, int64_t rows, float floor, int32_t* out) {
  using Fn = int64_t (*)(const BlockScorer&, int64_t, float, int32_t*);
  static const Fn fn = CpuHasAvx2Fma() ? RowsReachingAvx2 : RowsReachingPortable;
  return fn(s, rows, floor, out);
}

}  // namespace

Int8FlatCopy::Int8FlatCopy(const faiss::IndexFlat& flat)
    : flat_(flat),
      d_(flat.d),
      row_width_((flat.d + kInt8DotsWidth - 1) / kInt8DotsWidth * kInt8DotsWidth),
      codes_(static_cast<size_t>(flat.ntotal * row_width_)),
      terms_{.code_sums = std::vector<int32_t>(static_cast<size_t>(flat.ntotal)),
             .scales = std::vector<float>(static_cast<size_t>(flat.ntotal)),
             .residuals = std::vector<float>(static_cast<size_t>(flat.ntotal)),
             .code_norms = std::vector<float>(static_cast<size_t>(flat.ntotal))} {
  for (int64_t j = 0; j < flat.ntotal; ++j) {
    int8_t* codes = codes_.data() + j * row_width_;
    const Quantized v = Quantize(flat.get_xb() + j * d_, d_, 127.0, codes);
    // The float scan's sum of d products errs by at most (d + 8) roundoffs of ||q|| * ||x||.
    const double rounding = static_cast<double>(d_ + 8) * kRoundoff * v.norm;
    const size_t at = static_cast<size_t>(j);
    terms_.code_sums[at] = kQueryOffset * std::accumulate(codes, codes + d_, 0);
    terms_.scales[at] = v.scale;
    terms_.residuals[at] = static_cast<float>((v.error + rounding) * (1.0 + 1e-6));
    terms_.code_norms[at] = static_cast<float>(v.scale * v.code_norm * (1.0 + 1e-6));
  }
}

std::unique_ptr<const Int8FlatCopy> Int8FlatCopy::BuildFor(const faiss::Index& index,
                                                           int64_t min_bytes) {
  const auto* flat = dynamic_cast<const faiss::IndexFlat*>(&index);
  if (flat == nullptr || flat->metric_type != faiss::METRIC_INNER_PRODUCT || flat->d > kMaxDim) {
    return nullptr;
  }
  if (flat->ntotal * flat->d * static_cast<int64_t>(sizeof(float)) < min_bytes) return nullptr;
  return std::unique_ptr<const Int8FlatCopy>(new Int8FlatCopy(*flat));
}

void Int8FlatCopy::ApproximateScores(const float* x, int64_t j0, int64_t j1,
                                     std::vector<float>& scores, std::vector<float>& bounds) const {
  const QueryCodes query = QuantizeQuery(x, d_, row_width_);
  std::vector<int32_t> dots(static_cast<size_t>(j1 - j0));
  DotsInt8(query.codes.data(), codes_.data() + j0 * row_width_, j1 - j0, row_width_, dots.data());
  const BlockScorer scorer(query, terms_, j0, dots.data());
  scores.clear();
  bounds.clear();
  for (int64_t r = 0; r < j1 - j0; ++r) {
    scores.push_back(scorer.Score(r));
    bounds.push_back(scorer.Margin(r));
  }
}

void Int8FlatCopy::Search(int64_t n, const float* x, int64_t k, const faiss::IDSelector* selector,
                          float* distances, int64_t* labels) const {
  // Per query: a heap of the k best lower bounds (its top is the k-th best), and the vectors
  // whose upper bound reached it when they were seen. The top only rises, so every vector whose
  // upper bound reaches its final value is among the candidates.
  std::vector<QueryCodes> queries;
  queries.reserve(static_cast<size_t>(n));
  for (int64_t q = 0; q < n; ++q) queries.push_back(QuantizeQuery(x + q * d_, d_, row_width_));
  std::vector<float> lower(static_cast<size_t>(n * k));
  std::vector<int64_t> lower_labels(static_cast<size_t>(n * k));
  for (int64_t q = 0; q < n; ++q) {
    faiss::heap_heapify<Heap>(k, lower.data() + q * k, lower_labels.data() + q * k);
  }
  std::vector<std::vector<Candidate>> candidates(static_cast<size_t>(n));
  const int64_t block = std::max<int64_t>(1, kScanBlockBytes / row_width_);
  std::vector<int32_t> dots(static_cast<size_t>(block));
  std::vector<int32_t> passing(static_cast<size_t>(block));
  for (int64_t j0 = 0; j0 < size(); j0 += block) {
    const int64_t rows = std::min(size(), j0 + block) - j0;
    for (int64_t q = 0; q < n; ++q) {
      const QueryCodes& query = queries[static_cast<size_t>(q)];
      DotsInt8(query.codes.data(), codes_.data() + j0 * row_width_, rows, row_width_, dots.data());
      const BlockScorer scorer(query, terms_, j0, dots.data());
      float* heap_values = lower.data() + q * k;
      int64_t* heap_labels = lower_labels.data() + q * k;
      std::vector<Candidate>& kept = candidates[static_cast<size_t>(q)];
      // The rows that reach the k-th best lower bound as the block starts; the bound rises as
      // they are taken in, so each is checked again.
      const int64_t count = RowsReaching(scorer, rows, heap_values[0], passing.data());
      for (int64_t i = 0; i < count; ++i) {
        const int64_t r = passing[static_cast<size_t>(i)];
        const float score = scorer.Score(r);
        const float margin = scorer.Margin(r);
        const float upper = score + margin;
        if (upper < heap_values[0]) continue;
        const int64_t j = j0 + r;
        if (selector != nullptr && !selector->is_member(j)) continue;
        kept.push_back({j, upper});
        const float low = score - margin;
        if (Heap::cmp(heap_values[0], low)) {
          faiss::heap_replace_top<Heap>(k, heap_values, heap_labels, low, j);
        }
      }
    }
  }
  // The candidates, scored on the float vectors exactly as the float scan scores them.
  const float* base = flat_.get_xb();
  for (int64_t q = 0; q < n; ++q) {
    const float* query = x + q * d_;
    const float threshold = lower[static_cast<size_t>(q * k)];
    float* heap_values = distances + q * k;
    int64_t* heap_labels = labels + q * k;
    faiss::heap_heapify<Heap>(k, heap_values, heap_labels);
    for (const Candidate& c : candidates[static_cast<size_t>(q)]) {
      if (c.upper < threshold) continue;
      const float score = InnerProduct(query, base + c.label * d_, d_);
      if (Heap::cmp(heap_values[0], score)) {
        faiss::heap_replace_top<Heap>(k, heap_values, heap_labels, score, c.label);
      }
    }
    faiss::heap_reorder<Heap>(k, heap_values, heap_labels);
  }
}

}  // namespace xmodal::index::internal
