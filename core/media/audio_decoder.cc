// DecodeAudio: container checks (audio_container.h), libsndfile on memory (sndfile_io.h),
// header caps before any sample is read, then a chunked read that downmixes to mono.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/base/status_macros.h"
#include "core/media/audio.h"
#include "core/media/audio_container.h"
#include "core/media/sndfile_io.h"

namespace xmodal::media {
namespace {

using internal::AudioContainerFacts;

constexpr sf_count_t kChunkFrames = 4096;
// At most this many output samples are reserved from a header's claim (the rest grows).
constexpr int64_t kMaxReservedFrames = int64_t{1} << 24;
// Fewer frames than claimed by more than both of these means truncated or corrupt data. The
// slack absorbs encoder padding and estimated MP3 lengths; a cut file misses far more.
constexpr double kTruncationSlackFraction = 0.02;
constexpr int64_t kTruncationSlackFrames = 2048;

// Bytes per sample of the uncompressed subtypes (whose WAV data size gives the length), else 0.
int BytesPerSample(int format) {
  switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_ULAW:
    case SF_FORMAT_ALAW:
      return 1;
    case SF_FORMAT_PCM_16:
      return 2;
    case SF_FORMAT_PCM_24:
      return 3;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
      return 4;
    case SF_FORMAT_DOUBLE:
      return 8;
    default:
      return 0;
  }
}

// Frames the header claims, or -1 when it does not say. libsndfile clamps a WAV's length to
// the bytes present, so for WAV the data chunk's own size counts too.
int64_t ClaimedFrames(const SF_INFO& info, const AudioContainerFacts& facts) {
  int64_t claimed = info.frames > 0 && info.frames < SF_COUNT_MAX ? info.frames : -1;
  const int bytes_per_sample = BytesPerSample(info.format);
  if (facts.wav_data_bytes > 0 && bytes_per_sample > 0 && info.channels > 0) {
    claimed = std::max(claimed, facts.wav_data_bytes / (int64_t{bytes_per_sample} * info.channels));
  }
  return claimed;
}

absl::Status CheckHeader(const SF_INFO& info, int64_t claimed_frames, absl::string_view name,
                         const AudioLimits& limits) {
  if (info.channels <= 0 || info.samplerate <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("corrupt ", name, ": header claims ",
                                                   info.channels, " channels at ", info.samplerate,
                                                   " Hz"));
  }
  if (info.channels > limits.max_channels) {
    return absl::InvalidArgumentError(absl::StrCat(
        "audio header claims ", info.channels, " channels; the limit is ", limits.max_channels));
  }
  if (info.samplerate > limits.max_sample_rate) {
    return absl::InvalidArgumentError(absl::StrCat("audio header claims a sample rate of ",
                                                   info.samplerate, " Hz; the limit is ",
                                                   limits.max_sample_rate, " Hz"));
  }
  const double seconds = static_cast<double>(claimed_frames) / info.samplerate;
  if (claimed_frames > 0 && seconds > limits.max_seconds) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "audio header claims %.1f seconds; the limit is %g seconds", seconds, limits.max_seconds));
  }
  return absl::OkStatus();
}

// Reads every frame, averaging the channels; non-finite samples become 0, others are clamped to
// [-1, 1] (float files may exceed it). INVALID_ARGUMENT once more than `max_frames` decode.
absl::StatusOr<std::vector<float>> ReadMono(SNDFILE* file, int channels, int64_t reserve_frames,
                                            int64_t max_frames, double max_seconds) {
  std::vector<float> mono;
  mono.reserve(static_cast<size_t>(std::clamp<int64_t>(reserve_frames, 0, kMaxReservedFrames)));
  std::vector<float> chunk(static_cast<size_t>(kChunkFrames) * channels);
  const float scale = 1.0f / static_cast<float>(channels);
  while (true) {
    const sf_count_t frames = sf_readf_float(file, chunk.data(), kChunkFrames);
    if (frames <= 0) break;
    if (static_cast<int64_t>(mono.size()) + frames > max_frames) {
      return absl::InvalidArgumentError(
          absl::StrFormat("decoded audio is longer than the limit of %g seconds", max_seconds));
    }
    for (sf_count_t i = 0; i < frames; ++i) {
      float sum = 0.0f;
      for (int c = 0; c < channels; ++c) sum += chunk[i * channels + c];
      const float value = sum * scale;
      mono.push_back(std::isfinite(value) ? std::clamp(value, -1.0f, 1.0f) : 0.0f);
    }
  }
  return mono;
}

}  // namespace

absl::StatusOr<Audio> DecodeAudio(absl::string_view bytes, const AudioLimits& limits) {
  if (bytes.empty()) return absl::InvalidArgumentError("audio data is empty");
  if (static_cast<int64_t>(bytes.size()) > limits.max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("encoded audio is ", bytes.size(), " bytes; the limit is ", limits.max_bytes));
  }
  XM_ASSIGN_OR_RETURN(const AudioContainerFacts facts, internal::InspectAudioContainer(bytes));
  const absl::string_view name = internal::FormatName(facts.format);

  internal::MemoryFile memory = internal::MemoryFile::ForReading(bytes);
  SF_INFO info = {};
  auto opened = internal::OpenSndfile(&memory, SFM_READ, &info);
  if (!opened.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("unsupported or corrupt audio: libsndfile ",
                                                   "cannot open the ", name,
                                                   " data: ", opened.status().message()));
  }
  const int64_t claimed = ClaimedFrames(info, facts);
  XM_RETURN_IF_ERROR(CheckHeader(info, claimed, name, limits));

  const double max_frames_real = std::floor(limits.max_seconds * info.samplerate);
  const int64_t max_frames =
      max_frames_real < 9e18 ? static_cast<int64_t>(std::max(0.0, max_frames_real)) : INT64_MAX;
  Audio audio;
  audio.sample_rate = info.samplerate;
  XM_ASSIGN_OR_RETURN(audio.samples, ReadMono(opened->get(), info.channels, claimed, max_frames,
                                              limits.max_seconds));
  const int64_t read = static_cast<int64_t>(audio.samples.size());
  if (read == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "truncated or corrupt ", name, ": no samples could be decoded",
        claimed > 0 ? absl::StrCat(" (header claims ", claimed, " frames)") : std::string()));
  }
  const double slack = std::max<double>(claimed * kTruncationSlackFraction, kTruncationSlackFrames);
  if (claimed > 0 && static_cast<double>(claimed - read) > slack) {
    return absl::InvalidArgumentError(absl::StrCat(
        "truncated or corrupt ", name, ": header claims ", claimed, " frames, read ", read));
  }
  return audio;
}

}  // namespace xmodal::media
