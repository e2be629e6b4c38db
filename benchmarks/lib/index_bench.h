// `xmodal-bench index`: indexes a corpus with indexer::RunIndexer into fresh temporary
// collections, one modality at a time (so each modality's throughput is its own), several
// times after a warm-up, and reports items/s per modality, the time per stage and peak RSS.
// Optionally indexes the whole corpus once more into a kept collection (for `load`).
#ifndef XMODAL_BENCHMARKS_LIB_INDEX_BENCH_H_
#define XMODAL_BENCHMARKS_LIB_INDEX_BENCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/json.h"

namespace xmodal::bench {

struct IndexBenchOptions {
  std::vector<std::string> corpus;     // directories (walked as the indexer walks them) or files
  std::vector<std::string> manifests;  // JSONL manifests (docs/indexer.md)
  std::string model_dir;               // model package
  int repetitions = 3;                 // measured runs per modality, 1..100
  int warmup_runs = 1;                 // unmeasured runs per modality on at most 16 items
  int64_t max_per_modality = 0;        // the first N items of each modality; 0: all of them
  int batch_size = 32;
  int threads = 0;  // the indexer's thread budget; 0: all cores
  // When set: after the measured runs, index the whole corpus (every modality together, no
  // limit) into this directory, once, and report it as "full_run".
  std::string keep_collection;
  std::string work_dir;  // where the temporary collections go; empty: a temp dir
};

// INVALID_ARGUMENT naming the first bad option (no corpus, no model, counts out of range).
absl::Status ValidateIndexBenchOptions(const IndexBenchOptions& options);

// Runs the benchmark and returns the "index" section of the results schema (README.md).
// Per modality: items/s through the pipeline (read, decode, prepare, encode, commit: the time
// until the last batch is committed) and over the indexer's whole wall time (model load,
// enumeration and index publish included), each as median with min / max over the
// repetitions, plus the stage seconds. Errors: ValidateIndexBenchOptions's; NOT_FOUND for a
// missing corpus path or model; INVALID_ARGUMENT when the corpus holds nothing to index; the
// indexer's fatal errors as they are. Items that fail to index are counted, not fatal.
absl::StatusOr<Json> RunIndexBench(const IndexBenchOptions& options);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_INDEX_BENCH_H_
