// `xmodal-bench ann`: builds each FAISS configuration (through core/index VectorIndex) over the
// same vectors, sweeps its search knob, and compares it with exact search: recall@1/10/100,
// single-query queries/s, bytes per vector and build time. Then picks the fastest
// configuration that meets a recall@10 target within a memory budget, and says why.
#ifndef XMODAL_BENCHMARKS_LIB_ANN_BENCH_H_
#define XMODAL_BENCHMARKS_LIB_ANN_BENCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmarks/lib/ann_configs.h"
#include "benchmarks/lib/ann_data.h"
#include "core/base/json.h"

namespace xmodal::bench {

struct AnnOptions {
  double recall_target = 0.95;                     // recall@10, in (0, 1]
  int64_t memory_budget_bytes = int64_t{8} << 30;  // for the whole index
  std::vector<AnnConfig> configs;                  // empty: DefaultAnnConfigs
  int build_threads = 0;                           // FAISS threads for builds; 0: all cores
  int search_threads = 1;                          // for the timed single-query searches
  int repetitions = 3;                             // timed passes per point (1..100)
  double seconds_per_point = 1.0;                  // time budget of one timed pass
  std::string work_dir;                            // temp files (index sizes); empty: a temp dir
};

// INVALID_ARGUMENT naming the first bad option.
absl::Status ValidateAnnOptions(const AnnOptions& options);

// Runs the comparison and returns the "ann" section of the results schema (README.md):
// every point (configuration x knob value x refine) with recall@1/10/100 against exact search,
// single-query QPS (median, min, max over the repetitions; each pass times queries one at a
// time with `search_threads`, after a short warm-up, until all are done or the time budget is
// spent), speed-up over exact search, file and heap bytes per vector, build seconds; then the
// choice and a one-sentence verdict. A configuration FAISS rejects or cannot train (too few
// vectors) is reported under "skipped" with the reason instead of failing the run.
// Errors: ValidateAnnOptions's, INVALID_ARGUMENT for empty data, and errors of exact search.
// Sets the process-wide FAISS thread count. Logs its progress (glog INFO), one line per build
// and per point, since a run over millions of vectors takes many minutes.
absl::StatusOr<Json> RunAnnBench(const AnnData& data, const AnnOptions& options);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_ANN_BENCH_H_
