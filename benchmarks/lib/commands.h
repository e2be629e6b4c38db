// The subcommands of xmodal-bench as functions over plain option structs (the flags are
// parsed in benchmarks/bench_main.cc). Each measuring command builds a results document with
// its section, writes <out>.json / .md / -*.svg when `out` is set, and returns the document.
#ifndef XMODAL_BENCHMARKS_LIB_COMMANDS_H_
#define XMODAL_BENCHMARKS_LIB_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "benchmarks/lib/ann_bench.h"
#include "benchmarks/lib/ann_data.h"
#include "benchmarks/lib/index_bench.h"
#include "benchmarks/lib/load_gen.h"
#include "core/base/json.h"

namespace xmodal::bench {

// `index`: RunIndexBench.
absl::StatusOr<Json> IndexCommand(const IndexBenchOptions& options, const std::string& out);

struct LoadCommandOptions {
  LoadRunOptions run;            // run.concurrency is ignored: see `concurrency`
  std::vector<int> concurrency;  // one run per value, in order
  std::string queries_dir;
};
// `load`: one RunLoad per concurrency value, against the same query set.
absl::StatusOr<Json> LoadCommand(const LoadCommandOptions& options, const std::string& out);

struct AnnCommandOptions {
  std::string collection;  // set: the collection's vectors; else synthetic
  std::optional<Modality> modality;
  int64_t queries = 200;  // held out (collection) or generated (synthetic)
  SyntheticSpec synthetic;
  AnnOptions ann;
};
// `ann`: MakeSyntheticData or LoadCollectionData, then RunAnnBench.
absl::StatusOr<Json> AnnCommand(const AnnCommandOptions& options, const std::string& out);

struct ReportCommandOptions {
  std::vector<std::string> inputs;  // results documents to merge, in order
  std::string micro;                // Google Benchmark JSON output; may be empty
  std::string notes_file;           // one setup note per non-blank line; may be empty
  std::string schema;               // when set, the merged document is validated against it
};
// `report`: merges the inputs (and the converted micro results and notes) into one fresh
// document, evaluates the targets, validates it when a schema is given (INVALID_ARGUMENT
// listing the violations, after writing nothing) and writes <out>.*.
absl::StatusOr<Json> ReportCommand(const ReportCommandOptions& options, const std::string& out);

// `validate`: checks each file against the schema file. INVALID_ARGUMENT naming the file
// and its violations.
absl::Status ValidateCommand(const std::string& schema_path, const std::vector<std::string>& files);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_COMMANDS_H_
