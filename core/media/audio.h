// Audio decoding from untrusted bytes (WAV, FLAC, Ogg/Vorbis, MP3 through libsndfile) with
// caps on duration, channels and rate checked before the samples are read; resampling.
#ifndef XMODAL_CORE_MEDIA_AUDIO_H_
#define XMODAL_CORE_MEDIA_AUDIO_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace xmodal::media {

// Mono samples in [-1, 1].
struct Audio {
  int sample_rate = 0;
  std::vector<float> samples;
  double duration_seconds() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

enum class AudioContainer { kWav, kFlac, kOgg };

struct AudioLimits {
  int64_t max_bytes = 256 << 20;  // encoded size
  double max_seconds = 3600.0;    // as the header claims it
  int max_channels = 16;
  int max_sample_rate = 384'000;
};

// Decodes and downmixes to mono (mean of the channels). Errors: INVALID_ARGUMENT for empty,
// unsupported, corrupt or truncated data and for a stream with no samples (the message says
// what failed); RESOURCE_EXHAUSTED when the encoded size, duration, channels or rate exceed
// `limits`. Thread-safe; never throws.
absl::StatusOr<Audio> DecodeAudio(absl::string_view bytes, const AudioLimits& limits = {});

// Band-limited resampling (libsamplerate, best quality). Returns the input unchanged when
// the rates are equal. INVALID_ARGUMENT for a rate <= 0.
absl::StatusOr<std::vector<float>> Resample(const std::vector<float>& samples, int from_rate,
                                            int to_rate);

// Encodes mono audio (16-bit PCM for WAV and FLAC, Vorbis quality 0.5 for Ogg); used by tests
// and tools. INVALID_ARGUMENT for an empty clip or a bad rate.
absl::StatusOr<std::string> EncodeAudio(const Audio& audio, AudioContainer container);

}  // namespace xmodal::media

#endif  // XMODAL_CORE_MEDIA_AUDIO_H_
