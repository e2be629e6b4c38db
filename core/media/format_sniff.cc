#include "core/media/format_sniff.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace xmodal::media::internal {
namespace {

uint8_t ByteAt(absl::string_view bytes, size_t i) { return static_cast<uint8_t>(bytes[i]); }

bool HasPrefixAt(absl::string_view bytes, size_t offset, absl::string_view prefix) {
  return bytes.size() >= offset + prefix.size() && bytes.substr(offset, prefix.size()) == prefix;
}

// An MPEG audio frame header: 11 sync bits, a defined layer, a valid bitrate and rate index.
bool LooksLikeMpegFrame(absl::string_view bytes) {
  if (bytes.size() < 4) return false;
  const uint8_t b1 = ByteAt(bytes, 1), b2 = ByteAt(bytes, 2);
  return ByteAt(bytes, 0) == 0xFF && (b1 & 0xE0) == 0xE0 && ((b1 >> 1) & 0x3) != 0 &&
         (b2 >> 4) != 0xF && ((b2 >> 2) & 0x3) != 0x3;
}

// Text documents: skips a UTF-8 byte-order mark and leading whitespace, compares lower-case.
SniffedFormat SniffText(absl::string_view bytes) {
  if (absl::StartsWith(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  bytes = absl::StripLeadingAsciiWhitespace(bytes);
  const std::string head = absl::AsciiStrToLower(bytes.substr(0, 64));
  if (absl::StartsWith(head, "<svg") || absl::StartsWith(head, "<?xml") ||
      absl::StartsWith(head, "<!doctype svg")) {
    return SniffedFormat::kSvg;
  }
  if (absl::StartsWith(head, "<!doctype html") || absl::StartsWith(head, "<html")) {
    return SniffedFormat::kHtml;
  }
  return SniffedFormat::kUnknown;
}

// ISO base media files ("....ftyp<brand>"): HEIF/AVIF stills or MP4/QuickTime.
SniffedFormat SniffIsoBmff(absl::string_view bytes) {
  const absl::string_view brand = bytes.substr(8, 4);
  if (brand == "avif" || brand == "avis") return SniffedFormat::kAvif;
  if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1" || brand == "hevc") {
    return SniffedFormat::kHeif;
  }
  return SniffedFormat::kMp4;
}

}  // namespace

SniffedFormat SniffFormat(absl::string_view bytes) {
  if (HasPrefixAt(bytes, 0, "\xFF\xD8\xFF")) return SniffedFormat::kJpeg;
  if (HasPrefixAt(bytes, 0, "\x89PNG\r\n\x1A\n")) return SniffedFormat::kPng;
  if (HasPrefixAt(bytes, 0, "RIFF") && HasPrefixAt(bytes, 8, "WEBP")) return SniffedFormat::kWebp;
  if (HasPrefixAt(bytes, 0, "GIF87a") || HasPrefixAt(bytes, 0, "GIF89a")) {
    return SniffedFormat::kGif;
  }
  if (HasPrefixAt(bytes, 0, "BM") && bytes.size() >= 14) return SniffedFormat::kBmp;
  if (HasPrefixAt(bytes, 0, absl::string_view("II*\0", 4)) ||
      HasPrefixAt(bytes, 0, absl::string_view("MM\0*", 4))) {
    return SniffedFormat::kTiff;
  }
  if (HasPrefixAt(bytes, 0, absl::string_view("\0\0\1\0", 4))) return SniffedFormat::kIco;
  if (HasPrefixAt(bytes, 4, "ftyp") && bytes.size() >= 12) return SniffIsoBmff(bytes);
  if ((HasPrefixAt(bytes, 0, "RIFF") || HasPrefixAt(bytes, 0, "RIFX")) &&
      HasPrefixAt(bytes, 8, "WAVE")) {
    return SniffedFormat::kWav;
  }
  if (HasPrefixAt(bytes, 0, "RF64") && HasPrefixAt(bytes, 8, "WAVE")) return SniffedFormat::kWav;
  if (HasPrefixAt(bytes, 0, "fLaC")) return SniffedFormat::kFlac;
  if (HasPrefixAt(bytes, 0, "OggS")) return SniffedFormat::kOgg;
  if (HasPrefixAt(bytes, 0, "ID3") || LooksLikeMpegFrame(bytes)) return SniffedFormat::kMp3;
  if (HasPrefixAt(bytes, 0, "FORM") &&
      (HasPrefixAt(bytes, 8, "AIFF") || HasPrefixAt(bytes, 8, "AIFC"))) {
    return SniffedFormat::kAiff;
  }
  if (HasPrefixAt(bytes, 0, "%PDF")) return SniffedFormat::kPdf;
  return SniffText(bytes);
}

bool IsAudioFormat(SniffedFormat format) {
  switch (format) {
    case SniffedFormat::kWav:
    case SniffedFormat::kFlac:
    case SniffedFormat::kOgg:
    case SniffedFormat::kMp3:
    case SniffedFormat::kAiff:
      return true;
    default:
      return false;
  }
}

absl::string_view FormatName(SniffedFormat format) {
  switch (format) {
    case SniffedFormat::kUnknown:
      return "unknown";
    case SniffedFormat::kJpeg:
      return "JPEG";
    case SniffedFormat::kPng:
      return "PNG";
    case SniffedFormat::kWebp:
      return "WebP";
    case SniffedFormat::kGif:
      return "GIF";
    case SniffedFormat::kBmp:
      return "BMP";
    case SniffedFormat::kTiff:
      return "TIFF";
    case SniffedFormat::kSvg:
      return "SVG/XML";
    case SniffedFormat::kHeif:
      return "HEIF";
    case SniffedFormat::kAvif:
      return "AVIF";
    case SniffedFormat::kIco:
      return "ICO";
    case SniffedFormat::kWav:
      return "WAV";
    case SniffedFormat::kFlac:
      return "FLAC";
    case SniffedFormat::kOgg:
      return "Ogg";
    case SniffedFormat::kMp3:
      return "MP3";
    case SniffedFormat::kAiff:
      return "AIFF";
    case SniffedFormat::kMp4:
      return "MP4/QuickTime";
    case SniffedFormat::kPdf:
      return "PDF";
    case SniffedFormat::kHtml:
      return "HTML";
  }
  return "unknown";
}

std::string DescribeBytes(absl::string_view bytes) {
  if (bytes.empty()) return "empty input";
  const SniffedFormat format = SniffFormat(bytes);
  if (format == SniffedFormat::kUnknown) {
    std::string hex;
    for (size_t i = 0; i < bytes.size() && i < 8; ++i) {
      absl::StrAppend(&hex, i == 0 ? "" : " ", absl::StrFormat("%02x", ByteAt(bytes, i)));
    }
    return absl::StrCat("unrecognised bytes (starting ", hex, ")");
  }
  if (IsAudioFormat(format)) return absl::StrCat(FormatName(format), " audio");
  const bool vowel_sound = format == SniffedFormat::kSvg || format == SniffedFormat::kHtml ||
                           format == SniffedFormat::kMp4 || format == SniffedFormat::kAvif ||
                           format == SniffedFormat::kIco;
  const bool document = format == SniffedFormat::kSvg || format == SniffedFormat::kHtml ||
                        format == SniffedFormat::kPdf;
  const absl::string_view noun =
      document ? " document" : (format == SniffedFormat::kMp4 ? " container" : " image");
  return absl::StrCat(vowel_sound ? "an " : "a ", FormatName(format), noun);
}

}  // namespace xmodal::media::internal
