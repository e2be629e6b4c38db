#include "trainer/train/audio_augment.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace xmodal::train {

void AddNoiseAtSnr(std::vector<float>& samples, double snr_db, Rng& rng) {
  double power = 0;
  for (float s : samples) power += static_cast<double>(s) * s;
  if (samples.empty() || power <= 0) return;
  power /= static_cast<double>(samples.size());
  const double sigma = std::sqrt(power / std::pow(10.0, snr_db / 10.0));
  for (float& s : samples) s += static_cast<float>(sigma * rng.Normal());
}

std::vector<float> ChangeSpeed(const std::vector<float>& samples, double speed) {
  const auto n = static_cast<size_t>(std::max(1.0, std::floor(samples.size() / speed)));
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) {
    const double x = i * speed;
    const auto i0 = static_cast<size_t>(x);
    const double f = x - i0;
    const float a = i0 < samples.size() ? samples[i0] : 0.0f;
    const float b = i0 + 1 < samples.size() ? samples[i0 + 1] : 0.0f;
    out[i] = static_cast<float>(a + f * (b - a));
  }
  return out;
}

absl::StatusOr<media::Audio> AugmentAudio(const media::Audio& clip, double window_seconds, Rng& rng,
                                          const AudioAugmentOptions& options) {
  const int rate = clip.sample_rate;
  if (clip.samples.empty() || rate <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("cannot augment a clip of ", clip.samples.size(),
                                                   " samples at ", rate, " Hz"));
  }
  std::vector<float> samples = clip.samples;
  if (rng.Bernoulli(options.p_speed)) {
    // Played `speed` times faster: the clip is read as if recorded at rate * speed.
    const double speed = rng.Uniform(options.min_speed, options.max_speed);
    samples = ChangeSpeed(samples, speed);
  }
  const auto window = std::max<size_t>(1, static_cast<size_t>(std::lround(window_seconds * rate)));
  const size_t lead =
      std::min(window / 2, static_cast<size_t>(rng.Uniform(0, options.max_lead_seconds) * rate));
  if (samples.size() + lead > window) {
    // A random window of the clip (time shift); short clips get a lead-in instead.
    const size_t keep = window - lead;
    const size_t start = samples.size() > keep
                             ? static_cast<size_t>(rng.Uniform() * (samples.size() - keep + 1))
                             : 0;
    samples = std::vector<float>(samples.begin() + start,
                                 samples.begin() + std::min(samples.size(), start + keep));
  }
  std::vector<float> out(std::min(window, lead + samples.size()), 0.0f);
  std::copy(samples.begin(), samples.begin() + (out.size() - lead), out.begin() + lead);
  const float gain = static_cast<float>(
      std::pow(10.0, rng.Uniform(options.min_gain_db, options.max_gain_db) / 20.0));
  for (float& s : out) s *= gain;
  if (rng.Bernoulli(options.p_noise)) {
    AddNoiseAtSnr(out, rng.Uniform(options.min_snr_db, options.max_snr_db), rng);
  }
  for (float& s : out) s = std::clamp(s, -1.0f, 1.0f);
  return media::Audio{rate, std::move(out)};
}

}  // namespace xmodal::train
