// `xmodal-eval queries` as a library: runs a labelled queries file (labelled_queries.h) against
// an existing collection with its model, through the engine's Searcher (the server's search
// path), and scores each query against its relevant items (ranking_metrics.h). This is how
// two models are compared on one's own data: index the same sources with each, run the same
// queries file on both collections (docs/eval.md "Scoring any collection").
#ifndef XMODAL_TRAINER_EVAL_COLLECTION_EVAL_H_
#define XMODAL_TRAINER_EVAL_COLLECTION_EVAL_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trainer/eval/collection_report.h"
#include "trainer/eval/labelled_queries.h"

namespace xmodal::eval {

struct CollectionEvalOptions {
  std::string collection_dir;  // required: a collection with a published index
  std::string model_dir;       // required: the package the collection was built with
  std::string queries_path;    // required
  int k = 10;       // 1..engine::kDefaultMaxK (1000); R@k is reported too when k is not 1, 5 or 10
  int threads = 0;  // search threads (each encodes single-threaded); 0: one per core
  QueriesFileLimits limits;
};

// INVALID_ARGUMENT naming the flag (--collection, --model, --queries empty; --k out of range;
// --threads negative); OK otherwise. Checks no file.
absl::Status ValidateCollectionEvalOptions(const CollectionEvalOptions& options);

// Each search asks for max(k, 10) hits (the depth of MRR) with the query's target, or every
// modality of the collection. Errors (nothing is scored): invalid options; the queries file's
// errors (ReadLabelledQueries: INVALID_ARGUMENT "<file>:<line>: ..."); the model's load errors;
// NOT_FOUND "no collection at ..."; FAILED_PRECONDITION when the collection was built with
// another model (Collection::Open's message names both) or has no published index; store and
// index read errors. Not errors: a query that cannot be run (unreadable or undecodable file, a
// text or target the model refuses) is a failure in the report; a relevant ref that names no
// item is a warning on `progress` and counted in the report (it stays relevant and can never be
// found). Progress lines and warnings go to `progress` (nullptr: silent). Sets the process's
// encoder and FAISS thread counts to 1. Deterministic for given inputs.
absl::StatusOr<CollectionEvalReport> RunCollectionEval(const CollectionEvalOptions& options,
                                                       std::FILE* progress);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_COLLECTION_EVAL_H_
