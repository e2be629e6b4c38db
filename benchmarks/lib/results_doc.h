// The results document of a benchmark run (schema: benchmarks/results.schema.json, described
// in benchmarks/README.md): a header (schema version, time, machine, setup notes) and the
// sections "micro", "index", "load" and "ann", each optional; and the merging of partial
// documents into one.
#ifndef XMODAL_BENCHMARKS_LIB_RESULTS_DOC_H_
#define XMODAL_BENCHMARKS_LIB_RESULTS_DOC_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/base/json.h"

namespace xmodal::bench {

inline constexpr char kResultsSchemaName[] = "xmodal-bench-results";
inline constexpr int kResultsSchemaVersion = 1;

// A document with the header filled in (now, this machine) and no sections.
Json NewResultsDocument();

// Puts `section` under `name` ("index", "ann", "micro") or, for "load", appends the run to
// load.runs (creating load with `load_header` fields when absent).
void SetSection(Json& doc, const std::string& name, Json section);
void AddLoadRun(Json& doc, const Json& load_header, Json run);

// Merges a partial document into `doc`: its sections replace doc's ("load" runs are
// appended) and its setup notes are appended. INVALID_ARGUMENT when `part` is not a results
// document of this schema version (the message names `what`).
absl::Status MergeResults(Json& doc, const Json& part, const std::string& what);

// Converts Google Benchmark's JSON output (--benchmark_out_format=json) into the "micro"
// section: per benchmark run name, the per-repetition real and CPU time (in ns) and
// items/s as median with min / max (aggregate rows are ignored; a benchmark run once has
// n = 1), "counters" with the same for each user counter (only when there are some), and
// "error" with Google Benchmark's message for a benchmark that failed (else null).
// INVALID_ARGUMENT when it has no "benchmarks" array.
absl::StatusOr<Json> MicroSectionFromGoogleBenchmark(const Json& gbench);

// Appends a human note to setup.notes (e.g. which model and corpus were used and why).
void AddNote(Json& doc, const std::string& note);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_RESULTS_DOC_H_
