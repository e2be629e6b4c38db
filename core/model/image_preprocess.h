// Image preprocessing for the image encoder: resize (and centre-crop) to the model's square
// input, scale to [0, 1], normalise with the model's mean and std, lay out as CHW floats.
// Pure C++, thread-safe, no LibTorch.
#ifndef XMODAL_CORE_MODEL_IMAGE_PREPROCESS_H_
#define XMODAL_CORE_MODEL_IMAGE_PREPROCESS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "core/media/image.h"
#include "core/model/model_manifest.h"

namespace xmodal::model {

// Returns 3 * spec.size * spec.size floats, channel after channel (R, G, B), row-major.
//  "shorter_side": scale so the shorter side equals `size` (the other side rounds to the
//                  nearest pixel), then take the centred size x size window (offset
//                  floor((side - size) / 2)).
//  "stretch":      scale each axis to `size`.
// For these two, resampling is a separable triangle (bilinear) filter whose support widens by
// the down-scaling factor (antialiasing), as PIL's BILINEAR; pixel centres are at +0.5,
// computed in float.
//  "bicubic_shorter_side": CLIP's torchvision transform, Resize(size, BICUBIC) of a PIL image
//                  + CenterCrop(size): the shorter side becomes `size`, the longer
//                  int(size * longer / shorter) (truncated); the window's offset is
//                  round((side - size) / 2) with ties to even; the pixels are exactly Pillow's
//                  8-bit BICUBIC result (pil_resample.h). `crop` is taken as "center".
// Only the output window is computed, so large inputs cost O(height * size) work.
// Then value = (pixel / 255 - mean[c]) / std[c].
// INVALID_ARGUMENT for an empty image or one whose rgb size is not width * height * 3, and
// for an image so elongated that its resized longer side would exceed 2^30 pixels.
absl::StatusOr<std::vector<float>> PreprocessImage(const ImageSpec& spec,
                                                   const media::Image& image);

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_IMAGE_PREPROCESS_H_
