// CLIP's image preprocessing ("resize": "bicubic_shorter_side"): the torchvision geometry and
// Pillow's bicubic resampling (pil_resample.h), and the whole transform against the reference
// outputs of ../shared/golden/clip (skipped when absent).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "core/base/file_util.h"
#include "core/media/image.h"
#include "core/model/image_preprocess.h"
#include "core/model/model_manifest.h"
#include "core/model/pil_resample.h"
#include "core/model/weights/safetensors.h"
#include "testing/golden.h"
#include "testing/status_matchers.h"

namespace xmodal::model {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

// A deterministic, textured RGB image.
media::Image Pattern(int w, int h) {
  media::Image img;
  img.width = w;
  img.height = h;
  img.rgb.resize(static_cast<size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = img.rgb.data() + (static_cast<size_t>(y) * w + x) * 3;
      p[0] = static_cast<uint8_t>((x * 37 + y * 11) % 256);
      p[1] = static_cast<uint8_t>(((x / 3) % 2 == (y / 5) % 2) ? 250 : 5);
      p[2] = static_cast<uint8_t>((x * x + 3 * y) % 256);
    }
  }
  return img;
}

ImageSpec ClipSpec() {
  ImageSpec s;
  s.size = 224;
  s.resize = "bicubic_shorter_side";
  s.crop = "center";
  s.mean = {0.48145466f, 0.4578275f, 0.40821073f};
  s.std = {0.26862954f, 0.26130258f, 0.27577711f};
  return s;
}

TEST(ShorterSideCenterWindowTest, FollowsTorchvisionSizeAndCropRules) {
  ASSERT_OK_AND_ASSIGN(ResizeWindow wide, ShorterSideCenterWindow(640, 360, 224));
  EXPECT_EQ(wide.resized_width, 398);  // int(224 * 640 / 360) = int(398.2)
  EXPECT_EQ(wide.resized_height, 224);
  EXPECT_EQ(wide.left, 87);
  EXPECT_EQ(wide.top, 0);
  EXPECT_EQ(wide.width, 224);
  EXPECT_EQ(wide.height, 224);

  ASSERT_OK_AND_ASSIGN(ResizeWindow tall, ShorterSideCenterWindow(101, 257, 224));
  EXPECT_EQ(tall.resized_width, 224);
  EXPECT_EQ(tall.resized_height, 569);  // int(569.98): truncated, not rounded
  EXPECT_EQ(tall.left, 0);
  EXPECT_EQ(tall.top, 172);  // round(172.5) = 172, half to even

  ASSERT_OK_AND_ASSIGN(ResizeWindow odd, ShorterSideCenterWindow(10, 17, 8));
  EXPECT_EQ(odd.resized_height, 13);  // int(13.6)
  EXPECT_EQ(odd.top, 2);              // round(2.5) = 2
  ASSERT_OK_AND_ASSIGN(ResizeWindow odd2, ShorterSideCenterWindow(22, 10, 8));
  EXPECT_EQ(odd2.resized_width, 17);  // int(17.6)
  EXPECT_EQ(odd2.left, 4);            // round(4.5) = 4
  ASSERT_OK_AND_ASSIGN(ResizeWindow odd3, ShorterSideCenterWindow(10, 24, 8));
  EXPECT_EQ(odd3.resized_height, 19);  // int(19.2)
  EXPECT_EQ(odd3.top, 6);              // round(5.5) = 6

  ASSERT_OK_AND_ASSIGN(ResizeWindow square, ShorterSideCenterWindow(224, 224, 224));
  EXPECT_EQ(square.resized_width, 224);
  EXPECT_EQ(square.left, 0);
}

TEST(ShorterSideCenterWindowTest, RefusesBadSizesAndExtremeAspectRatios) {
  EXPECT_THAT(ShorterSideCenterWindow(0, 10, 224),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot resize a 0x10")));
  EXPECT_THAT(ShorterSideCenterWindow(1, 300000, 4096),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("image of 1x300000 pixels is too elongated to resize")));
}

TEST(PilBicubicResizeTest, AWindowEqualsTheCropOfTheWholeResize) {
  const media::Image img = Pattern(53, 31);
  for (const auto& [rw, rh] :
       {std::pair{20, 11}, std::pair{97, 64}, std::pair{53, 70}, std::pair{30, 31}}) {
    ResizeWindow whole{rw, rh, 0, 0, rw, rh};
    ASSERT_OK_AND_ASSIGN(media::Image full, PilBicubicResize(img, whole));
    ASSERT_EQ(full.width, rw);
    ASSERT_EQ(full.height, rh);
    const ResizeWindow part{rw, rh, rw / 3, rh / 4, rw / 2, rh / 2};
    ASSERT_OK_AND_ASSIGN(media::Image crop, PilBicubicResize(img, part));
    ASSERT_EQ(crop.rgb.size(), static_cast<size_t>(part.width) * part.height * 3);
    for (int y = 0; y < part.height; ++y) {
      for (int x = 0; x < part.width; ++x) {
        for (int c = 0; c < 3; ++c) {
          ASSERT_EQ(crop.rgb[(static_cast<size_t>(y) * part.width + x) * 3 + c],
                    full.rgb[(static_cast<size_t>(y + part.top) * rw + x + part.left) * 3 + c])
              << rw << "x" << rh << " at " << x << "," << y << " channel " << c;
        }
      }
    }
  }
}

