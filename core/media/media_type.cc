#include "core/media/media_type.h"

#include "core/media/format_sniff.h"

namespace xmodal::media {

using internal::SniffedFormat;

MediaKind MediaKindOf(absl::string_view bytes) {
  const SniffedFormat format = internal::SniffFormat(bytes);
  switch (format) {
    case SniffedFormat::kJpeg:
    case SniffedFormat::kPng:
    case SniffedFormat::kWebp:
      return MediaKind::kImage;
    default:
      return internal::IsAudioFormat(format) ? MediaKind::kAudio : MediaKind::kOther;
  }
}

absl::string_view MediaTypeOf(absl::string_view bytes) {
  switch (internal::SniffFormat(bytes)) {
    case SniffedFormat::kJpeg:
      return "image/jpeg";
    case SniffedFormat::kPng:
      return "image/png";
    case SniffedFormat::kWebp:
      return "image/webp";
    case SniffedFormat::kGif:
      return "image/gif";
    case SniffedFormat::kBmp:
      return "image/bmp";
    case SniffedFormat::kTiff:
      return "image/tiff";
    case SniffedFormat::kSvg:
      return "image/svg+xml";
    case SniffedFormat::kHeif:
      return "image/heif";
    case SniffedFormat::kAvif:
      return "image/avif";
    case SniffedFormat::kIco:
      return "image/vnd.microsoft.icon";
    case SniffedFormat::kWav:
      return "audio/wav";
    case SniffedFormat::kFlac:
      return "audio/flac";
    case SniffedFormat::kOgg:
      return "audio/ogg";
    case SniffedFormat::kMp3:
      return "audio/mpeg";
    case SniffedFormat::kAiff:
      return "audio/aiff";
    case SniffedFormat::kMp4:
      return "video/mp4";
    case SniffedFormat::kPdf:
      return "application/pdf";
    case SniffedFormat::kHtml:
      return "text/html";
    case SniffedFormat::kUnknown:
      break;
  }
  return "application/octet-stream";
}

}  // namespace xmodal::media
