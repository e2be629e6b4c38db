// Pillow's resampling of 8-bit RGB images with the BICUBIC filter (libImaging/Resample.c,
// ImagingResample), reproduced to the byte, and the geometry of torchvision's
// Resize(size) + CenterCrop(size), so that CLIP-style encoders see the pixels their reference
// preprocessing produces. Pure C++, thread-safe (no shared state).
#ifndef XMODAL_CORE_MODEL_PIL_RESAMPLE_H_
#define XMODAL_CORE_MODEL_PIL_RESAMPLE_H_

#include "absl/status/statusor.h"
#include "core/media/image.h"

namespace xmodal::model {

// A window of a resized image: the image is resized to resized_width x resized_height and
// only the pixels [left, left + width) x [top, top + height) of that result are kept.
struct ResizeWindow {
  int resized_width = 0;
  int resized_height = 0;
  int left = 0;
  int top = 0;
  int width = 0;
  int height = 0;
};

// torchvision's Resize(size) with an int size followed by CenterCrop(size), for a
// width x height image: the shorter side becomes `size` and the longer
// int(size * longer / shorter) (truncated, as Python's int()); the crop is size x size at
// left = int(round((resized_width - size) / 2.0)), likewise top, with Python's round (half to
// even). E.g. 640x360, 224 -> resized 398x224, left 87, top 0.
// INVALID_ARGUMENT when width, height or size is not positive, or when the longer side would
// exceed 2^30 pixels ("image of 1x300000 pixels is too elongated to resize").
absl::StatusOr<ResizeWindow> ShorterSideCenterWindow(int width, int height, int size);

// The window of Pillow's `image.resize((resized_width, resized_height), Image.BICUBIC)` for an
// RGB image, byte for byte: cubic convolution with a = -0.5 and support 2, widened by the
// down-scaling factor (antialiasing); per output pixel the taps are normalised to sum 1 and
// rounded (half away from zero) to fixed point with 22 fractional bits; each sum starts at
// 2^21 and gives clamp(sum >> 22, 0, 255). Horizontal pass first into an 8-bit intermediate,
// then vertical; an axis whose size does not change is not resampled. Only the window's
// columns and the source rows its rows read are computed: O(rows read * window.width) work.
// Returns a window.width x window.height image.
// INVALID_ARGUMENT for an empty image, one whose rgb size is not width * height * 3, a
// non-positive resized or window size, or a window not inside the resized image.
absl::StatusOr<media::Image> PilBicubicResize(const media::Image& image,
                                              const ResizeWindow& window);

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_PIL_RESAMPLE_H_
