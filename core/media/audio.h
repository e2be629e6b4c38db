// Audio decoding from untrusted bytes (WAV, FLAC, Ogg/Vorbis, MP3 through libsndfile) with
// caps on duration, channels and rate checked before the samples are read; resampling.
#ifndef XMODAL_CORE_MEDIA_AUDIO_H_
#define XMODAL_CORE_MEDIA_AUDIO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

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

// Decodes and downmixes to mono (mean of the channels). Accepts WAV (RIFF, RF64), FLAC, Ogg
// (Vorbis, Opus), MP3 and AIFF. Errors: INVALID_ARGUMENT for empty, unsupported, corrupt or
// truncated data (a WAV/FLAC/MP3 yielding far fewer frames than its header claims, an Ogg
// stream without its end-of-stream page) and for a stream with no samples (the message says
// what failed), and when the duration, channels or rate the header claims exceed `limits`
// (checked before samples are read; the duration again while decoding); RESOURCE_EXHAUSTED
// when the encoded size exceeds `limits.max_bytes`. Thread-safe; never throws.
absl::StatusOr<Audio> DecodeAudio(absl::string_view bytes, const AudioLimits& limits = {});

// Band-limited resampling (libsamplerate's SRC_SINC_FASTEST: 97 dB SNR, 80% of the band
// kept). Returns the input unchanged when the rates are equal or it is empty. INVALID_ARGUMENT
// for a rate <= 0 or a ratio outside [1/256, 256]. Thread-safe.
absl::StatusOr<std::vector<float>> Resample(const std::vector<float>& samples, int from_rate,
                                            int to_rate);

// Encodes mono audio (16-bit PCM for WAV and FLAC, Vorbis quality 0.5 for Ogg); used by tests
// and tools. INVALID_ARGUMENT for an empty clip or a bad rate.
absl::StatusOr<std::string> EncodeAudio(const Audio& audio, AudioContainer container);

}  // namespace xmodal::media

#endif  // XMODAL_CORE_MEDIA_AUDIO_H_
