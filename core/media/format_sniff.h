// Internal to xmodal_media: recognises media containers from their first bytes, to pick a
// decoder and to name unsupported input in error messages ("looks like a GIF image").
// Pure functions of the bytes; thread-safe.
#ifndef XMODAL_CORE_MEDIA_FORMAT_SNIFF_H_
#define XMODAL_CORE_MEDIA_FORMAT_SNIFF_H_

#include <string>

#include "absl/strings/string_view.h"

namespace xmodal::media::internal {

enum class SniffedFormat {
  kUnknown,
  // Images we decode.
  kJpeg,
  kPng,
  kWebp,
  // Images we recognise but do not decode.
  kGif,
  kBmp,
  kTiff,
  kSvg,
  kHeif,
  kAvif,
  kIco,
  // Audio we decode (through libsndfile).
  kWav,
  kFlac,
  kOgg,
  kMp3,
  kAiff,
  // Other documents that are commonly mistaken for media.
  kMp4,
  kPdf,
  kHtml,
};

// The format the leading bytes announce; kUnknown when nothing matches (including empty input).
SniffedFormat SniffFormat(absl::string_view bytes);

// True for kWav, kFlac, kOgg, kMp3, kAiff.
bool IsAudioFormat(SniffedFormat format);

// Short name for messages: "JPEG", "GIF", "SVG/XML", "WAV", "MP3", ...; "unknown" for kUnknown.
absl::string_view FormatName(SniffedFormat format);

// What the bytes look like, for error messages: "a GIF image", "WAV audio", "an SVG/XML
// document", or "unrecognised bytes (starting 74 68 69 73)" / "empty input".
std::string DescribeBytes(absl::string_view bytes);

}  // namespace xmodal::media::internal

#endif  // XMODAL_CORE_MEDIA_FORMAT_SNIFF_H_
