#include "core/model/audio_preprocess.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"

namespace xmodal::model {

std::vector<SegmentSpan> PlanSegments(int64_t num_samples, int64_t segment, int64_t hop) {
  std::vector<SegmentSpan> spans;
  for (int64_t start = 0; start < num_samples; start += hop) {
    const int64_t end = start + segment;
    if (end <= num_samples) {
      spans.push_back({start, end});
      continue;
    }
    const int64_t left = num_samples - start;
    if (left * 4 >= segment || spans.empty()) spans.push_back({start, num_samples});
    break;
  }
  return spans;
}

absl::StatusOr<std::vector<ModelInput>> PreprocessAudio(const AudioSpec& spec, const LogMel& mel,
                                                        const media::Audio& audio) {
  if (audio.samples.empty()) return absl::InvalidArgumentError("audio clip has no samples");
  if (audio.sample_rate <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("audio sample rate must be positive, got ", audio.sample_rate));
  }
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    if (!std::isfinite(audio.samples[i])) {
      return absl::InvalidArgumentError(absl::StrCat("audio sample ", i, " is not finite"));
    }
  }
  XM_ASSIGN_OR_RETURN(const std::vector<float> samples,
                      media::Resample(audio.samples, audio.sample_rate, spec.sample_rate));
  const int rate = spec.sample_rate;
  const int64_t segment = SecondsToSamples(spec.segment_seconds, rate);
  const int64_t hop = SecondsToSamples(spec.segment_hop_seconds, rate);
  std::vector<ModelInput> inputs;
  std::vector<float> padded(segment);
  for (const SegmentSpan& span : PlanSegments(static_cast<int64_t>(samples.size()), segment, hop)) {
    std::fill(padded.begin(), padded.end(), 0.0f);
    std::copy(samples.begin() + span.start, samples.begin() + span.end, padded.begin());
    ModelInput input;
    input.modality = Modality::kAudio;
    input.features = mel.Compute(padded);
    input.start_seconds = static_cast<double>(span.start) / rate;
    input.end_seconds = static_cast<double>(span.end) / rate;
    inputs.push_back(std::move(input));
  }
  if (inputs.empty()) {
    // Resampling a very short clip down can leave no samples.
    return absl::InvalidArgumentError(absl::StrCat("audio clip of ", audio.samples.size(),
                                                   " samples is too short to resample to ", rate,
                                                   " Hz"));
  }
  return inputs;
}

}  // namespace xmodal::model
