#include "server/thumbnail.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/media/image_resize.h"

namespace xmodal::server {

absl::StatusOr<Thumbnail> MakeThumbnail(absl::string_view image_file_bytes, int size,
                                        const media::ImageLimits& limits) {
  // Checked before the decode, which is the expensive part.
  if (size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("the thumbnail size must be at least 1 pixel; got ", size));
  }
  absl::StatusOr<media::Image> small;
  {
    // The full-size pixels go before the encode.
    absl::StatusOr<media::Image> image = media::DecodeImage(image_file_bytes, limits);
    if (!image.ok()) return image.status();
    small = media::DownscaleToFit(*image, size);
  }
  if (!small.ok()) return small.status();
  absl::StatusOr<std::string> jpeg = media::EncodeJpeg(*small, kThumbnailJpegQuality);
  if (!jpeg.ok()) return jpeg.status();
  return Thumbnail{std::move(*jpeg), "image/jpeg"};
}

}  // namespace xmodal::server
