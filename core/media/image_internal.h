// Internal to xmodal_media: the per-format decoders behind DecodeImage and the checks and
// pixel helpers they share. Every function is thread-safe and never throws.
#ifndef XMODAL_CORE_MEDIA_IMAGE_INTERNAL_H_
#define XMODAL_CORE_MEDIA_IMAGE_INTERNAL_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/media/image.h"

namespace xmodal::media::internal {

// Checks the dimensions a header claims, before any pixel buffer exists. INVALID_ARGUMENT
// ("corrupt PNG: header claims 0x7 pixels") for a non-positive side, and
// ("image header claims 100000x100000 pixels; the limit is 40000000") past `limits`.
absl::Status CheckImageDimensions(absl::string_view format, int64_t width, int64_t height,
                                  const ImageLimits& limits);

// Converts interleaved RGBA (width * height * 4 bytes) to RGB composited over white, in place;
// the vector shrinks to width * height * 3.
void CompositeRgbaOverWhite(std::vector<uint8_t>& pixels);

// INVALID_ARGUMENT unless 0 < width, height <= max_side and rgb.size() == width * height * 3.
absl::Status ValidateImageForEncoding(const Image& image, absl::string_view format, int max_side);

// Format decoders: `bytes` is non-empty, within limits.max_bytes and starts with the format's
// magic. Errors as documented for DecodeImage.
absl::StatusOr<Image> DecodeJpeg(absl::string_view bytes, const ImageLimits& limits);
absl::StatusOr<Image> DecodePng(absl::string_view bytes, const ImageLimits& limits);
absl::StatusOr<Image> DecodeWebp(absl::string_view bytes, const ImageLimits& limits);

}  // namespace xmodal::media::internal

#endif  // XMODAL_CORE_MEDIA_IMAGE_INTERNAL_H_
