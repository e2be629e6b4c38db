// Training-time audio augmentation (never used at serving time), applied to the raw clip
// (already at the model's sample rate) before the model's own preprocessing
// (core/model/audio_preprocess.h): speed change (ChangeSpeed; pitch moves with it), a
// random window of a long clip and a random lead-in of silence (time shift), gain, and
// additive white noise at a random SNR. Thread-safe (one Rng per call).
#ifndef XMODAL_TRAINER_TRAIN_AUDIO_AUGMENT_H_
#define XMODAL_TRAINER_TRAIN_AUDIO_AUGMENT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "core/media/audio.h"
#include "trainer/train/rng.h"

namespace xmodal::train {

struct AudioAugmentOptions {
  double p_speed = 0.8;  // else speed 1
  double min_speed = 0.9;
  double max_speed = 1.1;
  double max_lead_seconds = 0.3;
  double min_gain_db = -12;
  double max_gain_db = 6;
  double p_noise = 0.5;
  double min_snr_db = 10;
  double max_snr_db = 35;
};

// Returns at most `window_seconds` of augmented audio at `clip.sample_rate` (at least one
// sample), samples clamped to [-1, 1]. INVALID_ARGUMENT for an empty clip or a bad rate.
absl::StatusOr<media::Audio> AugmentAudio(const media::Audio& clip, double window_seconds, Rng& rng,
                                          const AudioAugmentOptions& options = {});

// Plays `samples` `speed` times faster (pitch moves with it) by linear interpolation: a
// cheap resampler, good enough for augmentation (media::Resample costs ~10x more). Returns at
// least one sample. speed > 0.
std::vector<float> ChangeSpeed(const std::vector<float>& samples, double speed);

// Adds white Gaussian noise at `snr_db` relative to the clip's mean power (none when silent).
void AddNoiseAtSnr(std::vector<float>& samples, double snr_db, Rng& rng);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_AUDIO_AUGMENT_H_
