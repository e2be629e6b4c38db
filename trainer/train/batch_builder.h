// Builds the training batch of a step: samples stamps (epoch-wise shuffles), augments their
// raw image / text / audio (image_augment.h, text_augment.h, audio_augment.h) and prepares
// them exactly as the serving model does (core/model: Tokenize after NormalizeWhitespace,
// PreprocessImage, PreprocessAudio with the package's LogMel). The batch of a step depends
// only on (data, manifest, sizes, seed, step): every item has its own random stream, so
// the thread pool's scheduling cannot change it.
#ifndef XMODAL_TRAINER_TRAIN_BATCH_BUILDER_H_
#define XMODAL_TRAINER_TRAIN_BATCH_BUILDER_H_

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/thread_pool.h"
#include "core/model/log_mel.h"
#include "core/model/model_manifest.h"
#include "trainer/train/training_data.h"

namespace xmodal::train {

// Flat row-major buffers, ready for torch::from_blob.
struct StepBatch {
  int64_t step = 0;
  int64_t audio_frames = 0;  // frames of every audio row (the model's segment)
  // Main part: one row per sampled stamp: an image and texts_per_row descriptions in
  // training languages.
  int64_t rows = 0;
  int64_t texts_per_row = 1;
  std::vector<int64_t> groups;    // [rows]
  std::vector<float> images;      // [rows, 3, size, size]
  std::vector<int64_t> text_ids;  // [rows * texts_per_row, context_length], row after row
  // Spoken descriptions of the main rows whose stamp has any (up to speech_per_row each).
  std::vector<int64_t> speech_rows;  // row of the main part of each clip
  std::vector<float> speech;         // [speech_rows.size(), n_mels, frames]
  // The same clips unaugmented: the first segment as the server would cut it (the view the
  // speech memory stores), for the fingerprint loss.
  std::vector<float> speech_clean;  // [speech_rows.size(), n_mels, frames]
  // Sound part: stamps with a sound effect: a second image view, the sound effect and the
  // English description.
  int64_t sound_rows = 0;
  std::vector<int64_t> sound_groups;    // [sound_rows]
  std::vector<float> sound_images;      // [sound_rows, 3, size, size]
  std::vector<float> sounds;            // [sound_rows, n_mels, frames]
  std::vector<int64_t> sound_text_ids;  // [sound_rows, context_length]
};

struct BatchSizes {
  int batch = 64;          // main rows per step
  int sound_batch = 32;    // sound rows per step (0 when the data has no sounds)
  int texts_per_row = 1;   // descriptions per main row (each drawn independently)
  int speech_per_row = 1;  // distinct spoken clips per main row (fewer when it has fewer)
  double p_english = 0.2;  // chance that a drawn description is the English one
};

// Indices into [0, n) for positions [step * batch, (step + 1) * batch) of an endless
// sequence of seeded permutations of [0, n) (one per epoch). n >= 1, batch >= 1.
std::vector<int> EpochSample(int n, int batch, int64_t step, uint64_t seed);

class BatchBuilder {
 public:
  // `data` must outlive the builder; `manifest` must have text, image and audio.
  BatchBuilder(const TrainingData& data, const model::ModelManifest& manifest, BatchSizes sizes,
               uint64_t seed, int threads);

  // Errors only from augmentation or preparation of an item (INVALID_ARGUMENT / INTERNAL
  // from core/media or core/model), which means a bug or a corrupt clip in memory. Not
  // thread-safe: one Build at a time. The clean view of each spoken clip (speech_clean) is
  // prepared the first time the clip is drawn and kept: about 50 KB per clip, some 370 MB
  // for the stamp corpus once every clip has been drawn.
  absl::StatusOr<StepBatch> Build(int64_t step);

  int64_t image_values() const;  // 3 * size * size
  int64_t audio_values() const;  // n_mels * frames
  int64_t audio_frames() const;

 private:
  absl::Status MainRow(int64_t step, int row, int stamp, StepBatch& out) const;
  absl::Status SoundRow(int64_t step, int row, int stamp, StepBatch& out) const;
  absl::StatusOr<std::vector<float>> Image(const TrainingStamp& stamp, uint64_t seed) const;
  absl::StatusOr<std::vector<float>> Audio(const media::Audio& clip, uint64_t seed) const;
  absl::StatusOr<std::vector<float>> CleanAudio(const media::Audio& clip) const;
  // Prepares the clean view of those of `clips` not yet in clean_speech_.
  absl::Status CacheCleanSpeech(const std::vector<const media::Audio*>& clips);
  std::vector<int64_t> Text(const TrainingText& text, uint64_t seed) const;

  const TrainingData& data_;
  const model::ModelManifest manifest_;
  const model::LogMel mel_;
  const BatchSizes sizes_;
  const uint64_t seed_;
  std::unique_ptr<ThreadPool> pool_;
  // The clean view of each spoken clip drawn so far (it does not depend on the step).
  std::unordered_map<const media::Audio*, std::vector<float>> clean_speech_;
};

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_BATCH_BUILDER_H_
