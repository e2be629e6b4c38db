// Thumbnails of indexed images, as the HTTP API serves them (GET /v1/items/{id}/thumbnail).
#ifndef XMODAL_SERVER_THUMBNAIL_H_
#define XMODAL_SERVER_THUMBNAIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/media/image.h"

namespace xmodal::server {

// An encoded thumbnail, ready to send.
struct Thumbnail {
  std::string bytes;
  std::string content_type;  // e.g. "image/jpeg"
};

// The JPEG quality of MakeThumbnail.
inline constexpr int kThumbnailJpegQuality = 85;

// Decodes `image_file_bytes` (JPEG, PNG or WebP, within `limits`), shrinks it so that neither
// side exceeds `size` pixels, keeping the aspect ratio (media::DownscaleToFit: an area average;
// never upscales, so a small image keeps its size), and encodes it as JPEG at
// kThumbnailJpegQuality: content_type "image/jpeg".
//
// Errors: INVALID_ARGUMENT when size < 1 and for data DecodeImage refuses (unsupported, corrupt,
// dimensions past `limits`); RESOURCE_EXHAUSTED when the file exceeds limits.max_bytes or memory
// runs out. Cost: a full decode of the original; callers cache the result (thumbnail_cache.h).
// Thread-safe; never throws.
absl::StatusOr<Thumbnail> MakeThumbnail(absl::string_view image_file_bytes, int size,
                                        const media::ImageLimits& limits);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_THUMBNAIL_H_
