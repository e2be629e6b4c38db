// xmodal-eval as a library: loads a model package and the stamp corpus, embeds clean and
// held-out inputs (heldout_transforms.h) and scores the six retrieval tasks of issue 3
// (docs/eval.md). main.cc only parses flags and calls RunEvaluation and WriteEvalOutputs.
#ifndef XMODAL_TRAINER_EVAL_EVAL_RUN_H_
#define XMODAL_TRAINER_EVAL_EVAL_RUN_H_

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/eval/eval_report.h"

namespace xmodal::eval {

struct EvalOptions {
  std::string model_dir;  // required
  std::string corpus_dir = corpus::kDefaultStampRoot;
  int limit = 0;       // > 0: only the first `limit` stamps (by name); for tests
  int threads = 0;     // worker and LibTorch threads; 0: the hardware threads
  int svg_side = 256;  // SVG stamps are rendered with this longer side
};

// INVALID_ARGUMENT for bad options (empty model_dir, negative limit or threads, svg_side out
// of range); errors of model::Model::Load and corpus::ReadStampCorpus; an encoder error
// (INTERNAL). Inputs that cannot be loaded or prepared are not errors: they are counted in the
// report's failures and left out of the queries / galleries. Progress lines go to `progress`
// (nullptr: silent). Sets the process's encoder thread count. Deterministic for a given model.
absl::StatusOr<EvalReport> RunEvaluation(const EvalOptions& options, std::FILE* progress);

// Writes the JSON (2-space indented) and the Markdown report atomically; an empty path skips
// that file. Errors of WriteFileAtomically.
absl::Status WriteEvalOutputs(const EvalReport& report, const std::string& json_path,
                              const std::string& md_path);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_EVAL_RUN_H_
