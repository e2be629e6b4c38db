// WebP decoding with libwebp: WebPGetFeatures for the header (dimensions checked before the
// pixel buffer exists), then WebPDecode straight into our buffer. Still images only.
#include <webp/decode.h>

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "core/media/image_internal.h"

namespace xmodal::media::internal {
namespace {

absl::string_view StatusName(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OK:
      return "ok";
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
      return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
      return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "unsupported feature";
    case VP8_STATUS_SUSPENDED:
      return "suspended";
    case VP8_STATUS_USER_ABORT:
      return "aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return "not enough data";
  }
  return "unknown error";
}

absl::Status WebpFailure(VP8StatusCode status, absl::string_view stage) {
  switch (status) {
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return absl::InvalidArgumentError(
          absl::StrCat("truncated WebP: the data ends inside the ", stage));
    case VP8_STATUS_OUT_OF_MEMORY:
      return absl::ResourceExhaustedError("out of memory decoding WebP");
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("corrupt WebP: ", StatusName(status), " in the ", stage));
  }
}

}  // namespace

absl::StatusOr<Image> DecodeWebp(absl::string_view bytes, const ImageLimits& limits) {
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  WebPBitstreamFeatures features;
  VP8StatusCode status = WebPGetFeatures(data, bytes.size(), &features);
  if (status != VP8_STATUS_OK) return WebpFailure(status, "header");
  if (features.has_animation) {
    return absl::InvalidArgumentError("unsupported WebP: animated WebP is not supported");
  }
  absl::Status checked = CheckImageDimensions("WebP", features.width, features.height, limits);
  if (!checked.ok()) return checked;

  const bool alpha = features.has_alpha != 0;
  const size_t channels = alpha ? 4 : 3;
  Image image;
  image.width = features.width;
  image.height = features.height;
  image.rgb.resize(static_cast<size_t>(image.width) * image.height * channels);

  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) {
    return absl::InternalError("libwebp version mismatch in WebPInitDecoderConfig");
  }
  config.options.use_threads = 0;
  config.output.colorspace = alpha ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = image.rgb.data();
  config.output.u.RGBA.stride = static_cast<int>(image.width * channels);
  config.output.u.RGBA.size = image.rgb.size();
  status = WebPDecode(data, bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);  // Frees nothing we own; required by the API.
  if (status != VP8_STATUS_OK) return WebpFailure(status, "image data");
  if (alpha) CompositeRgbaOverWhite(image.rgb);
  return image;
}

}  // namespace xmodal::media::internal
