#include "trainer/train/image_augment.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::train {
namespace {

// A red disc on white, 300x200.
media::Image Disc() {
  media::Image image{300, 200, std::vector<uint8_t>(300 * 200 * 3, 255)};
  for (int y = 0; y < 200; ++y) {
    for (int x = 0; x < 300; ++x) {
      if ((x - 150) * (x - 150) + (y - 100) * (y - 100) < 60 * 60) {
        uint8_t* p = &image.rgb[(static_cast<size_t>(y) * 300 + x) * 3];
        p[0] = 220;
        p[1] = 20;
        p[2] = 20;
      }
    }
  }
  return image;
}

TEST(ImageAugmentTest, TrainingImageIsShrunkWithItsMask) {
  const TrainingImage t = MakeTrainingImage(Disc(), 100);
  EXPECT_EQ(t.image.width, 150);
  EXPECT_EQ(t.image.height, 100);
  ASSERT_EQ(t.background.size(), 150u * 100u);
  EXPECT_EQ(t.background[0], 1);
  EXPECT_EQ(t.background[50 * 150 + 75], 0);  // the disc's centre
}

TEST(ImageAugmentTest, SameSizeAndDeterministicPerSeed) {
  const TrainingImage t = MakeTrainingImage(Disc(), 100);
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Rng a(seed), b(seed);
    ASSERT_OK_AND_ASSIGN(const media::Image x, AugmentImage(t, a));
    ASSERT_OK_AND_ASSIGN(const media::Image y, AugmentImage(t, b));
    EXPECT_EQ(x.width, 150);
    EXPECT_EQ(x.height, 100);
    EXPECT_EQ(x.rgb, y.rgb);
  }
}

TEST(ImageAugmentTest, SeedsGiveDifferentViewsThatKeepTheStamp) {
  const TrainingImage t = MakeTrainingImage(Disc(), 100);
  Rng a(1), b(2);
  ASSERT_OK_AND_ASSIGN(const media::Image x, AugmentImage(t, a));
  ASSERT_OK_AND_ASSIGN(const media::Image y, AugmentImage(t, b));
  EXPECT_NE(x.rgb, y.rgb);
  // Scale, shift and rotation are mild: the centre stays on the disc (reddish or hue-shifted,
  // but not the background: far from the corner's colour in at least one channel).
  ImageAugmentOptions no_colour;
  no_colour.brightness = no_colour.contrast = no_colour.hue_degrees = 0;
  no_colour.p_any_hue = no_colour.p_jpeg = no_colour.p_background = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Rng rng(seed);
    ASSERT_OK_AND_ASSIGN(const media::Image z, AugmentImage(t, rng, no_colour));
    const uint8_t* centre = &z.rgb[(50 * 150 + 75) * 3];
    EXPECT_GT(centre[0], 150);
    EXPECT_LT(centre[1], 100);
  }
}

TEST(ImageAugmentTest, BackgroundColourReplacesOnlyTheBackground) {
  const TrainingImage t = MakeTrainingImage(Disc(), 100);
  ImageAugmentOptions only_background;
  only_background.p_background = 1;
  only_background.max_rotation_degrees = only_background.max_shift = 0;
  only_background.min_scale = only_background.max_scale = only_background.max_aspect = 1;
  only_background.brightness = only_background.contrast = only_background.hue_degrees = 0;
  only_background.p_any_hue = only_background.p_jpeg = 0;
  int coloured = 0;
  for (uint64_t seed = 0; seed < 10; ++seed) {
    Rng rng(seed);
    ASSERT_OK_AND_ASSIGN(const media::Image z, AugmentImage(t, rng, only_background));
    const uint8_t* corner = &z.rgb[0];
    if (corner[0] != 255 || corner[1] != 255 || corner[2] != 255) ++coloured;
    const uint8_t* centre = &z.rgb[(50 * 150 + 75) * 3];
    EXPECT_EQ(centre[0], 220);
  }
  EXPECT_GE(coloured, 9);
}

}  // namespace
}  // namespace xmodal::train
