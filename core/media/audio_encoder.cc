// EncodeAudio: mono float samples to WAV / FLAC (16-bit PCM) or Ogg Vorbis (quality 0.5)
// through libsndfile writing to memory.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/media/audio.h"
#include "core/media/sndfile_io.h"

namespace xmodal::media {
namespace {

constexpr double kVorbisQuality = 0.5;

struct ContainerSpec {
  const char* name;
  int format;
};

ContainerSpec SpecFor(AudioContainer container) {
  switch (container) {
    case AudioContainer::kWav:
      return {"WAV", SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    case AudioContainer::kFlac:
      return {"FLAC", SF_FORMAT_FLAC | SF_FORMAT_PCM_16};
    case AudioContainer::kOgg:
      return {"Ogg Vorbis", SF_FORMAT_OGG | SF_FORMAT_VORBIS};
  }
  return {"unknown", 0};
}

}  // namespace

absl::StatusOr<std::string> EncodeAudio(const Audio& audio, AudioContainer container) {
  const ContainerSpec spec = SpecFor(container);
  if (spec.format == 0) return absl::InvalidArgumentError("unknown audio container");
  if (audio.samples.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("cannot encode an empty clip as ", spec.name));
  }
  SF_INFO info = {};
  info.samplerate = audio.sample_rate;
  info.channels = 1;
  info.format = spec.format;
  if (audio.sample_rate <= 0 || !sf_format_check(&info)) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.name, " cannot store mono audio at ", audio.sample_rate, " Hz"));
  }
  internal::MemoryFile memory = internal::MemoryFile::ForWriting();
  auto opened = internal::OpenSndfile(&memory, SFM_WRITE, &info);
  if (!opened.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("cannot encode ", audio.sample_rate,
                                                   " Hz audio as ", spec.name, ": ",
                                                   opened.status().message()));
  }
  internal::SndfilePtr file = std::move(opened).value();
  if (container == AudioContainer::kOgg) {
    double quality = kVorbisQuality;
    sf_command(file.get(), SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof(quality));
  }
  sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);

  std::vector<float> clean(audio.samples.size());
  std::transform(audio.samples.begin(), audio.samples.end(), clean.begin(),
                 [](float v) { return std::isfinite(v) ? std::clamp(v, -1.0f, 1.0f) : 0.0f; });
  const sf_count_t frames = static_cast<sf_count_t>(clean.size());
  const sf_count_t written = sf_writef_float(file.get(), clean.data(), frames);
  if (written != frames) {
    return absl::InternalError(absl::StrCat("libsndfile wrote ", written, " of ", frames,
                                            " frames as ", spec.name, ": ",
                                            sf_strerror(file.get())));
  }
  const int closed = sf_close(file.release());  // Finalises headers and flushes the encoder.
  if (closed != 0) {
    return absl::InternalError(absl::StrCat("libsndfile could not finish the ", spec.name,
                                            " stream: ", sf_error_number(closed)));
  }
  return memory.TakeContents();
}

}  // namespace xmodal::media
