// The speech memory of the exported audio encoder. The default model is far too small to
// learn speech recognition from ~7,400 short recordings in 14 languages within its training
// budget (its speech->image loss stays at chance), but it can learn a robust *fingerprint*
// of a recording (towers.h; the speech-fingerprint loss). The memory stores the fingerprint
// of every segment of every spoken description of the training corpus, each with the clean
// image embedding of its stamp. At query time a segment whose fingerprint is close to a
// stored one takes the image embedding of the recordings it matches (a softmax over the
// stored fingerprints); a segment that matches nothing (a sound effect, a new recording)
// keeps the tower's own embedding. So the corpus's own recordings, also noisy, shifted or
// sped up, find their stamp; new speech is not understood. The model card says so.
#ifndef XMODAL_TRAINER_TRAIN_SPEECH_MEMORY_H_
#define XMODAL_TRAINER_TRAIN_SPEECH_MEMORY_H_

#include <torch/torch.h>

#include <cstdint>

#include "absl/status/statusor.h"
#include "core/model/model_manifest.h"
#include "trainer/train/speech_memory_calibration.h"
#include "trainer/train/towers.h"
#include "trainer/train/training_data.h"

namespace xmodal::train {

struct SpeechMemory {
  torch::Tensor keys;    // float [M, fingerprint_dim], unit rows (values exactly representable
                         // in half precision: the package stores them as half)
  torch::Tensor stamp;   // int64 [M]: the row of `values` of each key
  torch::Tensor values;  // float [S, dim], unit rows: each stamp's clean image embedding
  SpeechMemoryCalibration calibration;  // its threshold is the gate's midpoint
  double gate_slope = 40.0;             // gate = sigmoid(gate_slope * (best cosine - threshold))
  double sharpness = 50.0;              // inverse temperature of the softmax over the keys

  int64_t size() const { return keys.defined() ? keys.size(0) : 0; }
};

// Builds the memory from every spoken clip of `data` (segments cut as core/model cuts them
// for `manifest`) and calibrates the gate: threshold = the midpoint of matched_p05 and
// unmatched_p95 (speech_memory_calibration.h), gate_slope such that the gate goes from 0.05 to 0.95
// across their gap (within [10, 200]). Returns an empty memory (size 0) when `data` has no spoken
// clip. Errors of core/model preprocessing. Deterministic for a seed.
absl::StatusOr<SpeechMemory> BuildSpeechMemory(const TowersImpl& towers, const TrainingData& data,
                                               const model::ModelManifest& manifest, uint64_t seed,
                                               int threads);

// What the exported audio encoder returns for a batch: embedding [B, dim] and fingerprint
// [B, fingerprint_dim] from TowersImpl::EncodeAudioAndFingerprint. Unit rows.
torch::Tensor ApplySpeechMemory(const SpeechMemory& memory, const torch::Tensor& embedding,
                                const torch::Tensor& fingerprint);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_SPEECH_MEMORY_H_
