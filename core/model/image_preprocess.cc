#include "core/model/image_preprocess.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/model/pil_resample.h"

namespace xmodal::model {
namespace {

// Filter taps of one axis: output pixel i reads source pixels first[i] .. first[i]+count[i]-1
// with weights[i * taps + k].
struct AxisFilter {
  int taps = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<float> weights;
};

// Output pixels [offset, offset + n) of a resampling from `in_size` to `out_size` pixels
// (PIL's precompute_coeffs for the bilinear filter, restricted to a window).
AxisFilter MakeAxisFilter(int in_size, int out_size, int offset, int n) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = filter_scale;  // the triangle's support is 1 source pixel
  AxisFilter f;
  f.taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  f.first.resize(n);
  f.count.resize(n);
  f.weights.assign(static_cast<size_t>(n) * f.taps, 0.0f);
  for (int i = 0; i < n; ++i) {
    const double center = (offset + i + 0.5) * scale;
    const int lo = std::max(static_cast<int>(std::floor(center - support + 0.5)), 0);
    const int hi = std::min(static_cast<int>(std::floor(center + support + 0.5)), in_size);
    const int count = std::min(std::max(hi - lo, 1), f.taps);
    double total = 0.0;
    std::vector<double> w(count);
    for (int k = 0; k < count; ++k) {
      const double x = (lo + k - center + 0.5) / filter_scale;
      w[k] = std::max(0.0, 1.0 - std::abs(x));
      total += w[k];
    }
    for (int k = 0; k < count; ++k) {
      f.weights[static_cast<size_t>(i) * f.taps + k] =
          static_cast<float>(total > 0 ? w[k] / total : 1.0 / count);
    }
    f.first[i] = std::min(lo, in_size - 1);
    f.count[i] = count;
  }
  return f;
}

// "bicubic_shorter_side": Pillow's BICUBIC resize of the torchvision shorter-side geometry,
// only the centre window, then normalised.
absl::StatusOr<std::vector<float>> PreprocessBicubic(const ImageSpec& spec,
                                                     const media::Image& image) {
  XM_ASSIGN_OR_RETURN(const ResizeWindow window,
                      ShorterSideCenterWindow(image.width, image.height, spec.size));
  XM_ASSIGN_OR_RETURN(const media::Image crop, PilBicubicResize(image, window));
  const size_t plane = static_cast<size_t>(crop.width) * crop.height;
  std::vector<float> out(plane * 3);
  for (size_t i = 0; i < plane; ++i) {
    for (int c = 0; c < 3; ++c) {
      out[c * plane + i] = (crop.rgb[i * 3 + c] / 255.0f - spec.mean[c]) / spec.std[c];
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<float>> PreprocessImage(const ImageSpec& spec,
                                                   const media::Image& image) {
  if (image.width <= 0 || image.height <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("image is empty (", image.width, "x", image.height, " pixels)"));
  }
  const int64_t w = image.width;
  const int64_t h = image.height;
  if (static_cast<int64_t>(image.rgb.size()) != w * h * 3) {
    return absl::InvalidArgumentError(absl::StrCat("image claims ", w, "x", h, " pixels but has ",
                                                   image.rgb.size(), " RGB bytes, expected ",
                                                   w * h * 3));
  }
  if (spec.resize == "bicubic_shorter_side") return PreprocessBicubic(spec, image);
  const int size = spec.size;
  int out_w = size;
  int out_h = size;
  if (spec.resize == "shorter_side") {
    const double scale = static_cast<double>(size) / std::min(w, h);
    const double longer = std::round(std::max(w, h) * scale);
    if (longer > (1 << 30)) {
      return absl::InvalidArgumentError(
          absl::StrCat("image of ", w, "x", h, " pixels is too elongated to resize"));
    }
    out_w = w <= h ? size : std::max(size, static_cast<int>(std::round(w * scale)));
    out_h = h <= w ? size : std::max(size, static_cast<int>(std::round(h * scale)));
  }
  const AxisFilter fx = MakeAxisFilter(image.width, out_w, (out_w - size) / 2, size);
  const AxisFilter fy = MakeAxisFilter(image.height, out_h, (out_h - size) / 2, size);

  // Horizontal pass over the source rows the vertical pass reads.
  const int row0 = fy.first.front();
  int row1 = row0;
  for (int i = 0; i < size; ++i) row1 = std::max(row1, fy.first[i] + fy.count[i]);
  std::vector<float> tmp(static_cast<size_t>(row1 - row0) * size * 3);
  for (int y = row0; y < row1; ++y) {
    const uint8_t* src = image.rgb.data() + static_cast<size_t>(y) * w * 3;
    float* dst = tmp.data() + static_cast<size_t>(y - row0) * size * 3;
    for (int x = 0; x < size; ++x) {
      const float* wt = fx.weights.data() + static_cast<size_t>(x) * fx.taps;
      float acc[3] = {0, 0, 0};
      for (int k = 0; k < fx.count[x]; ++k) {
        const uint8_t* p = src + static_cast<size_t>(fx.first[x] + k) * 3;
        for (int c = 0; c < 3; ++c) acc[c] += wt[k] * p[c];
      }
      for (int c = 0; c < 3; ++c) dst[x * 3 + c] = acc[c];
    }
  }
  // Vertical pass, then scale, normalise and lay out as CHW.
  const size_t plane = static_cast<size_t>(size) * size;
  std::vector<float> out(plane * 3);
  for (int y = 0; y < size; ++y) {
    const float* wt = fy.weights.data() + static_cast<size_t>(y) * fy.taps;
    for (int x = 0; x < size; ++x) {
      float acc[3] = {0, 0, 0};
      for (int k = 0; k < fy.count[y]; ++k) {
        const float* p = tmp.data() + (static_cast<size_t>(fy.first[y] + k - row0) * size + x) * 3;
        for (int c = 0; c < 3; ++c) acc[c] += wt[k] * p[c];
      }
      for (int c = 0; c < 3; ++c) {
        out[c * plane + static_cast<size_t>(y) * size + x] =
            (acc[c] / 255.0f - spec.mean[c]) / spec.std[c];
      }
    }
  }
  return out;
}

}  // namespace xmodal::model
