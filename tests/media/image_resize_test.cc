// Tests for core/media/image_resize.h: exact area averages on small hand-made images, output
// sizes (aspect ratio, rounding, never 0), no upscaling, and bad arguments.
#include "core/media/image_resize.h"

#include <cstdint>
#include <vector>

#include "testing/status_matchers.h"

namespace xmodal::media {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

// A grey image: each value is repeated into R, G and B.
Image Grey(int width, int height, const std::vector<int>& values) {
  Image image{width, height, {}};
  for (int v : values) image.rgb.insert(image.rgb.end(), 3, static_cast<uint8_t>(v));
  return image;
}

// The R channel, row-major.
std::vector<int> Red(const Image& image) {
  std::vector<int> red;
  for (size_t i = 0; i < image.rgb.size(); i += 3) red.push_back(image.rgb[i]);
  return red;
}

TEST(DownscaleToFitTest, HalvingAveragesEachTwoByTwoBlock) {
  // clang-format off
  const Image image = Grey(4, 4, {  0,  10, 100, 200,
                                   20,  30,  50,  50,
                                  255, 255,   1,   2,
                                  255, 251,   3,   4});
  // clang-format on
  ASSERT_OK_AND_ASSIGN(Image out, DownscaleToFit(image, 2));
  EXPECT_EQ(out.width, 2);
  EXPECT_EQ(out.height, 2);
  // 60/4 = 15, 400/4 = 100, 1016/4 = 254, 10/4 = 2.5 rounds to 3.
  EXPECT_THAT(Red(out), ElementsAre(15, 100, 254, 3));
}

TEST(DownscaleToFitTest, ChannelsAreAveragedIndependently) {
  Image image{2, 1, {10, 20, 30, 50, 60, 71}};
  ASSERT_OK_AND_ASSIGN(Image out, DownscaleToFit(image, 1));
  EXPECT_EQ(out.width, 1);
  EXPECT_EQ(out.height, 1);
  EXPECT_THAT(out.rgb, ElementsAre(30, 40, 51));  // 50.5 rounds up
}

TEST(DownscaleToFitTest, FractionalCoverageWeighsEdgePixels) {
  // 3 pixels to 2: output 0 covers pixel 0 and half of pixel 1; output 1 the other half of
  // pixel 1 and pixel 2. (0 + 0.5 * 90) / 1.5 = 30; (0.5 * 90 + 180) / 1.5 = 150.
  ASSERT_OK_AND_ASSIGN(Image out, DownscaleToFit(Grey(3, 1, {0, 90, 180}), 2));
  EXPECT_EQ(out.width, 2);
  EXPECT_EQ(out.height, 1);
  EXPECT_THAT(Red(out), ElementsAre(30, 150));

  // The same along the vertical axis.
  ASSERT_OK_AND_ASSIGN(Image column, DownscaleToFit(Grey(1, 3, {0, 90, 180}), 2));
  EXPECT_EQ(column.width, 1);
  EXPECT_EQ(column.height, 2);
  EXPECT_THAT(Red(column), ElementsAre(30, 150));
}

TEST(DownscaleToFitTest, EverySourcePixelContributesAtLargeFactors) {
  // A red column in 100x100 black shrunk to 1x1: its share of the red is 100 * 255 / 10000 =
  // 2.55, rounded to 3. A point sampler would give 0 or 255.
  Image image = Grey(100, 100, std::vector<int>(100 * 100, 0));
  for (int i = 0; i < 100; ++i) image.rgb[(i * 100 + 37) * 3] = 255;  // column 37, red only
  ASSERT_OK_AND_ASSIGN(Image out, DownscaleToFit(image, 1));
  EXPECT_THAT(out.rgb, ElementsAre(3, 0, 0));

  // A 1-pixel checkerboard shrunk 1000:1 along a row is mid-grey, not black or white.
  std::vector<int> checker(1000);
  for (int i = 0; i < 1000; ++i) checker[i] = i % 2 == 0 ? 0 : 255;
  ASSERT_OK_AND_ASSIGN(Image grey, DownscaleToFit(Grey(1000, 1, checker), 1));
  EXPECT_THAT(Red(grey), ElementsAre(128));  // 127.5 rounds up
}

TEST(DownscaleToFitTest, UniformImageStaysUniform) {
  // 7 to 3 is not a whole factor; every output pixel still averages to the same colour.
  Image image{7, 5, {}};
  for (int i = 0; i < 7 * 5; ++i) image.rgb.insert(image.rgb.end(), {12, 200, 77});
  ASSERT_OK_AND_ASSIGN(Image out, DownscaleToFit(image, 3));
  EXPECT_EQ(out.width, 3);
  EXPECT_EQ(out.height, 2);  // 5 * 3 / 7 = 2.14
  for (size_t i = 0; i < out.rgb.size(); i += 3) {
    EXPECT_THAT(std::vector<uint8_t>(out.rgb.begin() + i, out.rgb.begin() + i + 3),
                ElementsAre(12, 200, 77));
  }
}

TEST(DownscaleToFitTest, KeepsAspectRatioAndRoundsToNearest) {
  struct Case {
    int width, height, max_side, want_width, want_height;
  };
  for (const Case& c : std::vector<Case>{
           {1000, 10, 100, 100, 1},  // exact
           {1000, 3, 100, 100, 1},   // 0.3 would round to 0: never below 1
           {10, 1000, 100, 1, 100},  // portrait
           {4000, 3000, 256, 256, 192},
           {3000, 4000, 256, 192, 256},
           {640, 427, 256, 256, 171},  // 170.8
           {8, 3, 4, 4, 2},            // 1.5 rounds up
           {300, 300, 7, 7, 7},
           {5, 3, 4, 4, 2},  // 2.4
       }) {
    Image image =
        Grey(c.width, c.height, std::vector<int>(static_cast<size_t>(c.width) * c.height, 9));
    ASSERT_OK_AND_ASSIGN(Image out, DownscaleToFit(image, c.max_side));
    EXPECT_EQ(out.width, c.want_width) << c.width << "x" << c.height << " to " << c.max_side;
    EXPECT_EQ(out.height, c.want_height) << c.width << "x" << c.height << " to " << c.max_side;
    EXPECT_EQ(out.rgb.size(), static_cast<size_t>(out.width) * out.height * 3);
    EXPECT_EQ(out.rgb[0], 9);
  }
}

TEST(DownscaleToFitTest, NeverUpscales) {
  const Image image = Grey(3, 2, {1, 2, 3, 4, 5, 6});
  for (int max_side : {3, 4, 1000}) {
    ASSERT_OK_AND_ASSIGN(Image out, DownscaleToFit(image, max_side));
    EXPECT_EQ(out.width, 3);
    EXPECT_EQ(out.height, 2);
    EXPECT_EQ(out.rgb, image.rgb);
  }
}

TEST(DownscaleToFitTest, RejectsBadArguments) {
  const Image image = Grey(2, 2, {1, 2, 3, 4});
  EXPECT_THAT(DownscaleToFit(image, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least 1")));
  EXPECT_THAT(DownscaleToFit(image, -5),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "the largest side must be at least 1 pixel; got -5"));
  EXPECT_THAT(DownscaleToFit(Image{}, 10),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inconsistent image")));
  EXPECT_THAT(DownscaleToFit(Image{2, 2, std::vector<uint8_t>(11)}, 1),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "inconsistent image: 2x2 pixels need 12 RGB bytes; it has 11"));
  EXPECT_THAT(DownscaleToFit(Image{-2, 3, {}}, 1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inconsistent image")));
  // An inconsistent image is refused even when it would not need shrinking.
  EXPECT_THAT(DownscaleToFit(Image{2, 2, std::vector<uint8_t>(13)}, 100),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inconsistent image")));
}

}  // namespace
}  // namespace xmodal::media
