#include "core/model/image_preprocess.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/model/pil_resample.h"
#include "testing/status_matchers.h"

namespace xmodal::model {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

media::Image MakeImage(int w, int h, const std::function<std::array<uint8_t, 3>(int, int)>& px) {
  media::Image img;
  img.width = w;
  img.height = h;
  img.rgb.resize(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const auto p = px(x, y);
      for (int c = 0; c < 3; ++c) img.rgb[(static_cast<size_t>(y) * w + x) * 3 + c] = p[c];
    }
  }
  return img;
}

ImageSpec Spec(int size, const std::string& resize, const std::string& crop) {
  ImageSpec s;
  s.size = size;
  s.resize = resize;
  s.crop = crop;
  return s;
}

// Value of channel c at (x, y) of a CHW output of side `size`.
float At(const std::vector<float>& chw, int size, int c, int x, int y) {
  return chw[(static_cast<size_t>(c) * size + y) * size + x];
}

TEST(ImagePreprocessTest, SolidColourStaysThatColour) {
  const media::Image img = MakeImage(37, 23, [](int, int) {
    return std::array<uint8_t, 3>{200, 100, 50};
  });
  for (const ImageSpec& spec : {Spec(16, "shorter_side", "center"), Spec(16, "stretch", "none"),
                                Spec(64, "shorter_side", "center")}) {
    ASSERT_OK_AND_ASSIGN(std::vector<float> out, PreprocessImage(spec, img));
    ASSERT_EQ(out.size(), 3u * spec.size * spec.size);
    for (int y = 0; y < spec.size; ++y) {
      for (int x = 0; x < spec.size; ++x) {
        EXPECT_NEAR(At(out, spec.size, 0, x, y), 200 / 255.0, 1e-5);
        EXPECT_NEAR(At(out, spec.size, 1, x, y), 100 / 255.0, 1e-5);
        EXPECT_NEAR(At(out, spec.size, 2, x, y), 50 / 255.0, 1e-5);
      }
    }
  }
}

TEST(ImagePreprocessTest, ShorterSideCropsTheCentreOfLandscapeImages) {
  // 64x32: columns 0-15 red, 16-47 green, 48-63 blue. Scaled to 32x16, the centre 16x16 crop
  // shows source columns 16-47: green, with a trace of red and blue only at the edges.
  const media::Image img = MakeImage(64, 32, [](int x, int) {
    if (x < 16) return std::array<uint8_t, 3>{255, 0, 0};
    if (x < 48) return std::array<uint8_t, 3>{0, 255, 0};
    return std::array<uint8_t, 3>{0, 0, 255};
  });
  ASSERT_OK_AND_ASSIGN(std::vector<float> out,
                       PreprocessImage(Spec(16, "shorter_side", "center"), img));
  for (int y = 0; y < 16; ++y) {
    for (int x = 1; x < 15; ++x) {
      EXPECT_NEAR(At(out, 16, 1, x, y), 1.0f, 1e-5) << x << "," << y;
    }
    EXPECT_GT(At(out, 16, 0, 0, y), 0.05f);  // red leaks into the left edge only
    EXPECT_NEAR(At(out, 16, 2, 0, y), 0.0f, 1e-6);
    EXPECT_GT(At(out, 16, 2, 15, y), 0.05f);  // blue into the right edge only
    EXPECT_NEAR(At(out, 16, 0, 15, y), 0.0f, 1e-6);
    EXPECT_NEAR(At(out, 16, 0, 0, y), At(out, 16, 2, 15, y), 1e-5);  // symmetric crop
  }
}

TEST(ImagePreprocessTest, ShorterSideCropsTheCentreOfPortraitImages) {
  // 20x50: rows 0-14 black, 15-34 white, 35-49 black; scaled to 8x20, the crop keeps rows
  // 6-13 of 20, i.e. source rows 15-34 (white).
  const media::Image img = MakeImage(20, 50, [](int, int y) {
    const uint8_t v = (y >= 15 && y < 35) ? 255 : 0;
    return std::array<uint8_t, 3>{v, v, v};
  });
  ASSERT_OK_AND_ASSIGN(std::vector<float> out,
                       PreprocessImage(Spec(8, "shorter_side", "center"), img));
  for (int x = 0; x < 8; ++x) {
    for (int y = 1; y < 7; ++y) EXPECT_NEAR(At(out, 8, 0, x, y), 1.0f, 1e-5);
    EXPECT_LT(At(out, 8, 0, x, 0), 1.0f);
    EXPECT_NEAR(At(out, 8, 0, x, 0), At(out, 8, 0, x, 7), 1e-5);
  }
}

