// The Internet media type of a media file, recognised from its leading bytes (the same
// recognition that picks a decoder), for serving stored items over HTTP. Pure functions of
// the bytes; thread-safe.
#ifndef XMODAL_CORE_MEDIA_MEDIA_TYPE_H_
#define XMODAL_CORE_MEDIA_MEDIA_TYPE_H_

#include "absl/strings/string_view.h"

namespace xmodal::media {

enum class MediaKind { kImage, kAudio, kOther };

// kImage for JPEG, PNG and WebP, kAudio for WAV, FLAC, Ogg, MP3 and AIFF (what the decoders
// read); kOther for anything else, including images and audio they do not read.
MediaKind MediaKindOf(absl::string_view bytes);

// "image/jpeg", "image/png", "image/webp", "image/gif", "image/svg+xml", "audio/wav",
// "audio/flac", "audio/ogg", "audio/mpeg", "audio/aiff", "application/pdf", ...;
// "application/octet-stream" when the bytes are not recognised.
absl::string_view MediaTypeOf(absl::string_view bytes);

}  // namespace xmodal::media

#endif  // XMODAL_CORE_MEDIA_MEDIA_TYPE_H_
