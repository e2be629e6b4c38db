// Resample with libsamplerate's SRC_SINC_FASTEST converter: 97 dB SNR over 80% of the band.
// Profiling audio queries and audio indexing showed SRC_SINC_MEDIUM_QUALITY taking 82% of the
// time; the fastest sinc converter is several times quicker and still band-limited (nothing
// aliases into the mel bands). What it gives up is the top 20% of the band (6.4-8 kHz at
// 16 kHz), which only the highest mel bands see; the default model is trained through this
// same code, so it sees the same attenuation when it learns.
#include <samplerate.h>

#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/media/audio.h"

namespace xmodal::media {

absl::StatusOr<std::vector<float>> Resample(const std::vector<float>& samples, int from_rate,
                                            int to_rate) {
  if (from_rate <= 0 || to_rate <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("sample rates must be positive; got from ",
                                                   from_rate, " Hz to ", to_rate, " Hz"));
  }
  if (from_rate == to_rate || samples.empty()) return samples;
  const double ratio = static_cast<double>(to_rate) / from_rate;
  if (!src_is_valid_ratio(ratio)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resample from ", from_rate, " Hz to ", to_rate,
                     " Hz: libsamplerate supports ratios from 1/256 to 256"));
  }
  std::vector<float> out(static_cast<size_t>(std::ceil(samples.size() * ratio)) + 16);
  SRC_DATA data = {};
  data.data_in = samples.data();
  data.input_frames = static_cast<long>(samples.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  data.end_of_input = 1;
  const int error = src_simple(&data, SRC_SINC_FASTEST, /*channels=*/1);
  if (error != 0) {
    return absl::InternalError(absl::StrCat("libsamplerate failed: ", src_strerror(error)));
  }
  out.resize(static_cast<size_t>(data.output_frames_gen));
  return out;
}

}  // namespace xmodal::media
