// Image decoding from untrusted bytes (JPEG, PNG, WebP) with size caps checked before any
// pixel buffer is allocated, and encoding for tests, augmentation and corpus tools.
#ifndef XMODAL_CORE_MEDIA_IMAGE_H_
#define XMODAL_CORE_MEDIA_IMAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::media {

// 8-bit RGB, row-major, no padding: rgb.size() == width * height * 3.
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;
};

enum class ImageFormat { kJpeg, kPng, kWebp };

struct ImageLimits {
  int64_t max_bytes = 64 << 20;     // encoded size
  int64_t max_pixels = 40'000'000;  // width * height as the header claims it
  int max_side = 20'000;            // width or height
};

// Recognises the format from the magic bytes. INVALID_ARGUMENT "unsupported image format"
// (naming what the bytes look like when known, e.g. GIF, BMP, SVG) otherwise.
absl::StatusOr<ImageFormat> SniffImageFormat(absl::string_view bytes);

// Decodes to RGB; alpha is composited onto white, grey is expanded, 16-bit is reduced.
// Errors: INVALID_ARGUMENT for empty, unsupported, corrupt or truncated data (the message names
// the format and what failed) and when the dimensions in the header exceed `limits` (checked
// before any pixel buffer is allocated: "image header claims 100000x100000 pixels; the limit is
// 40000000"); RESOURCE_EXHAUSTED when the encoded size exceeds `limits.max_bytes` or memory
// runs out. Thread-safe; never throws, never aborts on bad input.
absl::StatusOr<Image> DecodeImage(absl::string_view bytes, const ImageLimits& limits = {});

// Encoders (lossless PNG; JPEG with quality 1-100). INVALID_ARGUMENT for an empty or
// inconsistent image.
absl::StatusOr<std::string> EncodePng(const Image& image);
absl::StatusOr<std::string> EncodeJpeg(const Image& image, int quality = 90);

}  // namespace xmodal::media

#endif  // XMODAL_CORE_MEDIA_IMAGE_H_
