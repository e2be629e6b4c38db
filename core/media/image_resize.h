// Downscaling of decoded images, for thumbnails.
#ifndef XMODAL_CORE_MEDIA_IMAGE_RESIZE_H_
#define XMODAL_CORE_MEDIA_IMAGE_RESIZE_H_

#include "absl/status/statusor.h"
#include "core/media/image.h"

namespace xmodal::media {

// Shrinks `image` so that neither side exceeds `max_side`, keeping the aspect ratio: the longer
// side becomes `max_side` and the shorter one is scaled by the same factor and rounded to the
// nearest pixel, but never below 1 (1000x10 to 100 gives 100x1, 1000x3 to 100 gives 100x1).
// The filter is an exact area average (box filter): each output pixel is the mean of the source
// area it covers, source pixels on its edges counted by the fraction covered, so every source
// pixel contributes whatever the reduction factor (no aliasing at 100:1). Channel means are
// rounded to the nearest value. Never upscales: an image whose sides are both within `max_side`
// is returned unchanged (a copy).
//
// Errors: INVALID_ARGUMENT when max_side < 1, or when the image is empty or inconsistent (a side
// below 1, or rgb.size() != width * height * 3). Memory beyond the result: a few output rows.
// Thread-safe (no shared state); never throws.
absl::StatusOr<Image> DownscaleToFit(const Image& image, int max_side);

}  // namespace xmodal::media

#endif  // XMODAL_CORE_MEDIA_IMAGE_RESIZE_H_
