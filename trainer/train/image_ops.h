// Pixel operations of the trainer's image pipeline on media::Image (8-bit RGB): antialiased
// resizing, the background mask of a stamp, an affine warp, colour jitter. Pure functions;
// thread-safe. Preconditions (CHECKed, programmer errors): images are non-empty and
// consistent (rgb.size() == width * height * 3).
#ifndef XMODAL_TRAINER_TRAIN_IMAGE_OPS_H_
#define XMODAL_TRAINER_TRAIN_IMAGE_OPS_H_

#include <array>
#include <cstdint>
#include <vector>

#include "core/media/image.h"

namespace xmodal::train {

// Resizes to width x height with a separable triangle filter whose support widens with the
// down-scaling factor (antialiased, as PIL's BILINEAR). width, height >= 1.
media::Image ResizeImage(const media::Image& image, int width, int height);

// Scales so that the shorter side is `shorter_side` (only ever down: smaller images are kept).
media::Image ShrinkToShorterSide(const media::Image& image, int shorter_side);

// 1 for each pixel that is near-white (every channel >= `threshold`) and connected
// (4-neighbourhood) to the image border through near-white pixels: the transparent area
// that the corpus composited over white. 0 elsewhere (white inside the drawing stays).
std::vector<uint8_t> BackgroundMask(const media::Image& image, int threshold = 235);

// Replaces the masked pixels by `colour`.
void FillBackground(media::Image& image, const std::vector<uint8_t>& mask,
                    std::array<uint8_t, 3> colour);

struct AffineParams {
  double rotation_radians = 0;
  double scale_x = 1, scale_y = 1;  // > 1 zooms in (crops), < 1 zooms out
  double shift_x = 0, shift_y = 0;  // in pixels
};

// Warps about the image centre (same size out), bilinear; pixels mapped from outside the
// source get `fill`.
media::Image WarpAffine(const media::Image& image, const AffineParams& params,
                        std::array<uint8_t, 3> fill);

struct ColourParams {
  double brightness = 1;   // multiplies every channel
  double contrast = 1;     // scales the distance to the mean luminance
  double hue_radians = 0;  // rotation of the chroma plane (YIQ); greys stay grey
};

void AdjustColour(media::Image& image, const ColourParams& params);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_IMAGE_OPS_H_
