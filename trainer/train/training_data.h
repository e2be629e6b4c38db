// The training set of the default model, held in memory: for each stamp of the corpus its
// shrunk image with background mask, its descriptions in the training languages, its sound
// effect and its spoken descriptions (decoded, resampled once to the model's rate).
// Held-out languages (trainer/corpus/splits.h) are dropped here, so nothing downstream can
// train on them. Immutable after loading; safe to read from many threads.
#ifndef XMODAL_TRAINER_TRAIN_TRAINING_DATA_H_
#define XMODAL_TRAINER_TRAIN_TRAINING_DATA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/media/audio.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/train/image_augment.h"

namespace xmodal::train {

struct TrainingText {
  std::string lang;
  std::string text;
};

struct TrainingStamp {
  std::string name;
  int group = 0;
  TrainingImage image;
  std::vector<TrainingText> texts;  // training languages only, distinct texts, English first
  std::optional<media::Audio> sound;
  std::vector<media::Audio> speech;  // spoken descriptions (and localised sounds)
};

struct TrainingData {
  std::vector<TrainingStamp> stamps;  // corpus order; stamps whose image failed are left out
  std::vector<int> with_sound;        // indices of stamps with a sound effect
  std::vector<int> with_speech;       // indices of stamps with at least one spoken clip
  int64_t texts = 0, speech_clips = 0, held_out_texts_dropped = 0, failures = 0;
};

struct LoadOptions {
  int image_side = 128;          // shorter side of the kept images
  int svg_side = 256;            // SVG stamps are rendered at this longer side first
  int sample_rate = 16000;       // the model's audio rate
  double max_clip_seconds = 20;  // longer clips are cut (only a window is ever trained on)
  int threads = 2;
};

// Loads every stamp of `corpus` on `options.threads` threads. Files that cannot be read are
// skipped with a warning and counted in `failures` (a stamp without its image is dropped).
// INVALID_ARGUMENT when no stamp is left. Deterministic.
absl::StatusOr<TrainingData> LoadTrainingData(const corpus::StampCorpus& corpus,
                                              const LoadOptions& options);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_TRAINING_DATA_H_
