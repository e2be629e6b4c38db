// What the micro-benchmarks run against: the model packages to time the encoders of, the
// vector dimensions and sizes of the FAISS benchmarks, and a scratch directory.
#ifndef XMODAL_BENCHMARKS_MICRO_MICRO_ENV_H_
#define XMODAL_BENCHMARKS_MICRO_MICRO_ENV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace xmodal::bench {

struct MicroEnv {
  std::vector<std::string> model_dirs;  // encoder benchmarks, one set per package
  std::vector<int> faiss_dims;          // the last model's embedding dim, then 512
  std::vector<int64_t> faiss_sizes;     // 10k; with --big also 100k and 1M; --tiny: 1k
  int faiss_build_threads = 0;          // FAISS threads for index builds; 0: all (--tiny: 1)
  std::string scratch_dir;              // a fresh temp directory (RocksDB, the toy package)
  std::vector<std::string> notes;       // what was chosen and why, printed before the run
};

struct MicroFlags {
  std::string model;        // --model DIR or $XMODAL_BENCH_MODEL; empty: the defaults
  bool big = false;         // --big or XMODAL_BENCH_BIG=1
  bool tiny = false;        // --tiny: FAISS at 1,000 vectors, built on 1 thread (the suite test)
  std::string default_dir;  // models/default of the source tree
};

// Resolves the environment: the given model, else the toy package (written into the scratch
// directory when this binary has it) and models/default when it holds a model.json. Errors:
// MakeTempDirectory's, NOT_FOUND for a --model without model.json, the toy builder's.
absl::StatusOr<MicroEnv> ResolveMicroEnv(const MicroFlags& flags);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_MICRO_MICRO_ENV_H_
