// Building one index configuration and measuring one search setting of it. Internal to
// ann_bench.cc; exposed for tests.
#ifndef XMODAL_BENCHMARKS_LIB_ANN_MEASURE_H_
#define XMODAL_BENCHMARKS_LIB_ANN_MEASURE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmarks/lib/ann_configs.h"
#include "benchmarks/lib/ann_data.h"
#include "core/index/vector_index.h"

namespace xmodal::bench {

struct BuiltIndex {
  std::unique_ptr<index::VectorIndex> index;
  double build_seconds = 0.0;            // Create + Train + Add
  double file_bytes_per_vector = 0.0;    // the saved index file / vectors
  double memory_bytes_per_vector = 0.0;  // heap growth while building / vectors (0: unknown)
};

// Builds `factory` over `base` (ids = row numbers), training on an evenly strided sample of at
// most max(40 * lists, 10000) rows. Errors of VectorIndex (INVALID_ARGUMENT for a factory FAISS
// rejects or too few training vectors).
absl::StatusOr<BuiltIndex> BuildIndex(const std::string& factory, const FloatMatrix& base,
                                      int build_threads, const std::string& work_dir);

struct PointMeasurement {
  double recall_at_1 = 0.0;
  double recall_at_10 = 0.0;
  double recall_at_100 = 0.0;
  std::vector<double> qps;      // one per timed pass: queries / wall seconds
  std::vector<double> cpu_qps;  // queries / CPU seconds of the calling thread (a busy machine
                                // slows wall time, not this; exact only with 1 search thread)
};

struct PointPlan {
  AnnKnob knob = AnnKnob::kNone;
  int value = 0;
  int refine = 0;
  int build_threads = 1;   // for the batched recall searches
  int search_threads = 1;  // for the timed single-query passes
  int repetitions = 3;
  double seconds_per_pass = 1.0;
};

// Recall of the setting against `truth` (exact top-100 or fewer per query), then the timed
// single-query passes at k = 10. Errors of VectorIndex::Search.
absl::StatusOr<PointMeasurement> MeasurePoint(const index::VectorIndex& index, const AnnData& data,
                                              const std::vector<std::vector<int64_t>>& truth,
                                              const PointPlan& plan);

// Heap bytes in use (glibc mallinfo2: main arena plus mmapped blocks).
int64_t HeapBytesInUse();

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_ANN_MEASURE_H_
