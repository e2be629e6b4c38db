// Tests for SVG rendering (trainer/corpus/svg_render.h) and LoadStampImage.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/base/file_util.h"
#include "testing/status_matchers.h"
#include "tests/corpus/fake_stamp_tree.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/corpus/svg_render.h"

namespace xmodal::corpus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

std::vector<int> Pixel(const media::Image& image, int x, int y) {
  const size_t i = (static_cast<size_t>(y) * image.width + x) * 3;
  return {image.rgb[i], image.rgb[i + 1], image.rgb[i + 2]};
}

TEST(RenderSvgTest, LongerSideAndAspectRatio) {
  ASSERT_OK_AND_ASSIGN(const media::Image image, RenderSvg(testing::RedRectSvg(), 256));
  EXPECT_EQ(image.width, 256);
  EXPECT_EQ(image.height, 128);
  EXPECT_EQ(image.rgb.size(), 256u * 128 * 3);
}

TEST(RenderSvgTest, RedRectOverWhiteBackground) {
  ASSERT_OK_AND_ASSIGN(const media::Image image, RenderSvg(testing::RedRectSvg(), 200));
  ASSERT_EQ(image.width, 200);
  EXPECT_THAT(Pixel(image, 100, 50), ElementsAre(255, 0, 0));   // inside the rectangle
  EXPECT_THAT(Pixel(image, 5, 5), ElementsAre(255, 255, 255));  // transparent -> white
  EXPECT_THAT(Pixel(image, 190, 90), ElementsAre(255, 255, 255));
}

TEST(RenderSvgTest, HalfTransparentBlueIsLightBlue) {
  const std::string svg =
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">)"
      R"(<rect width="10" height="10" fill="#0000ff" fill-opacity="0.5"/></svg>)";
  ASSERT_OK_AND_ASSIGN(const media::Image image, RenderSvg(svg, 10));
  const std::vector<int> p = Pixel(image, 5, 5);
  EXPECT_NEAR(p[0], 128, 2);
  EXPECT_NEAR(p[1], 128, 2);
  EXPECT_EQ(p[2], 255);
}

TEST(RenderSvgTest, SizeFromViewBoxWhenNoWidthOrHeight) {
  const std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 100">)"
                          R"(<rect width="50" height="100" fill="#00ff00"/></svg>)";
  ASSERT_OK_AND_ASSIGN(const media::Image image, RenderSvg(svg, 64));
  EXPECT_EQ(image.width, 32);
  EXPECT_EQ(image.height, 64);
  EXPECT_THAT(Pixel(image, 16, 32), ElementsAre(0, 255, 0));
}

TEST(RenderSvgTest, RejectsBadInputWithInvalidArgument) {
  EXPECT_THAT(RenderSvg("", 64), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(RenderSvg("<svg this is not xml", 64),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("librsvg")));
  EXPECT_THAT(RenderSvg(testing::RedRectSvg(), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outside [1, 8192]")));
  EXPECT_THAT(RenderSvg(testing::RedRectSvg(), kMaxSvgSide + 1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outside")));
}

TEST(LoadStampImageTest, PngAndSvgStamps) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("stamp_image_test"));
  ASSERT_OK(testing::WriteExampleStampTree(root));
  Stamp lion;
  lion.image_path = root + "/animals/lion.png";
  ASSERT_OK_AND_ASSIGN(const media::Image png, LoadStampImage(lion));
  EXPECT_EQ(png.width, 40);
  EXPECT_EQ(png.height, 20);
  EXPECT_THAT(Pixel(png, 3, 3), ElementsAre(255, 0, 0));

  Stamp cat;
  cat.image_path = root + "/animals/cat.svg";
  cat.image_is_svg = true;
  ASSERT_OK_AND_ASSIGN(const media::Image svg, LoadStampImage(cat, 100));
  EXPECT_EQ(svg.width, 100);
  EXPECT_EQ(svg.height, 50);
  EXPECT_THAT(Pixel(svg, 50, 25), ElementsAre(255, 0, 0));
}

TEST(LoadStampImageTest, ErrorsNameTheFile) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("stamp_image_err"));
  ASSERT_OK(testing::WriteFileAt(root, "bad.png", "not a png at all"));
  Stamp bad;
  bad.image_path = root + "/bad.png";
  EXPECT_THAT(LoadStampImage(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad.png")));
  Stamp missing;
  missing.image_path = root + "/missing.png";
  EXPECT_THAT(LoadStampImage(missing), StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing")));
}

}  // namespace
}  // namespace xmodal::corpus
