// xmodal-train: trains the default model on the Tux Paint stamp corpus and writes the model
// package (docs/default-model.md).
//   xmodal-train --corpus DIR --out DIR [--minutes 25 | --steps N] [--seed 1] [--limit N]
//                [--threads 2] [--dim 128] [--batch 64] [--sound_batch N] [--lr 0.002]
//                [--log_every 20]
//   xmodal-train --out DIR --card_eval eval.md   (puts an xmodal-eval report in the card)
// Exit status: 0 on success, 1 when training fails, 2 for bad flags.
#include <glog/logging.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "core/base/file_util.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/train/model_card.h"
#include "trainer/train/trainer.h"

ABSL_FLAG(std::string, corpus, xmodal::corpus::kDefaultStampRoot, "Stamp corpus root.");
ABSL_FLAG(std::string, out, "", "Model package directory to write (required).");
ABSL_FLAG(double, minutes, 0, "Wall-clock cap of the training loop in minutes; 0: none.");
ABSL_FLAG(int64_t, steps, 0, "Training steps (deterministic); 0: as many as --minutes allows.");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the weights, data order and augmentation.");
ABSL_FLAG(int32_t, limit, 0, "Train on the first N stamps (by name) only; 0: all.");
ABSL_FLAG(int32_t, threads, 2, "LibTorch and data-preparation threads.");
ABSL_FLAG(int32_t, torch_threads, 0,
          "LibTorch intra-op threads; 0: --threads minus 1 (at least 1).");
ABSL_FLAG(int32_t, dim, 128, "Embedding dimension.");
ABSL_FLAG(int32_t, batch, 64, "Stamps (image + description + spoken clip) per step.");
ABSL_FLAG(int32_t, sound_batch, -1, "Stamps with a sound effect per step; -1: batch / 4.");
ABSL_FLAG(double, lr, 2e-3, "Peak learning rate (AdamW).");
ABSL_FLAG(double, table_lr_factor, 10, "The text n-gram table's learning rate over --lr.");
ABSL_FLAG(double, audio_lr_factor, 1, "The audio tower's learning rate over --lr.");
ABSL_FLAG(int32_t, texts_per_row, 4, "Descriptions per stamp per step.");
ABSL_FLAG(int32_t, speech_per_row, 2, "Spoken clips per stamp per step.");
ABSL_FLAG(int32_t, log_every, 20, "Steps between loss lines.");
ABSL_FLAG(bool, prototypes, true, "Add the auxiliary group-prototype loss (step_loss.h).");
ABSL_FLAG(bool, tiny, false, "The tiny test architecture (recipe.h TinyConfig).");
ABSL_FLAG(std::string, card_eval, "",
          "Only put this xmodal-eval Markdown report into the card of --out, then exit.");

int main(int argc, char** argv) {
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  absl::SetProgramUsageMessage(
      "xmodal-train --corpus DIR --out DIR [--minutes 25 | --steps N] [--seed 1] [--limit N] "
      "[--threads 2] [--dim 128] [--batch 64]");
  const std::string command = absl::StrJoin(argv, argv + argc, " ");
  absl::ParseCommandLine(argc, argv);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (!absl::GetFlag(FLAGS_card_eval).empty()) {
    absl::StatusOr<std::string> report = xmodal::ReadFile(absl::GetFlag(FLAGS_card_eval));
    absl::Status s = report.ok() ? xmodal::train::InsertEvaluation(out + "/README.md", *report)
                                 : report.status();
    if (!s.ok()) std::fprintf(stderr, "xmodal-train: %s\n", s.ToString().c_str());
    return s.ok() ? 0 : 1;
  }
  xmodal::train::TrainOptions o;
  if (absl::GetFlag(FLAGS_tiny)) o.config = xmodal::train::TinyConfig();
  o.corpus_dir = absl::GetFlag(FLAGS_corpus);
  o.out_dir = out;
  o.minutes = absl::GetFlag(FLAGS_minutes);
  o.steps = absl::GetFlag(FLAGS_steps);
  o.seed = absl::GetFlag(FLAGS_seed);
  o.limit = absl::GetFlag(FLAGS_limit);
  o.threads = absl::GetFlag(FLAGS_threads);
  o.torch_threads = absl::GetFlag(FLAGS_torch_threads);
  o.config.dim = absl::GetFlag(FLAGS_dim);
  o.batch = absl::GetFlag(FLAGS_batch);
  o.sound_batch = absl::GetFlag(FLAGS_sound_batch);
  o.lr = absl::GetFlag(FLAGS_lr);
  o.table_lr_factor = absl::GetFlag(FLAGS_table_lr_factor);
  o.texts_per_row = absl::GetFlag(FLAGS_texts_per_row);
  o.audio_lr_factor = absl::GetFlag(FLAGS_audio_lr_factor);
  o.speech_per_row = absl::GetFlag(FLAGS_speech_per_row);
  o.log_every = absl::GetFlag(FLAGS_log_every);
  o.group_prototypes = absl::GetFlag(FLAGS_prototypes);
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
