// DecodeImage and SniffImageFormat: size cap, format dispatch and the checks shared by the
// per-format decoders (jpeg_decoder.cc, png_decoder.cc, webp_decoder.cc).
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/media/format_sniff.h"
#include "core/media/image.h"
#include "core/media/image_internal.h"

namespace xmodal::media {
namespace internal {

absl::Status CheckImageDimensions(absl::string_view format, int64_t width, int64_t height,
                                  const ImageLimits& limits) {
  if (width <= 0 || height <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("corrupt ", format, ": header claims ", width, "x", height, " pixels"));
  }
  // Both sides are below 2^32 for every format we decode, so the product cannot overflow.
  if (width * height > limits.max_pixels) {
    return absl::InvalidArgumentError(absl::StrCat("image header claims ", width, "x", height,
                                                   " pixels; the limit is ", limits.max_pixels));
  }
  if (width > limits.max_side || height > limits.max_side) {
    return absl::InvalidArgumentError(absl::StrCat("image header claims ", width, "x", height,
                                                   " pixels; the limit is ", limits.max_side,
                                                   " pixels per side"));
  }
  return absl::OkStatus();
}

void CompositeRgbaOverWhite(std::vector<uint8_t>& pixels) {
  const size_t count = pixels.size() / 4;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* src = &pixels[4 * i];
    const unsigned alpha = src[3];
    uint8_t rgb[3];
    for (int c = 0; c < 3; ++c) {
      rgb[c] = static_cast<uint8_t>((src[c] * alpha + 255u * (255u - alpha) + 127u) / 255u);
    }
    // Writing at 3i never overtakes reading at 4i.
    pixels[3 * i] = rgb[0];
    pixels[3 * i + 1] = rgb[1];
    pixels[3 * i + 2] = rgb[2];
  }
  pixels.resize(count * 3);
  pixels.shrink_to_fit();
}

absl::Status ValidateImageForEncoding(const Image& image, absl::string_view format, int max_side) {
  if (image.width <= 0 || image.height <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("cannot encode an empty ", image.width, "x",
                                                   image.height, " image as ", format));
  }
  if (image.width > max_side || image.height > max_side) {
    return absl::InvalidArgumentError(absl::StrCat("cannot encode a ", image.width, "x",
                                                   image.height, " image as ", format,
                                                   "; the limit is ", max_side, " per side"));
  }
  const uint64_t expected = static_cast<uint64_t>(image.width) * image.height * 3;
  if (image.rgb.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("inconsistent image: ", image.width, "x",
                                                   image.height, " RGB needs ", expected,
                                                   " bytes but has ", image.rgb.size()));
  }
  return absl::OkStatus();
}

}  // namespace internal

absl::StatusOr<ImageFormat> SniffImageFormat(absl::string_view bytes) {
  switch (internal::SniffFormat(bytes)) {
    case internal::SniffedFormat::kJpeg:
      return ImageFormat::kJpeg;
    case internal::SniffedFormat::kPng:
      return ImageFormat::kPng;
    case internal::SniffedFormat::kWebp:
      return ImageFormat::kWebp;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unsupported image format: the bytes look like ",
                       internal::DescribeBytes(bytes), "; supported are JPEG, PNG and WebP"));
  }
}

absl::StatusOr<Image> DecodeImage(absl::string_view bytes, const ImageLimits& limits) {
  if (bytes.empty()) return absl::InvalidArgumentError("image data is empty");
  if (static_cast<int64_t>(bytes.size()) > limits.max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("encoded image is ", bytes.size(), " bytes; the limit is ", limits.max_bytes));
  }
  auto format = SniffImageFormat(bytes);
  if (!format.ok()) return format.status();
  switch (*format) {
    case ImageFormat::kJpeg:
      return internal::DecodeJpeg(bytes, limits);
    case ImageFormat::kPng:
      return internal::DecodePng(bytes, limits);
    case ImageFormat::kWebp:
      return internal::DecodeWebp(bytes, limits);
  }
  return absl::InternalError("unhandled image format");
}

}  // namespace xmodal::media
