// xmodal-train: trains the default model on the Tux Paint stamp corpus and writes the model
// package (docs/default-model.md).
//   xmodal-train --corpus DIR --out DIR [--minutes 25 | --steps N] [--seed 1] [--limit N]
//                [--threads 2] [--dim 128] [--batch 64] [--sound_batch N] [--lr 0.002]
//                [--log_every 20]
//   xmodal-train --out DIR --card_eval eval.md   (puts an xmodal-eval report in the card)
// Flags: cli/program.h (also --help, --version, --flagfile).
// Exit status: 0 on success, 1 when training fails, 2 for bad flags.
#include <glog/logging.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "cli/program.h"
#include "core/base/file_util.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/train/model_card.h"
#include "trainer/train/trainer.h"

namespace {

// The flags, with their defaults; main copies them into TrainOptions.
struct Flags {
  std::string corpus = xmodal::corpus::kDefaultStampRoot;
  std::string out;
  double minutes = 0;
  int64_t steps = 0;
  uint64_t seed = 1;
  int limit = 0;
  int threads = 2;
  int torch_threads = 0;
  int dim = 128;
  int batch = 64;
  int sound_batch = -1;
  double lr = 2e-3;
  double table_lr_factor = 10;
  double audio_lr_factor = 1;
  int texts_per_row = 4;
  int speech_per_row = 2;
  int log_every = 20;
  bool prototypes = true;
  bool tiny = false;
  std::string card_eval;
};

void Bind(xmodal::cli::Program& p, Flags& f) {
  p.Flag("corpus", &f.corpus, "stamp corpus root", {.value_name = "DIR"})
      .Flag("out", &f.out, "model package directory to write",
            {.value_name = "DIR", .required = true})
      .Flag("minutes", &f.minutes, "wall-clock cap of the training loop in minutes; 0: none")
      .Flag("steps", &f.steps, "training steps (deterministic); 0: as many as --minutes allows")
      .Flag("seed", &f.seed, "seed of the weights, data order and augmentation")
      .Flag("limit", &f.limit, "train on the first N stamps (by name) only; 0: all",
            {.value_name = "N"})
      .Flag("threads", &f.threads, "LibTorch and data-preparation threads", {.value_name = "N"})
      .Flag("torch_threads", &f.torch_threads,
            "LibTorch intra-op threads; 0: --threads minus 1 (at least 1)", {.value_name = "N"})
      .Flag("dim", &f.dim, "embedding dimension")
      .Flag("batch", &f.batch, "stamps (image + description + spoken clip) per step")
      .Flag("sound_batch", &f.sound_batch, "stamps with a sound effect per step; -1: batch / 4")
      .Flag("lr", &f.lr, "peak learning rate (AdamW)")
      .Flag("table_lr_factor", &f.table_lr_factor,
            "the text n-gram table's learning rate over --lr")
      .Flag("audio_lr_factor", &f.audio_lr_factor, "the audio tower's learning rate over --lr")
      .Flag("texts_per_row", &f.texts_per_row, "descriptions per stamp per step")
      .Flag("speech_per_row", &f.speech_per_row, "spoken clips per stamp per step")
      .Flag("log_every", &f.log_every, "steps between loss lines")
      .Flag("prototypes", &f.prototypes, "add the auxiliary group-prototype loss (step_loss.h)")
      .Flag("tiny", &f.tiny, "the tiny test architecture (recipe.h TinyConfig)")
      .Flag("card_eval", &f.card_eval,
            "only put this xmodal-eval Markdown report into the card of --out, then exit",
            {.value_name = "F"});
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = absl::StrJoin(argv, argv + argc, " ");
  Flags f;
  xmodal::cli::Program program({
      .name = "xmodal-train",
      .description = "Trains the default model on the Tux Paint stamp corpus and writes the "
                     "model package (docs/default-model.md).",
      .usage = "xmodal-train --corpus DIR --out DIR [--minutes 25 | --steps N] [--seed 1] "
               "[--limit N] [--threads 2] [--dim 128] [--batch 64]\n"
               "       xmodal-train --out DIR --card_eval eval.md",
      .footer = "Exit status: 0 on success, 1 when training fails, 2 for bad flags.",
  });
  Bind(program, f);
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  if (!f.card_eval.empty()) {
    absl::StatusOr<std::string> report = xmodal::ReadFile(f.card_eval);
    absl::Status s = report.ok() ? xmodal::train::InsertEvaluation(f.out + "/README.md", *report)
                                 : report.status();
    if (!s.ok()) std::fprintf(stderr, "xmodal-train: %s\n", s.ToString().c_str());
    return s.ok() ? 0 : 1;
  }
  xmodal::train::TrainOptions o;
  if (f.tiny) o.config = xmodal::train::TinyConfig();
  o.corpus_dir = f.corpus;
  o.out_dir = f.out;
  o.minutes = f.minutes;
  o.steps = f.steps;
  o.seed = f.seed;
  o.limit = f.limit;
  o.threads = f.threads;
  o.torch_threads = f.torch_threads;
  o.config.dim = f.dim;
  o.batch = f.batch;
  o.sound_batch = f.sound_batch;
  o.lr = f.lr;
  o.table_lr_factor = f.table_lr_factor;
  o.texts_per_row = f.texts_per_row;
  o.audio_lr_factor = f.audio_lr_factor;
  o.speech_per_row = f.speech_per_row;
  o.log_every = f.log_every;
  o.group_prototypes = f.prototypes;
  o.command_line = command;
  if (absl::Status s = xmodal::train::ValidateTrainOptions(o); !s.ok()) {
    std::fprintf(stderr, "xmodal-train: %s\n", s.ToString().c_str());
    return 2;
  }
  absl::StatusOr<xmodal::train::TrainResult> result = xmodal::train::RunTraining(o, stderr);
  if (!result.ok()) {
    std::fprintf(stderr, "xmodal-train: %s\n", result.status().ToString().c_str());
    return 1;
  }
  return 0;
}