TEST(ImagePreprocessTest, DownscalingIsAntialiased) {
  // A one-pixel checkerboard shrunk 3x averages to mid-grey; point sampling (no antialiasing)
  // would hit pixel 3i+1 of each row and give pure black and white.
  const media::Image img = MakeImage(48, 48, [](int x, int y) {
    const uint8_t v = ((x + y) % 2) ? 255 : 0;
    return std::array<uint8_t, 3>{v, v, v};
  });
  ASSERT_OK_AND_ASSIGN(std::vector<float> out, PreprocessImage(Spec(16, "stretch", "none"), img));
  for (float v : out) EXPECT_NEAR(v, 0.5f, 0.02f);
}

TEST(ImagePreprocessTest, UpscalingInterpolatesBetweenPixels) {
  const media::Image img = MakeImage(2, 1, [](int x, int) {
    const uint8_t v = x == 0 ? 0 : 255;
    return std::array<uint8_t, 3>{v, v, v};
  });
  ASSERT_OK_AND_ASSIGN(std::vector<float> out, PreprocessImage(Spec(8, "stretch", "none"), img));
  for (int x = 0; x < 8; ++x) {
    EXPECT_NEAR(At(out, 8, 0, x, 0), At(out, 8, 0, x, 7), 1e-6);  // rows are equal
    if (x > 0) {
      EXPECT_GE(At(out, 8, 0, x, 0), At(out, 8, 0, x - 1, 0));
    }
  }
  EXPECT_NEAR(At(out, 8, 0, 0, 0), 0.0f, 1e-6);
  EXPECT_NEAR(At(out, 8, 0, 7, 0), 1.0f, 1e-6);
  EXPECT_NEAR(At(out, 8, 0, 3, 0) + At(out, 8, 0, 4, 0), 1.0f, 1e-5);
}

TEST(ImagePreprocessTest, NormalisesWithMeanAndStd) {
  const media::Image img = MakeImage(5, 5, [](int, int) {
    return std::array<uint8_t, 3>{51, 102, 255};
  });
  ImageSpec spec = Spec(4, "stretch", "none");
  spec.mean = {0.5f, 0.25f, 1.0f};
  spec.std = {0.5f, 2.0f, 0.1f};
  ASSERT_OK_AND_ASSIGN(std::vector<float> out, PreprocessImage(spec, img));
  EXPECT_NEAR(At(out, 4, 0, 2, 2), (0.2f - 0.5f) / 0.5f, 1e-5);
  EXPECT_NEAR(At(out, 4, 1, 2, 2), (0.4f - 0.25f) / 2.0f, 1e-5);
  EXPECT_NEAR(At(out, 4, 2, 2, 2), 0.0f, 1e-5);
}

TEST(ImagePreprocessTest, RejectsEmptyAndInconsistentImages) {
  EXPECT_THAT(PreprocessImage(Spec(8, "stretch", "none"), media::Image{}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("image is empty (0x0")));
  media::Image bad = MakeImage(4, 4, [](int, int) { return std::array<uint8_t, 3>{1, 2, 3}; });
  bad.rgb.pop_back();
  EXPECT_THAT(PreprocessImage(Spec(8, "stretch", "none"), bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("image claims 4x4 pixels but has 47 RGB bytes, expected 48")));
}

TEST(ImagePreprocessTest, BicubicShorterSideKeepsASinglePixelsColour) {
  const media::Image img = MakeImage(1, 1, [](int, int) {
    return std::array<uint8_t, 3>{200, 100, 50};
  });
  ASSERT_OK_AND_ASSIGN(std::vector<float> out,
                       PreprocessImage(Spec(32, "bicubic_shorter_side", "center"), img));
  ASSERT_EQ(out.size(), 3u * 32 * 32);
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 32; ++x) {
      EXPECT_FLOAT_EQ(At(out, 32, 0, x, y), 200 / 255.0f);
      EXPECT_FLOAT_EQ(At(out, 32, 1, x, y), 100 / 255.0f);
      EXPECT_FLOAT_EQ(At(out, 32, 2, x, y), 50 / 255.0f);
    }
  }
}

