// The result of `xmodal-eval queries` (collection_eval.h): every scored query, the queries that
// could not be run, the relevant refs the collection lacks; the metrics per scope; and the two
// renderings, JSON and Markdown (docs/eval.md "Scoring any collection"). Pure functions;
// thread-safe.
#ifndef XMODAL_TRAINER_EVAL_COLLECTION_REPORT_H_
#define XMODAL_TRAINER_EVAL_COLLECTION_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/base/json.h"
#include "core/base/modality.h"
#include "trainer/eval/ranking_metrics.h"

namespace xmodal::eval {

struct ScoredQuery {
  int64_t line = 0;
  std::string id;
  Modality kind = Modality::kText;
  std::optional<Modality> target;  // nullopt: every modality
  int64_t relevant = 0;            // relevant items, those missing from the collection included
  int64_t missing_relevant = 0;
  QueryScores scores;
};

// A query that could not be run (unreadable file, media the engine refuses, ...).
struct QueryFailure {
  int64_t line = 0;
  std::string id;
  Modality kind = Modality::kText;
  std::optional<Modality> target;
  std::string reason;
};

// A relevant ref that names no item of the collection (relevant_items.h).
struct MissingRelevant {
  int64_t line = 0;
  std::string id;
  std::string ref;
};

struct CollectionEvalReport {
  std::string collection_dir;
  int64_t generation = 0;
  std::map<Modality, int64_t> items;  // per modality, in the searched generation
  std::string model_name, model_version, model_pin;
  int embedding_dim = 0;
  std::string queries_file;
  int k = 10;                        // --k
  int depth = 10;                    // hits asked of each search: max(k, 10)
  bool graded = false;               // some query gives grades
  std::vector<ScoredQuery> queries;  // in file order
  std::vector<QueryFailure> failures;
  std::vector<MissingRelevant> missing_relevant;
  double seconds = 0;
};

// The metrics of one group of queries, and how many of its queries failed.
struct ScopeResult {
  std::string name;
  RankingMetrics metrics;
  int64_t failures = 0;
};

// "all"; per query kind ("text", "image", "audio": those with scored or failed queries); and,
// when some query names a target, per kind and target ("text_to_image", ..., "text_to_any" for
// the queries without one), in that order. R@k is added when k is not 1, 5 or 10.
struct ReportScopes {
  ScopeResult overall;
  std::vector<ScopeResult> per_kind;
  std::vector<ScopeResult> per_target;
};
ReportScopes SummariseScopes(const CollectionEvalReport& report);

Json CollectionReportToJson(const CollectionEvalReport& report);
std::string CollectionReportToMarkdown(const CollectionEvalReport& report);

// Writes the JSON (2-space indented) and the Markdown report atomically; an empty path skips
// that file. Errors of WriteFileAtomically.
absl::Status WriteCollectionReport(const CollectionEvalReport& report, const std::string& json_path,
                                   const std::string& md_path);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_COLLECTION_REPORT_H_
