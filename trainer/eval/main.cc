// xmodal-eval: held-out evaluation of a model package on the Tux Paint stamp corpus
// (docs/eval.md). Prints the Markdown report; progress goes to stderr.
//   xmodal-eval --model DIR [--corpus DIR] [--limit N] [--threads N]
//               [--out_json F] [--out_md F]
// Flags: cli/program.h (also --help, --version, --flagfile).
// Exit status: 0 on success, 1 when the evaluation fails, 2 for bad flags.
#include <glog/logging.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/program.h"
#include "trainer/eval/eval_run.h"

int main(int argc, char** argv) {
  xmodal::eval::EvalOptions options;
  std::string out_json, out_md;
  xmodal::cli::Program program({
      .name = "xmodal-eval",
      .description = "Held-out evaluation of a model package on the Tux Paint stamp corpus "
                     "(docs/eval.md).\nPrints the Markdown report; progress goes to stderr.",
      .usage = "xmodal-eval --model DIR [--corpus DIR] [--limit N] [--threads N] "
               "[--out_json F] [--out_md F]",
      .footer = "Exit status: 0 on success, 1 when the evaluation fails, 2 for bad flags.",
  });
  program
      .Flag("model", &options.model_dir, "model package directory",
            {.value_name = "DIR", .required = true})
      .Flag("corpus", &options.corpus_dir, "stamp corpus root", {.value_name = "DIR"})
      .Flag("limit", &options.limit, "evaluate only the first N stamps (by name); 0: all",
            {.value_name = "N"})
      .Flag("threads", &options.threads, "worker and encoder threads; 0: one per core",
            {.value_name = "N"})
      .Flag("out_json", &out_json, "write the JSON report here (docs/eval.md)", {.value_name = "F"})
      .Flag("out_md", &out_md, "write the Markdown report here", {.value_name = "F"});
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  absl::StatusOr<xmodal::eval::EvalReport> report = xmodal::eval::RunEvaluation(options, stderr);
  if (!report.ok()) {
    std::fprintf(stderr, "xmodal-eval: %s\n", report.status().ToString().c_str());
    return report.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  const absl::Status written = xmodal::eval::WriteEvalOutputs(*report, out_json, out_md);
  if (!written.ok()) {
    std::fprintf(stderr, "xmodal-eval: %s\n", written.ToString().c_str());
    return 1;
  }
  std::fputs(xmodal::eval::ReportToMarkdown(*report).c_str(), stdout);
  return 0;
}
