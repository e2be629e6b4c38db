#include "trainer/train/image_augment.h"

#include <cmath>
#include <numbers>
#include <string>

#include "core/base/status_macros.h"
#include "trainer/train/image_ops.h"

namespace xmodal::train {

TrainingImage MakeTrainingImage(const media::Image& full, int shorter_side) {
  TrainingImage t;
  t.image = ShrinkToShorterSide(full, shorter_side);
  t.background = BackgroundMask(t.image);
  return t;
}

absl::StatusOr<media::Image> AugmentImage(const TrainingImage& src, Rng& rng,
                                          const ImageAugmentOptions& options) {
  std::array<uint8_t, 3> background = {255, 255, 255};
  media::Image image = src.image;
  if (rng.Bernoulli(options.p_background)) {
    for (uint8_t& c : background) c = static_cast<uint8_t>(rng.UniformInt(256));
    FillBackground(image, src.background, background);
  }
  AffineParams affine;
  affine.rotation_radians =
      rng.Uniform(-options.max_rotation_degrees, options.max_rotation_degrees) * std::numbers::pi /
      180.0;
  const double scale =
      std::exp(rng.Uniform(std::log(options.min_scale), std::log(options.max_scale)));
  const double aspect =
      std::exp(rng.Uniform(-std::log(options.max_aspect), std::log(options.max_aspect)));
  affine.scale_x = scale * std::sqrt(aspect);
  affine.scale_y = scale / std::sqrt(aspect);
  affine.shift_x = rng.Uniform(-options.max_shift, options.max_shift) * image.width;
  affine.shift_y = rng.Uniform(-options.max_shift, options.max_shift) * image.height;
  image = WarpAffine(image, affine, background);

  ColourParams colour;
  colour.brightness = rng.Uniform(1 - options.brightness, 1 + options.brightness);
  colour.contrast = rng.Uniform(1 - options.contrast, 1 + options.contrast);
  const double hue_degrees = rng.Bernoulli(options.p_any_hue)
                                 ? rng.Uniform(-180, 180)
                                 : rng.Uniform(-options.hue_degrees, options.hue_degrees);
  colour.hue_radians = hue_degrees * std::numbers::pi / 180.0;
  AdjustColour(image, colour);

  if (rng.Bernoulli(options.p_jpeg)) {
    const int quality = options.jpeg_quality_min +
                        rng.UniformInt(options.jpeg_quality_max - options.jpeg_quality_min + 1);
    XM_ASSIGN_OR_RETURN(const std::string jpeg, media::EncodeJpeg(image, quality));
    XM_ASSIGN_OR_RETURN(image, media::DecodeImage(jpeg));
  }
  return image;
}

}  // namespace xmodal::train
