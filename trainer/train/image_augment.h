// Training-time image augmentation (never used at serving time), applied to the raw stamp
// image before the model's own preprocessing (core/model/image_preprocess.h): random
// background colour behind the stamp, rotation, scale (zoom in = crop, zoom out), aspect and
// position jitter, brightness / contrast / hue jitter and JPEG re-encoding artefacts.
// Deliberately absent, because xmodal-eval holds them out: greyscale, blur, pixelation and
// additive noise. Thread-safe (one Rng per call).
#ifndef XMODAL_TRAINER_TRAIN_IMAGE_AUGMENT_H_
#define XMODAL_TRAINER_TRAIN_IMAGE_AUGMENT_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/media/image.h"
#include "trainer/train/rng.h"

namespace xmodal::train {

// A stamp image as the trainer keeps it in memory: shrunk once (ShrinkToShorterSide) and
// with its background mask (BackgroundMask).
struct TrainingImage {
  media::Image image;
  std::vector<uint8_t> background;
};

TrainingImage MakeTrainingImage(const media::Image& full, int shorter_side);

struct ImageAugmentOptions {
  double max_rotation_degrees = 15;
  double min_scale = 0.75;  // zoom out: a margin of background appears
  double max_scale = 1.25;  // zoom in: the borders are cropped
  double max_aspect = 1.12;
  double max_shift = 0.08;    // of each side
  double p_background = 0.3;  // a random background colour instead of white
  double brightness = 0.25;   // factor in [1 - b, 1 + b]
  double contrast = 0.3;      // factor in [1 - c, 1 + c]
  double hue_degrees = 25;    // usual hue rotation range (+-)
  double p_any_hue = 0.15;    // else any hue rotation
  double p_jpeg = 0.3;        // re-encode as JPEG with a quality in [min, max]
  int jpeg_quality_min = 20;
  int jpeg_quality_max = 90;
};

// The augmented image (same size as `src.image`). Errors only from the JPEG round trip
// (media::EncodeJpeg / DecodeImage), which should not fail on a valid image.
absl::StatusOr<media::Image> AugmentImage(const TrainingImage& src, Rng& rng,
                                          const ImageAugmentOptions& options = {});

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_IMAGE_AUGMENT_H_
