// Internal to xmodal_media: what DecodeAudio checks in the container bytes before libsndfile
// sees them. libsndfile quietly clamps a WAV's length to the bytes present and plays a cut Ogg
// stream up to the cut, so truncation is detected here; Ogg page checksums are verified here
// too, so that damaged pages never reach libvorbis's leaky error paths. Pure functions;
// thread-safe.
#ifndef XMODAL_CORE_MEDIA_AUDIO_CONTAINER_H_
#define XMODAL_CORE_MEDIA_AUDIO_CONTAINER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/media/format_sniff.h"

namespace xmodal::media::internal {

struct AudioContainerFacts {
  SniffedFormat format = SniffedFormat::kUnknown;  // kWav, kFlac, kOgg, kMp3 or kAiff.
  // Size of the data chunk as a little-endian RIFF WAV header claims it; -1 when unknown (not
  // RIFF WAV, no data chunk in reach, or a streaming placeholder of 0 or 0xFFFFFFFF).
  int64_t wav_data_bytes = -1;
};

// INVALID_ARGUMENT "unsupported or corrupt audio: the bytes look like a PNG image; ..." for
// anything but WAV, FLAC, Ogg, MP3 and AIFF; for Ogg, "truncated Ogg: ..." when the last page
// is incomplete or lacks the end-of-stream flag and "corrupt Ogg: ..." when the pages do not
// tile the data or a page checksum is wrong.
absl::StatusOr<AudioContainerFacts> InspectAudioContainer(absl::string_view bytes);

}  // namespace xmodal::media::internal

#endif  // XMODAL_CORE_MEDIA_AUDIO_CONTAINER_H_
