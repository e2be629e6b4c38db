// How the speech memory's gate was calibrated (speech_memory.h), in a header without LibTorch
// so that the model card (model_card.h) can report it.
#ifndef XMODAL_TRAINER_TRAIN_SPEECH_MEMORY_CALIBRATION_H_
#define XMODAL_TRAINER_TRAIN_SPEECH_MEMORY_CALIBRATION_H_

#include <cstdint>

namespace xmodal::train {

// Measured with training-style augmentation, never the held-out transforms.
struct SpeechMemoryCalibration {
  int64_t recordings = 0;      // spoken clips stored
  double matched_p05 = 0.0;    // 5th percentile of an augmented recording's cosine to its own key
  double unmatched_p95 = 0.0;  // 95th percentile of a sound effect's best cosine to any key
  double threshold = 1.0;      // fingerprint cosine at which the gate is one half
};

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_SPEECH_MEMORY_CALIBRATION_H_
