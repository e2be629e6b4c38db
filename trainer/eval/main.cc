// xmodal-eval: evaluation of a model package (docs/eval.md). Two modes:
//   xmodal-eval --model DIR [--corpus DIR] [--limit N] [--threads N]
//               [--out_json F] [--out_md F]
//     held-out evaluation on the Tux Paint stamp corpus (eval_run.h);
//   xmodal-eval queries --collection DIR --model DIR --queries FILE.jsonl [--k N] [--threads N]
//               [--out_json F] [--out_md F]
//     scores an existing collection on a labelled queries file (collection_eval.h).
// Both print the Markdown report; progress goes to stderr. Flags: cli/program.h (also --help,
// --version, --flagfile). Exit status: 0 on success, 1 when the evaluation fails, 2 for bad
// flags.
#include <glog/logging.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/program.h"
#include "trainer/eval/collection_eval.h"
#include "trainer/eval/eval_run.h"

namespace {

constexpr char kStampUsage[] =
    "xmodal-eval --model DIR [--corpus DIR] [--limit N] [--threads N] [--out_json F] "
    "[--out_md F]";
constexpr char kQueriesUsage[] =
    "xmodal-eval queries --collection DIR --model DIR --queries FILE.jsonl [--k N] [--threads N]\n"
    "                           [--out_json F] [--out_md F]";

// Prints the error and returns the exit status: 2 for INVALID_ARGUMENT when
// `invalid_argument_is_usage` (the stamp mode's bad options), else 1.
int Fail(const absl::Status& status, bool invalid_argument_is_usage) {
  std::fprintf(stderr, "xmodal-eval: %s\n", status.ToString().c_str());
  return invalid_argument_is_usage && status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

int RunStamps(const xmodal::eval::EvalOptions& options, const std::string& out_json,
              const std::string& out_md) {
  absl::StatusOr<xmodal::eval::EvalReport> report = xmodal::eval::RunEvaluation(options, stderr);
  if (!report.ok()) return Fail(report.status(), /*invalid_argument_is_usage=*/true);
  const absl::Status written = xmodal::eval::WriteEvalOutputs(*report, out_json, out_md);
  if (!written.ok()) return Fail(written, false);
  std::fputs(xmodal::eval::ReportToMarkdown(*report).c_str(), stdout);
  return 0;
}

int RunQueries(const xmodal::eval::CollectionEvalOptions& options, const std::string& out_json,
               const std::string& out_md) {
  absl::StatusOr<xmodal::eval::CollectionEvalReport> report =
      xmodal::eval::RunCollectionEval(options, stderr);
  if (!report.ok()) return Fail(report.status(), false);  // a bad queries file is not a flag
  const absl::Status written = xmodal::eval::WriteCollectionReport(*report, out_json, out_md);
  if (!written.ok()) return Fail(written, false);
  std::fputs(xmodal::eval::CollectionReportToMarkdown(*report).c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  xmodal::eval::EvalOptions stamps;
  xmodal::eval::CollectionEvalOptions queries;
  std::string model_dir, out_json, out_md;
  int threads = 0;
  xmodal::cli::Program program({
      .name = "xmodal-eval",
      .description = "Held-out evaluation of a model package on the Tux Paint stamp corpus, or "
                     "with 'queries', of a collection on labelled queries (docs/eval.md).\n"
                     "Prints the Markdown report; progress goes to stderr.",
      .usage = std::string(kStampUsage) + "\n       " + kQueriesUsage,
      .footer = "Exit status: 0 on success, 1 when the evaluation fails, 2 for bad flags.",
  });
  program.Flag("model", &model_dir, "model package directory (required)", {.value_name = "DIR"})
      .Flag("corpus", &stamps.corpus_dir, "stamp corpus root", {.value_name = "DIR"})
      .Flag("limit", &stamps.limit, "evaluate only the first N stamps (by name); 0: all",
            {.value_name = "N"})
      .Flag("threads", &threads, "worker and encoder threads; 0: one per core", {.value_name = "N"})
      .Flag("out_json", &out_json, "write the JSON report here (docs/eval.md)", {.value_name = "F"})
      .Flag("out_md", &out_md, "write the Markdown report here", {.value_name = "F"});
  xmodal::cli::Command& queries_command = program.Subcommand(
      "queries",
      "score a collection on a labelled queries file: R@1/5/10, MRR and nDCG@10 per query kind",
      kQueriesUsage);
  queries_command
      .Flag("collection", &queries.collection_dir, "the collection to search (xmodal-index)",
            {.value_name = "DIR", .required = true})
      .Flag("model", &model_dir, "the model package the collection was built with (required)",
            {.value_name = "DIR"})
      .Flag("queries", &queries.queries_path,
            "labelled queries, one JSON object per line (docs/eval.md)",
            {.value_name = "FILE.jsonl", .required = true})
      .Flag("k", &queries.k, "also report R@N; searches return max(N, 10) hits",
            {.value_name = "N"})
      .Flag("threads", &threads, "concurrent searches; 0: one per core", {.value_name = "N"})
      .Flag("out_json", &out_json, "write the JSON report here", {.value_name = "F"})
      .Flag("out_md", &out_md, "write the Markdown report here", {.value_name = "F"});
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  const bool queries_mode = program.outcome().command == &queries_command;
  for (const char* stamp_only : {"corpus", "limit"}) {
    if (queries_mode && program.Count(stamp_only) > 0) {
      std::cerr << program.UsageError(absl::StrCat("'queries' does not take --", stamp_only));
      return xmodal::cli::kExitUsage;
    }
  }
  if (program.Count("model") == 0 && queries_command.Count("model") == 0) {
    std::cerr << program.UsageError("--model is required");
    return xmodal::cli::kExitUsage;
  }
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  if (!queries_mode) {
    stamps.model_dir = model_dir;
    stamps.threads = threads;
    return RunStamps(stamps, out_json, out_md);
  }
  queries.model_dir = model_dir;
  queries.threads = threads;
  if (absl::Status valid = xmodal::eval::ValidateCollectionEvalOptions(queries); !valid.ok()) {
    std::cerr << program.UsageError(valid.message());
    return xmodal::cli::kExitUsage;
  }
  return RunQueries(queries, out_json, out_md);
}
