#include "trainer/train/image_ops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace xmodal::train {
namespace {

media::Image Solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  media::Image image{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (size_t i = 0; i < image.rgb.size(); i += 3) {
    image.rgb[i] = r;
    image.rgb[i + 1] = g;
    image.rgb[i + 2] = b;
  }
  return image;
}

void SetPixel(media::Image& image, int x, int y, uint8_t r, uint8_t g, uint8_t b) {
  uint8_t* p = &image.rgb[(static_cast<size_t>(y) * image.width + x) * 3];
  p[0] = r;
  p[1] = g;
  p[2] = b;
}

const uint8_t* Pixel(const media::Image& image, int x, int y) {
  return &image.rgb[(static_cast<size_t>(y) * image.width + x) * 3];
}

TEST(ImageOpsTest, ResizeKeepsSolidColourAndSize) {
  const media::Image out = ResizeImage(Solid(300, 200, 10, 120, 250), 75, 50);
  EXPECT_EQ(out.width, 75);
  EXPECT_EQ(out.height, 50);
  for (size_t i = 0; i < out.rgb.size(); i += 3) {
    ASSERT_EQ(out.rgb[i], 10);
    ASSERT_EQ(out.rgb[i + 1], 120);
    ASSERT_EQ(out.rgb[i + 2], 250);
  }
}

TEST(ImageOpsTest, DownscaleAveragesFineStripes) {
  media::Image stripes = Solid(64, 64, 0, 0, 0);
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; x += 2) SetPixel(stripes, x, y, 255, 255, 255);
  }
  const media::Image out = ResizeImage(stripes, 8, 8);
  for (size_t i = 0; i < out.rgb.size(); ++i)
    EXPECT_NEAR(out.rgb[i], 128, 8);  // not 0 or 255: antialiased
}

TEST(ImageOpsTest, ShrinkToShorterSideOnlyShrinks) {
  const media::Image big = ShrinkToShorterSide(Solid(400, 200, 1, 2, 3), 100);
  EXPECT_EQ(big.width, 200);
  EXPECT_EQ(big.height, 100);
  const media::Image small = ShrinkToShorterSide(Solid(40, 20, 1, 2, 3), 100);
  EXPECT_EQ(small.width, 40);
  EXPECT_EQ(small.height, 20);
}

TEST(ImageOpsTest, BackgroundMaskIsTheWhiteConnectedToTheBorder) {
  // White canvas, a red ring from (2,2) to (7,7), white inside the ring.
  media::Image image = Solid(10, 10, 255, 255, 255);
  for (int i = 2; i <= 7; ++i) {
    SetPixel(image, i, 2, 255, 0, 0);
    SetPixel(image, i, 7, 255, 0, 0);
    SetPixel(image, 2, i, 255, 0, 0);
    SetPixel(image, 7, i, 255, 0, 0);
  }
  const std::vector<uint8_t> mask = BackgroundMask(image);
  EXPECT_EQ(mask[0], 1);           // corner
  EXPECT_EQ(mask[2 * 10 + 2], 0);  // ring
  EXPECT_EQ(mask[5 * 10 + 5], 0);  // white, but enclosed
  EXPECT_EQ(mask[1 * 10 + 5], 1);  // outside the ring

  FillBackground(image, mask, {0, 0, 200});
  EXPECT_EQ(Pixel(image, 0, 0)[2], 200);
  EXPECT_EQ(Pixel(image, 5, 5)[0], 255);
}

TEST(ImageOpsTest, IdentityWarpKeepsTheImage) {
  media::Image image = Solid(16, 12, 20, 40, 60);
  SetPixel(image, 3, 4, 250, 0, 0);
  const media::Image out = WarpAffine(image, {}, {255, 255, 255});
  EXPECT_EQ(out.rgb, image.rgb);
}

TEST(ImageOpsTest, ZoomOutShowsTheFillAtTheBorder) {
  AffineParams zoom_out;
  zoom_out.scale_x = zoom_out.scale_y = 0.5;
  const media::Image out = WarpAffine(Solid(20, 20, 0, 0, 0), zoom_out, {255, 0, 255});
  EXPECT_EQ(Pixel(out, 0, 0)[0], 255);
  EXPECT_EQ(Pixel(out, 0, 0)[1], 0);
  EXPECT_EQ(Pixel(out, 10, 10)[0], 0);  // the centre is still the image
}

TEST(ImageOpsTest, HalfTurnRotationMirrorsBothAxes) {
  media::Image image = Solid(9, 9, 0, 0, 0);
  SetPixel(image, 1, 2, 255, 255, 255);
  AffineParams turn;
  turn.rotation_radians = std::numbers::pi;
  const media::Image out = WarpAffine(image, turn, {0, 0, 0});
  EXPECT_GT(Pixel(out, 7, 6)[0], 200);
  EXPECT_LT(Pixel(out, 1, 2)[0], 50);
}

TEST(ImageOpsTest, ColourJitter) {
  media::Image grey = Solid(4, 4, 100, 100, 100);
  ColourParams hue;
  hue.hue_radians = 2.0;
  AdjustColour(grey, hue);  // a hue rotation keeps greys grey
  EXPECT_NEAR(Pixel(grey, 0, 0)[0], 100, 1);
  EXPECT_NEAR(Pixel(grey, 0, 0)[2], 100, 1);

  media::Image red = Solid(4, 4, 200, 30, 30);
  AdjustColour(red, hue);  // but turns red into another colour
  EXPECT_LT(Pixel(red, 0, 0)[0], 150);

  media::Image dim = Solid(4, 4, 100, 100, 100);
  ColourParams brighter;
  brighter.brightness = 1.5;
  AdjustColour(dim, brighter);
  EXPECT_NEAR(Pixel(dim, 0, 0)[1], 150, 1);
}

}  // namespace
}  // namespace xmodal::train
