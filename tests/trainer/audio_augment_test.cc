#include "trainer/train/audio_augment.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "testing/status_matchers.h"

namespace xmodal::train {
namespace {

using ::xmodal::testing::StatusIs;

media::Audio Tone(double seconds, double hz = 440, int rate = 16000, float amplitude = 0.5f) {
  media::Audio a{rate, std::vector<float>(static_cast<size_t>(seconds * rate))};
  for (size_t i = 0; i < a.samples.size(); ++i) {
    a.samples[i] = amplitude * static_cast<float>(std::sin(2 * std::numbers::pi * hz * i / rate));
  }
  return a;
}

double Power(const std::vector<float>& s) {
  double p = 0;
  for (float x : s) p += static_cast<double>(x) * x;
  return p / static_cast<double>(s.size());
}

TEST(AudioAugmentTest, NeverLongerThanTheWindowAndDeterministic) {
  for (double seconds : {0.3, 1.0, 2.0, 5.0}) {
    const media::Audio clip = Tone(seconds);
    for (uint64_t seed = 0; seed < 20; ++seed) {
      Rng a(seed), b(seed);
      ASSERT_OK_AND_ASSIGN(const media::Audio x, AugmentAudio(clip, 2.0, a));
      ASSERT_OK_AND_ASSIGN(const media::Audio y, AugmentAudio(clip, 2.0, b));
      EXPECT_EQ(x.sample_rate, 16000);
      EXPECT_GE(x.samples.size(), 1u);
      EXPECT_LE(x.samples.size(), 32000u);
      EXPECT_EQ(x.samples, y.samples);
      for (float s : x.samples) ASSERT_LE(std::abs(s), 1.0f);
    }
  }
}

TEST(AudioAugmentTest, ShortClipsGetALeadInOfSilence) {
  AudioAugmentOptions lead_only;
  lead_only.p_speed = lead_only.p_noise = 0;
  lead_only.min_gain_db = lead_only.max_gain_db = 0;
  lead_only.max_lead_seconds = 0.3;
  int with_lead = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    ASSERT_OK_AND_ASSIGN(const media::Audio x, AugmentAudio(Tone(0.5), 2.0, rng, lead_only));
    const size_t lead = x.samples.size() - 8000;
    EXPECT_LE(lead, 4800u);
    for (size_t i = 0; i < lead; ++i) ASSERT_EQ(x.samples[i], 0.0f);
    if (lead > 0) ++with_lead;
  }
  EXPECT_GE(with_lead, 18);
}

TEST(AudioAugmentTest, ChangeSpeedShortensAndRaisesPitch) {
  const media::Audio tone = Tone(1.0, 1000);
  const std::vector<float> fast = ChangeSpeed(tone.samples, 1.25);
  EXPECT_EQ(fast.size(), 12800u);
  // 1000 Hz played 1.25x faster is 1250 Hz: count zero crossings over the clip.
  int crossings = 0;
  for (size_t i = 1; i < fast.size(); ++i) crossings += (fast[i - 1] < 0) != (fast[i] < 0);
  EXPECT_NEAR(crossings / 0.8 / 2, 1250, 10);
  EXPECT_EQ(ChangeSpeed({0.5f}, 2.0).size(), 1u);
}

TEST(AudioAugmentTest, NoiseHasTheRequestedSnr) {
  std::vector<float> silence(16000, 0.0f);
  Rng rng(3);
  AddNoiseAtSnr(silence, 10, rng);  // a silent clip gets no noise
  EXPECT_EQ(Power(silence), 0.0);

  const media::Audio tone = Tone(2.0);
  std::vector<float> noisy = tone.samples;
  AddNoiseAtSnr(noisy, 10, rng);
  std::vector<float> noise(noisy.size());
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = noisy[i] - tone.samples[i];
  EXPECT_NEAR(10 * std::log10(Power(tone.samples) / Power(noise)), 10.0, 0.3);
}

TEST(AudioAugmentTest, RejectsAnEmptyClip) {
  Rng rng(1);
  EXPECT_THAT(AugmentAudio(media::Audio{16000, {}}, 2.0, rng),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("0 samples")));
  EXPECT_THAT(AugmentAudio(media::Audio{0, {0.1f}}, 2.0, rng),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("0 Hz")));
}

}  // namespace
}  // namespace xmodal::train