TEST(PilBicubicResizeTest, SameSizeIsTheIdentity) {
  const media::Image img = Pattern(17, 9);
  ASSERT_OK_AND_ASSIGN(media::Image out, PilBicubicResize(img, {17, 9, 0, 0, 17, 9}));
  EXPECT_EQ(out.rgb, img.rgb);
}

TEST(PilBicubicResizeTest, ConstantImagesStayConstantAtAnyScale) {
  media::Image img;
  img.width = 7;
  img.height = 300;
  img.rgb.assign(7 * 300 * 3, 0);
  for (size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = i % 3 == 0 ? 255 : (i % 3 == 1 ? 0 : 77);
  ASSERT_OK_AND_ASSIGN(media::Image out, PilBicubicResize(img, {64, 5, 0, 0, 64, 5}));
  for (size_t i = 0; i < out.rgb.size(); ++i) {
    ASSERT_EQ(out.rgb[i], i % 3 == 0 ? 255 : (i % 3 == 1 ? 0 : 77)) << i;
  }
}

TEST(PilBicubicResizeTest, OvershootIsClampedInThe8BitIntermediate) {
  // A hard black/white edge upscaled 4x: cubic convolution rings past 0 and 255; Pillow clamps.
  media::Image img;
  img.width = 8;
  img.height = 1;
  for (int x = 0; x < 8; ++x) {
    const uint8_t v = x < 4 ? 0 : 255;
    img.rgb.insert(img.rgb.end(), {v, v, v});
  }
  ASSERT_OK_AND_ASSIGN(media::Image out, PilBicubicResize(img, {32, 1, 0, 0, 32, 1}));
  EXPECT_EQ(out.rgb.front(), 0);
  EXPECT_EQ(out.rgb.back(), 255);
  for (int x = 1; x < 32; ++x) EXPECT_GE(out.rgb[x * 3], out.rgb[(x - 1) * 3]) << x;
}

TEST(PilBicubicResizeTest, RefusesWindowsOutsideTheResizedImage) {
  const media::Image img = Pattern(8, 8);
  EXPECT_THAT(PilBicubicResize(img, {16, 16, 10, 0, 8, 8}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("window 8x8 at (10, 0) is not inside the resized 16x16 image")));
  EXPECT_THAT(PilBicubicResize(media::Image{}, {16, 16, 0, 0, 8, 8}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty or inconsistent")));
}

struct Diff {
  double max = 0.0;
  double mean = 0.0;
};

Diff Compare(const std::vector<float>& got, const std::vector<float>& want) {
  Diff d;
  for (size_t i = 0; i < got.size(); ++i) {
    const double e = std::abs(static_cast<double>(got[i]) - want[i]);
    d.max = std::max(d.max, e);
    d.mean += e;
  }
  d.mean /= std::max<size_t>(got.size(), 1);
  return d;
}

TEST(ClipPreprocessGoldenTest, MatchesTheReferenceTransform) {
  const std::string dir = xmodal::testing::GoldenDir("clip");
  if (dir.empty()) GTEST_SKIP() << xmodal::testing::GoldenMissing("clip");
  ASSERT_OK_AND_ASSIGN(const std::string io, ReadFile(dir + "/preprocess_io.safetensors"));
  ASSERT_OK_AND_ASSIGN(const weights::SafetensorsFile file,
                       weights::ParseSafetensors(io, "preprocess_io.safetensors"));
  for (const std::string name : {"preprocess_wide", "preprocess_tall"}) {
    SCOPED_TRACE(name);
    ASSERT_OK_AND_ASSIGN(const std::string png, ReadFile(dir + "/" + name + ".png"));
    ASSERT_OK_AND_ASSIGN(const media::Image image, media::DecodeImage(png));
    ASSERT_OK_AND_ASSIGN(const std::vector<float> got, PreprocessImage(ClipSpec(), image));

    const auto it = file.tensors.find(name);
    ASSERT_NE(it, file.tensors.end());
    EXPECT_EQ(it->second.shape, (std::vector<int64_t>{3, 224, 224}));
    ASSERT_OK_AND_ASSIGN(const std::vector<float> want, weights::ToFloat32(name, it->second));
    ASSERT_EQ(got.size(), want.size());

    const Diff d = Compare(got, want);
    std::cout << name << " (" << image.width << "x" << image.height << "): max |diff| " << d.max
              << ", mean |diff| " << d.mean << "\n";
    RecordProperty(name + "_max_abs_diff", std::to_string(d.max));
    RecordProperty(name + "_mean_abs_diff", std::to_string(d.mean));
    EXPECT_LE(d.max, 0.02);
    EXPECT_LE(d.mean, 1e-3);
  }
}

}  // namespace
}  // namespace xmodal::model