TEST(ImagePreprocessTest, BicubicShorterSideIsTheIdentityAtSize) {
  const media::Image solid = MakeImage(24, 24, [](int, int) {
    return std::array<uint8_t, 3>{10, 128, 255};
  });
  ImageSpec spec = Spec(24, "bicubic_shorter_side", "center");
  spec.mean = {0.5f, 0.5f, 0.5f};
  spec.std = {0.25f, 0.25f, 0.25f};
  ASSERT_OK_AND_ASSIGN(std::vector<float> out, PreprocessImage(spec, solid));
  for (int i = 0; i < 24 * 24; ++i) {
    EXPECT_FLOAT_EQ(out[i], (10 / 255.0f - 0.5f) / 0.25f);
    EXPECT_FLOAT_EQ(out[24 * 24 + i], (128 / 255.0f - 0.5f) / 0.25f);
    EXPECT_FLOAT_EQ(out[2 * 24 * 24 + i], (255 / 255.0f - 0.5f) / 0.25f);
  }
  // A textured image whose shorter side is already `size` is only cropped: 30x24 keeps
  // columns 3..26 (offset round(6 / 2) = 3), pixel for pixel.
  const media::Image texture = MakeImage(30, 24, [](int x, int y) {
    return std::array<uint8_t, 3>{static_cast<uint8_t>(x * 8), static_cast<uint8_t>(y * 9),
                                  static_cast<uint8_t>((x * y) % 256)};
  });
  ASSERT_OK_AND_ASSIGN(out, PreprocessImage(Spec(24, "bicubic_shorter_side", "center"), texture));
  for (int y = 0; y < 24; ++y) {
    for (int x = 0; x < 24; ++x) {
      EXPECT_FLOAT_EQ(At(out, 24, 0, x, y), (x + 3) * 8 / 255.0f) << x << "," << y;
      EXPECT_FLOAT_EQ(At(out, 24, 1, x, y), y * 9 / 255.0f) << x << "," << y;
    }
  }
}

TEST(ImagePreprocessTest, BicubicShorterSideCropsTheTorchvisionWindow) {
  // 640x360 at 224: resized to 398x224 (int(398.2)), crop offset (87, 0).
  const media::Image img = MakeImage(640, 360, [](int x, int y) {
    return std::array<uint8_t, 3>{static_cast<uint8_t>(x % 256), static_cast<uint8_t>(y % 256),
                                  static_cast<uint8_t>(((x / 7 + y / 5) % 2) * 255)};
  });
  ASSERT_OK_AND_ASSIGN(std::vector<float> out,
                       PreprocessImage(Spec(224, "bicubic_shorter_side", "center"), img));
  ASSERT_OK_AND_ASSIGN(const media::Image crop,
                       PilBicubicResize(img, ResizeWindow{398, 224, 87, 0, 224, 224}));
  for (int y = 0; y < 224; ++y) {
    for (int x = 0; x < 224; ++x) {
      for (int c = 0; c < 3; ++c) {
        ASSERT_EQ(At(out, 224, c, x, y),
                  crop.rgb[(static_cast<size_t>(y) * 224 + x) * 3 + c] / 255.0f)
            << x << "," << y << " channel " << c;
      }
    }
  }
}

TEST(ImagePreprocessTest, BicubicShorterSideRefusesExtremeAspectRatiosAndBadImages) {
  const media::Image thin = MakeImage(1, 300000, [](int, int) {
    return std::array<uint8_t, 3>{1, 2, 3};
  });
  EXPECT_THAT(PreprocessImage(Spec(4096, "bicubic_shorter_side", "center"), thin),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("image of 1x300000 pixels is too elongated to resize")));
  EXPECT_THAT(PreprocessImage(Spec(8, "bicubic_shorter_side", "center"), media::Image{}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("image is empty (0x0")));
}

}  // namespace
}  // namespace xmodal::model
