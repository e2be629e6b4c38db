// xmodal-eval: held-out evaluation of a model package on the Tux Paint stamp corpus
// (docs/eval.md). Prints the Markdown report; progress goes to stderr.
//   xmodal-eval --model DIR [--corpus DIR] [--limit N] [--threads N]
//               [--out_json F] [--out_md F]
// Exit status: 0 on success, 1 when the evaluation fails, 2 for bad flags.
#include <glog/logging.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/eval/eval_run.h"

ABSL_FLAG(std::string, model, "", "Model package directory (required).");
ABSL_FLAG(std::string, corpus, xmodal::corpus::kDefaultStampRoot, "Stamp corpus root.");
ABSL_FLAG(int32_t, limit, 0, "Evaluate only the first N stamps (by name); 0: all.");
ABSL_FLAG(int32_t, threads, 0, "Worker and encoder threads; 0: one per core.");
ABSL_FLAG(std::string, out_json, "", "Write the JSON report here (docs/eval.md).");
ABSL_FLAG(std::string, out_md, "", "Write the Markdown report here.");

int main(int argc, char** argv) {
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  absl::SetProgramUsageMessage(
      "xmodal-eval --model DIR [--corpus DIR] [--limit N] [--threads N] [--out_json F] "
      "[--out_md F]");
  absl::ParseCommandLine(argc, argv);
  xmodal::eval::EvalOptions options;
  options.model_dir = absl::GetFlag(FLAGS_model);
  options.corpus_dir = absl::GetFlag(FLAGS_corpus);
  options.limit = absl::GetFlag(FLAGS_limit);
  options.threads = absl::GetFlag(FLAGS_threads);
  if (options.model_dir.empty()) {
    std::fprintf(stderr, "xmodal-eval: --model is required\n");
    return 2;
  }
  absl::StatusOr<xmodal::eval::EvalReport> report = xmodal::eval::RunEvaluation(options, stderr);
  if (!report.ok()) {
    std::fprintf(stderr, "xmodal-eval: %s\n", report.status().ToString().c_str());
    return report.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  const absl::Status written = xmodal::eval::WriteEvalOutputs(
      *report, absl::GetFlag(FLAGS_out_json), absl::GetFlag(FLAGS_out_md));
  if (!written.ok()) {
    std::fprintf(stderr, "xmodal-eval: %s\n", written.ToString().c_str());
    return 1;
  }
  std::fputs(xmodal::eval::ReportToMarkdown(*report).c_str(), stdout);
  return 0;
}
