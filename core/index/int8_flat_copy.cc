#include "core/index/int8_flat_copy.h"

#include <faiss/utils/Heap.h>

#include <algorithm>
#include <cmath>

#include "core/index/flat_scan.h"

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

// A query as int16 codes p and scale t, with what its bounds need.
struct QueryCodes {
  std::vector<int16_t> codes;
  float scale = 0.0f;
  // Multipliers of a stored vector's residual and code norm that give its error bound: ||q||,
  // and ||q - t*p|| plus the rounding of the approximate score, both rounded up.
  float residual_weight = 0.0f;
  float code_norm_weight = 0.0f;
};

QueryCodes QuantizeQuery(const float* x, int64_t d) {
  QueryCodes out;
  out.codes.resize(static_cast<size_t>(d));
  // The largest code keeps 127 * sum |p| below 2^31, as DotsInt8 needs.
  const double limit =
      std::min(32767.0, std::floor(2147483647.0 / (127.0 * static_cast<double>(d))));
  const Quantized q = Quantize(x, d, limit, out.codes.data());
  out.scale = q.scale;
  // s*t*float(p.c) rounds three times; the upper and lower bounds once more each.
  constexpr double kMargin = 1.0 + 1e-3;
  out.residual_weight = static_cast<float>(q.norm * kMargin);
  out.code_norm_weight =
      static_cast<float>((q.error + 8.0 * kRoundoff * (q.norm + q.error)) * kMargin);
  return out;
}

}  // namespace

Int8FlatCopy::Int8FlatCopy(const faiss::IndexFlat& flat)
    : flat_(flat),
      d_(flat.d),
      codes_(static_cast<size_t>(flat.ntotal * flat.d)),
      scales_(static_cast<size_t>(flat.ntotal)),
      residuals_(static_cast<size_t>(flat.ntotal)),
      code_norms_(static_cast<size_t>(flat.ntotal)) {
  for (int64_t j = 0; j < flat.ntotal; ++j) {
    const Quantized v = Quantize(flat.get_xb() + j * d_, d_, 127.0, codes_.data() + j * d_);
    // The float scan's sum of d products errs by at most (d + 8) roundoffs of ||q|| * ||x||.
    const double rounding = static_cast<double>(d_ + 8) * kRoundoff * v.norm;
    const size_t at = static_cast<size_t>(j);
    scales_[at] = v.scale;
    residuals_[at] = static_cast<float>((v.error + rounding) * (1.0 + 1e-6));
    code_norms_[at] = static_cast<float>(v.scale * v.code_norm * (1.0 + 1e-6));
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
  const QueryCodes query = QuantizeQuery(x, d_);
  std::vector<int32_t> dots(static_cast<size_t>(j1 - j0));
  DotsInt8(query.codes.data(), codes_.data() + j0 * d_, j1 - j0, d_, dots.data());
  scores.clear();
  bounds.clear();
  for (int64_t j = j0; j < j1; ++j) {
    const size_t at = static_cast<size_t>(j);
    scores.push_back(scales_[at] * query.scale *
                     static_cast<float>(dots[static_cast<size_t>(j - j0)]));
    bounds.push_back(query.residual_weight * residuals_[at] +
                     query.code_norm_weight * code_norms_[at]);
  }
}

void Int8FlatCopy::Search(int64_t n, const float* x, int64_t k, const faiss::IDSelector* selector,
                          float* distances, int64_t* labels) const {
  // Per query: a heap of the k best lower bounds (its top is the k-th best), and the vectors
  // whose upper bound reached it when they were seen. The top only rises, so every vector whose
  // upper bound reaches its final value is among the candidates.
  std::vector<QueryCodes> queries;
  queries.reserve(static_cast<size_t>(n));
  for (int64_t q = 0; q < n; ++q) queries.push_back(QuantizeQuery(x + q * d_, d_));
  std::vector<float> lower(static_cast<size_t>(n * k));
  std::vector<int64_t> lower_labels(static_cast<size_t>(n * k));
  for (int64_t q = 0; q < n; ++q) {
    faiss::heap_heapify<Heap>(k, lower.data() + q * k, lower_labels.data() + q * k);
  }
  std::vector<std::vector<Candidate>> candidates(static_cast<size_t>(n));
  const int64_t block = std::max<int64_t>(1, kScanBlockBytes / d_);
  std::vector<int32_t> dots(static_cast<size_t>(block));
  std::vector<float> scores(static_cast<size_t>(block));
  std::vector<float> margins(static_cast<size_t>(block));
  for (int64_t j0 = 0; j0 < size(); j0 += block) {
    const int64_t rows = std::min(size(), j0 + block) - j0;
    const float* scales = scales_.data() + j0;
    const float* residuals = residuals_.data() + j0;
    const float* code_norms = code_norms_.data() + j0;
    for (int64_t q = 0; q < n; ++q) {
      const QueryCodes& query = queries[static_cast<size_t>(q)];
      DotsInt8(query.codes.data(), codes_.data() + j0 * d_, rows, d_, dots.data());
      // Every row's score and margin first: a branch-free loop the compiler vectorises.
      for (int64_t r = 0; r < rows; ++r) {
        scores[r] = scales[r] * query.scale * static_cast<float>(dots[r]);
        margins[r] = query.residual_weight * residuals[r] + query.code_norm_weight * code_norms[r];
      }
      float* heap_values = lower.data() + q * k;
      int64_t* heap_labels = lower_labels.data() + q * k;
      std::vector<Candidate>& kept = candidates[static_cast<size_t>(q)];
      for (int64_t r = 0; r < rows; ++r) {
        const float upper = scores[r] + margins[r];
        if (upper < heap_values[0]) continue;
        const int64_t j = j0 + r;
        if (selector != nullptr && !selector->is_member(j)) continue;
        kept.push_back({j, upper});
        const float low = scores[r] - margins[r];
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
