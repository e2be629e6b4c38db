// Audio preprocessing for the audio encoder: resample to the model rate, cut deterministic
// segments (never random crops), compute each segment's log-mel features.
// Pure C++, thread-safe, no LibTorch.
#ifndef XMODAL_CORE_MODEL_AUDIO_PREPROCESS_H_
#define XMODAL_CORE_MODEL_AUDIO_PREPROCESS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "core/media/audio.h"
#include "core/model/log_mel.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"

namespace xmodal::model {

// Samples [start, end) of the signal that one segment holds; the segment itself is always
// `segment` samples long, zero-padded after `end`.
struct SegmentSpan {
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const SegmentSpan&) const = default;
};

// Segments of `segment` samples starting at 0, hop, 2 hop, ...: every full one, then the first
// partial one when it holds at least segment / 4 samples or when there is no full segment.
// Returns at least one span when num_samples > 0, none when it is 0.
// Preconditions: segment >= 1, hop >= 1.
std::vector<SegmentSpan> PlanSegments(int64_t num_samples, int64_t segment, int64_t hop);

// Resamples `audio` to spec.sample_rate (media::Resample), cuts it per PlanSegments with
// segment = round(segment_seconds * rate) and hop = round(segment_hop_seconds * rate), and
// returns one audio ModelInput per segment: features = mel.Compute(segment) (n_mels x frames),
// start_seconds = start / rate, end_seconds = end / rate.
// INVALID_ARGUMENT for an empty clip, a sample rate <= 0 or a non-finite sample; errors of
// media::Resample are passed on.
absl::StatusOr<std::vector<ModelInput>> PreprocessAudio(const AudioSpec& spec, const LogMel& mel,
                                                        const media::Audio& audio);

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_AUDIO_PREPROCESS_H_
