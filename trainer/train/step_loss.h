// The loss of one training step: symmetric InfoNCE (contrastive_loss.h) over the pairs of a
// StepBatch: text-image (main rows), spoken description-image (main rows with speech),
// sound effect-image and English text-sound effect (sound rows). A pair whose batch has
// fewer than two rows is skipped (its loss is reported as 0 and not counted).
// When the towers have group prototypes, every embedding of the batch (all modalities) is
// also classified against all prototypes by its group (cross-entropy of scale * e P^T): an
// auxiliary term that gives each step every group as a negative, where the pairs only see
// the batch's; the prototypes tie the modalities to one anchor per group.
#ifndef XMODAL_TRAINER_TRAIN_STEP_LOSS_H_
#define XMODAL_TRAINER_TRAIN_STEP_LOSS_H_

#include <torch/torch.h>

#include <array>

#include "trainer/train/batch_builder.h"
#include "trainer/train/towers.h"

namespace xmodal::train {

enum LossPart {
  kTextImage = 0,
  kSpeechImage = 1,
  kSoundImage = 2,
  kTextSound = 3,
  kImageGroups = 4,  // the prototype terms, one per tower
  kTextGroups = 5,
  kAudioGroups = 6,
  kSpeechFingerprint = 7  // an augmented clip against its clean first segment; sounds apart
};
inline constexpr int kNumLossParts = 8;
inline constexpr std::array<const char*, kNumLossParts> kLossPartNames = {
    "text-image",   "speech-image", "sound-image",  "text-sound",
    "image-groups", "text-groups",  "audio-groups", "speech-fingerprint"};

struct StepLoss {
  torch::Tensor total;  // scalar, differentiable: the sum of the parts present
  std::array<double, kNumLossParts> parts{};  // each part's value (0 when skipped)
  std::array<bool, kNumLossParts> present{};
};

// Runs the towers on `batch` (one forward per tower) and returns the losses.
StepLoss ComputeStepLoss(const TowersImpl& towers, const StepBatch& batch);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_STEP_LOSS_H_
