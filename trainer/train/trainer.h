// xmodal-train as a library: loads the stamp corpus, trains the three towers contrastively
// and writes the model package (model files, training.json and the model card README.md).
// main.cc only parses flags. See docs/default-model.md.
#ifndef XMODAL_TRAINER_TRAIN_TRAINER_H_
#define XMODAL_TRAINER_TRAIN_TRAINER_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/train/recipe.h"

namespace xmodal::train {

struct TrainOptions {
  std::string corpus_dir = corpus::kDefaultStampRoot;
  std::string out_dir;  // required: the package directory (created)
  int64_t steps = 0;    // > 0: exactly this many steps (deterministic)
  double minutes = 0;   // > 0: wall-clock cap of the training loop; with steps == 0 the
                        // step count is estimated from the first steps' speed
  uint64_t seed = 1;
  int limit = 0;                // > 0: only the first `limit` stamps (by name)
  int threads = 2;              // data-preparation workers (and LibTorch threads by default)
  int torch_threads = 0;        // LibTorch intra-op threads; 0: threads - 1 (at least 1): the
                                // data workers need the rest, and OpenMP threads that wait for a
                                // busy core spin (measured: 2 threads on 2 cores were 2x slower)
  int batch = 64;               // main rows (stamp images with a description) per step
  int sound_batch = -1;         // rows with a sound effect per step; -1: batch / 4
  int texts_per_row = 4;        // descriptions per stamp per step (paired with its image)
  int speech_per_row = 2;       // spoken clips per stamp per step
  double lr = 2e-3;             // AdamW peak learning rate (linear warm-up, cosine decay)
  double table_lr_factor = 10;  // the text n-gram table learns this much faster: each of its
                                // rows is updated only when its n-gram occurs
  double audio_lr_factor = 1;   // the audio tower's learning rate over `lr`
  double weight_decay = 1e-4;
  bool group_prototypes = true;  // the auxiliary group-prototype loss (step_loss.h)
  int log_every = 20;            // steps between loss lines
  ModelConfig config;            // architecture and input preparation
  std::string command_line;      // recorded in the model card
};

// INVALID_ARGUMENT naming the first bad option (empty out_dir, neither steps nor minutes,
// negative values, a bad config).
absl::Status ValidateTrainOptions(const TrainOptions& options);

struct TrainResult {
  int64_t steps_done = 0;
  int64_t steps_planned = 0;
  bool stopped_by_time = false;
  std::vector<double> losses;  // total loss of each step, in order
  // The loss of one fixed batch (a batch index never used for training) before and after.
  double fixed_loss_before = 0;
  double fixed_loss_after = 0;
  double load_seconds = 0, train_seconds = 0, total_seconds = 0;
};

// Runs the whole training and writes the package to options.out_dir. Progress and loss
// lines go to `log` (nullptr: silent). Errors: INVALID_ARGUMENT (options), the corpus
// reader's (NOT_FOUND for a missing corpus), INTERNAL for LibTorch failures, file errors
// while writing the package. Sets LibTorch's global seed and thread count.
// Deterministic for fixed options with `steps` > 0 (docs/default-model.md lists the caveats).
absl::StatusOr<TrainResult> RunTraining(const TrainOptions& options, std::FILE* log);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_TRAINER_H_
