// Tests for trainer/eval/heldout_transforms.h: shapes, determinism and the noise levels.
#include "trainer/eval/heldout_transforms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "testing/status_matchers.h"
#include "tests/corpus/fake_stamp_tree.h"

namespace xmodal::eval {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::xmodal::testing::SolidImage;
using ::xmodal::testing::StatusIs;
using ::xmodal::testing::Tone;

double SnrDb(const std::vector<float>& clean, const std::vector<float>& noisy) {
  double signal = 0, noise = 0;
  for (size_t i = 0; i < clean.size(); ++i) {
    signal += clean[i] * clean[i];
    noise += (noisy[i] - clean[i]) * (noisy[i] - clean[i]);
  }
  return 10 * std::log10(signal / noise);
}

int ZeroCrossings(const std::vector<float>& s) {
  int n = 0;
  for (size_t i = 1; i < s.size(); ++i) n += (s[i - 1] < 0) != (s[i] < 0);
  return n;
}

TEST(SeedFromNameTest, IsFnv1a64) {
  EXPECT_EQ(SeedFromName(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(SeedFromName("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_NE(SeedFromName("animals/lion"), SeedFromName("animals/lion-2"));
}

TEST(HeldOutImageTest, BlurSpreadsAnImpulseAndKeepsShapeAndMass) {
  media::Image image = SolidImage(128, 64, 0, 0, 0);
  const size_t center = (32 * 128 + 64) * 3;
  image.rgb[center] = 255;
  ASSERT_OK_AND_ASSIGN(const media::Image blurred, HeldOutImage(image, "blur", "x"));
  EXPECT_EQ(blurred.width, 128);
  EXPECT_EQ(blurred.height, 64);
  // sigma 1.5 at 128 px: the peak keeps 1 / (2 pi 1.5^2) ~ 7% of the mass.
  EXPECT_NEAR(blurred.rgb[center], 255 / (2 * M_PI * 1.5 * 1.5), 2);
  EXPECT_GT(blurred.rgb[center + 3], 0);  // the right neighbour's red
  EXPECT_EQ(blurred.rgb[center + 1], 0);  // green stays black
  int sum = 0;
  for (size_t i = 0; i < blurred.rgb.size(); i += 3) sum += blurred.rgb[i];
  EXPECT_NEAR(sum, 255, 12);
  const media::Image solid = SolidImage(20, 10, 10, 200, 30);
  ASSERT_OK_AND_ASSIGN(const media::Image solid_blurred, HeldOutImage(solid, "blur", "x"));
  EXPECT_EQ(solid_blurred.rgb, solid.rgb);
}

TEST(HeldOutImageTest, BlurSigmaScalesWithTheLongerSide) {
  media::Image image = SolidImage(256, 256, 0, 0, 0);
  const size_t center = (128 * 256 + 128) * 3;
  image.rgb[center] = 255;
  ASSERT_OK_AND_ASSIGN(const media::Image blurred, HeldOutImage(image, "blur", "x"));
  EXPECT_NEAR(blurred.rgb[center], 255 / (2 * M_PI * 3.0 * 3.0), 1);  // sigma 3 at 256 px
}

TEST(HeldOutImageTest, PixelateAveragesFourByFourBlocks) {
  media::Image checker = SolidImage(8, 8, 0, 0, 0);
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 8; ++x) {
      if ((x + y) % 2 == 0) checker.rgb[(y * 8 + x) * 3] = 200;
    }
  }
  ASSERT_OK_AND_ASSIGN(const media::Image p, HeldOutImage(checker, "pixelate", "x"));
  EXPECT_EQ(p.width, 8);
  EXPECT_EQ(p.height, 8);
  for (size_t i = 0; i < p.rgb.size(); i += 3) EXPECT_EQ(p.rgb[i], 100);

  // Quadrants of 4x4 survive exactly; odd sizes keep their shape.
  media::Image quads = SolidImage(8, 8, 0, 0, 0);
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 8; ++x)
      quads.rgb[(y * 8 + x) * 3 + 1] = (x < 4 ? 50 : 0) + (y < 4 ? 100 : 0);
  }
  EXPECT_EQ(Pixelate(quads, 4).rgb, quads.rgb);
  const media::Image odd = Pixelate(SolidImage(10, 3, 1, 2, 3), 4);
  EXPECT_EQ(odd.width, 10);
  EXPECT_EQ(odd.height, 3);
  EXPECT_EQ(odd.rgb, SolidImage(10, 3, 1, 2, 3).rgb);
}

TEST(HeldOutImageTest, NoiseHasTheRightSigmaAndIsDeterministic) {
  const media::Image grey = SolidImage(64, 64, 128, 128, 128);
  ASSERT_OK_AND_ASSIGN(const media::Image a, HeldOutImage(grey, "noise", "animals/lion"));
  ASSERT_OK_AND_ASSIGN(const media::Image b, HeldOutImage(grey, "noise", "animals/lion"));
  ASSERT_OK_AND_ASSIGN(const media::Image c, HeldOutImage(grey, "noise", "animals/cat"));
  EXPECT_EQ(a.rgb, b.rgb);
  EXPECT_NE(a.rgb, c.rgb);
  double mean = 0, var = 0;
  for (uint8_t v : a.rgb) mean += v - 128.0;
  mean /= a.rgb.size();
  for (uint8_t v : a.rgb) var += (v - 128.0 - mean) * (v - 128.0 - mean);
  const double sigma = std::sqrt(var / a.rgb.size());
  EXPECT_NEAR(sigma, 0.08 * 255, 1.0);
  EXPECT_NEAR(mean, 0, 0.5);
}

TEST(HeldOutImageTest, RejectsUnknownTransformAndBadImages) {
  EXPECT_THAT(HeldOutImage(SolidImage(4, 4, 0, 0, 0), "rotate", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown image transform")));
  EXPECT_THAT(HeldOutImage(media::Image{}, "blur", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty or inconsistent")));
  media::Image bad = SolidImage(4, 4, 0, 0, 0);
  bad.rgb.pop_back();
  EXPECT_THAT(HeldOutImage(bad, "noise", "x"), StatusIs(absl::StatusCode::kInvalidArgument, _));
}

TEST(HeldOutSpeechTest, FasterHigherAndNoisyAt15Db) {
  const media::Audio clean = Tone(440, 1.0, 16000);
  ASSERT_OK_AND_ASSIGN(const media::Audio a, HeldOutSpeech(clean, "lion/fr"));
  ASSERT_OK_AND_ASSIGN(const media::Audio b, HeldOutSpeech(clean, "lion/fr"));
  ASSERT_OK_AND_ASSIGN(const media::Audio c, HeldOutSpeech(clean, "lion/ru"));
  EXPECT_EQ(a.sample_rate, 16000);
  EXPECT_NEAR(static_cast<double>(a.samples.size()), 16000 / 1.12, 20);
  EXPECT_EQ(a.samples, b.samples);
  EXPECT_NE(a.samples, c.samples);
  ASSERT_OK_AND_ASSIGN(const std::vector<float> sped, media::Resample(clean.samples, 17920, 16000));
  ASSERT_EQ(sped.size(), a.samples.size());
  EXPECT_NEAR(SnrDb(sped, a.samples), 15.0, 0.5);
  // The pitch goes up by the speed factor: 440 Hz -> ~493 Hz.
  EXPECT_NEAR(ZeroCrossings(sped) / (2 * sped.size() / 16000.0), 440 * 1.12, 10);
}

TEST(HeldOutSoundTest, FirstTwoSecondsWithNoiseAt15Db) {
  const media::Audio clean = Tone(300, 5.0, 22050);
  ASSERT_OK_AND_ASSIGN(const media::Audio a, HeldOutSound(clean, "animals/lion"));
  ASSERT_EQ(a.samples.size(), 2u * 22050);
  EXPECT_EQ(a.sample_rate, 22050);
  const std::vector<float> window(clean.samples.begin(), clean.samples.begin() + 2 * 22050);
  EXPECT_NEAR(SnrDb(window, a.samples), 15.0, 0.5);
  ASSERT_OK_AND_ASSIGN(const media::Audio again, HeldOutSound(clean, "animals/lion"));
  EXPECT_EQ(a.samples, again.samples);

  const media::Audio short_clip = Tone(300, 0.5, 22050);
  ASSERT_OK_AND_ASSIGN(const media::Audio s, HeldOutSound(short_clip, "x"));
  EXPECT_EQ(s.samples.size(), short_clip.samples.size());
}

TEST(HeldOutAudioTest, OutputRateResamplesInTheSamePass) {
  const media::Audio clean = Tone(440, 1.0, 44100);
  ASSERT_OK_AND_ASSIGN(const media::Audio speech, HeldOutSpeech(clean, "x", 16000));
  EXPECT_EQ(speech.sample_rate, 16000);
  EXPECT_NEAR(static_cast<double>(speech.samples.size()), 16000 / 1.12, 20);
  ASSERT_OK_AND_ASSIGN(const std::vector<float> sped, media::Resample(clean.samples, 49392, 16000));
  ASSERT_EQ(sped.size(), speech.samples.size());
  EXPECT_NEAR(SnrDb(sped, speech.samples), 15.0, 0.5);
  EXPECT_NEAR(ZeroCrossings(sped) / (2 * sped.size() / 16000.0), 440 * 1.12, 10);

  const media::Audio long_clip = Tone(300, 5.0, 44100);
  ASSERT_OK_AND_ASSIGN(const media::Audio sound, HeldOutSound(long_clip, "x", 16000));
  EXPECT_EQ(sound.sample_rate, 16000);
  // The first 2 s, resampled: libsamplerate may end a sample short of 2 s x 16 kHz.
  EXPECT_NEAR(static_cast<double>(sound.samples.size()), 32000.0, 2.0);
}

TEST(HeldOutAudioTest, SilenceStaysSilentAndEmptyIsRejected) {
  media::Audio silence{16000, std::vector<float>(16000, 0.0f)};
  ASSERT_OK_AND_ASSIGN(const media::Audio s, HeldOutSound(silence, "x"));
  for (float v : s.samples) ASSERT_EQ(v, 0.0f);
  EXPECT_THAT(HeldOutSound(media::Audio{16000, {}}, "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(HeldOutSpeech(media::Audio{0, {0.1f}}, "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sample rate")));
}

}  // namespace
}  // namespace xmodal::eval
