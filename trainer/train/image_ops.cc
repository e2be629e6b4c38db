#include "trainer/train/image_ops.h"

#include <glog/logging.h>

#include <algorithm>
#include <cmath>
#include <deque>

namespace xmodal::train {
namespace {

void CheckImage(const media::Image& image) {
  CHECK(image.width > 0 && image.height > 0 &&
        image.rgb.size() == static_cast<size_t>(image.width) * image.height * 3)
      << "inconsistent image " << image.width << "x" << image.height;
}

// Weights of the source pixels for each output index along one axis.
struct AxisWeights {
  std::vector<int> first;
  std::vector<std::vector<float>> weights;
};

AxisWeights TriangleWeights(int in_size, int out_size) {
  AxisWeights w;
  const double scale = static_cast<double>(in_size) / out_size;
  const double support = std::max(scale, 1.0);
  for (int o = 0; o < out_size; ++o) {
    const double centre = (o + 0.5) * scale;
    const int lo = std::max(0, static_cast<int>(std::floor(centre - support)));
    const int hi = std::min(in_size - 1, static_cast<int>(std::ceil(centre + support)));
    std::vector<float> ws;
    double total = 0;
    for (int i = lo; i <= hi; ++i) {
      const double x = std::max(0.0, 1.0 - std::abs((i + 0.5 - centre) / support));
      ws.push_back(static_cast<float>(x));
      total += x;
    }
    // The source pixel under the centre is within 0.5 < support of it: total > 0.
    DCHECK_GT(total, 0.0);
    for (float& x : ws) x = static_cast<float>(x / total);
    w.first.push_back(lo);
    w.weights.push_back(std::move(ws));
  }
  return w;
}

uint8_t ToByte(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

}  // namespace

media::Image ResizeImage(const media::Image& image, int width, int height) {
  CheckImage(image);
  CHECK(width >= 1 && height >= 1);
  const AxisWeights wx = TriangleWeights(image.width, width);
  const AxisWeights wy = TriangleWeights(image.height, height);
  // Horizontal pass into floats (image.height x width x 3), then vertical.
  std::vector<float> mid(static_cast<size_t>(image.height) * width * 3, 0.0f);
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* row = &image.rgb[static_cast<size_t>(y) * image.width * 3];
    float* out = &mid[static_cast<size_t>(y) * width * 3];
    for (int x = 0; x < width; ++x) {
      float acc[3] = {0, 0, 0};
      for (size_t k = 0; k < wx.weights[x].size(); ++k) {
        const uint8_t* p = row + (wx.first[x] + k) * 3;
        for (int c = 0; c < 3; ++c) acc[c] += wx.weights[x][k] * p[c];
      }
      for (int c = 0; c < 3; ++c) out[x * 3 + c] = acc[c];
    }
  }
  media::Image result{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 3)};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float acc[3] = {0, 0, 0};
      for (size_t k = 0; k < wy.weights[y].size(); ++k) {
        const float* p = &mid[((wy.first[y] + k) * width + x) * 3];
        for (int c = 0; c < 3; ++c) acc[c] += wy.weights[y][k] * p[c];
      }
      for (int c = 0; c < 3; ++c)
        result.rgb[(static_cast<size_t>(y) * width + x) * 3 + c] = ToByte(acc[c]);
    }
  }
  return result;
}

media::Image ShrinkToShorterSide(const media::Image& image, int shorter_side) {
  CheckImage(image);
  const int shorter = std::min(image.width, image.height);
  if (shorter <= shorter_side) return image;
  const double f = static_cast<double>(shorter_side) / shorter;
  const int w = std::max(1, static_cast<int>(std::lround(image.width * f)));
  const int h = std::max(1, static_cast<int>(std::lround(image.height * f)));
  return ResizeImage(image, w, h);
}

std::vector<uint8_t> BackgroundMask(const media::Image& image, int threshold) {
  CheckImage(image);
  const int w = image.width, h = image.height;
  std::vector<uint8_t> mask(static_cast<size_t>(w) * h, 0);
  auto near_white = [&](int i) {
    const uint8_t* p = &image.rgb[static_cast<size_t>(i) * 3];
    return p[0] >= threshold && p[1] >= threshold && p[2] >= threshold;
  };
  std::deque<int> queue;
  auto visit = [&](int x, int y) {
    const int i = y * w + x;
    if (mask[i] == 0 && near_white(i)) {
      mask[i] = 1;
      queue.push_back(i);
    }
  };
  for (int x = 0; x < w; ++x) visit(x, 0), visit(x, h - 1);
  for (int y = 0; y < h; ++y) visit(0, y), visit(w - 1, y);
  while (!queue.empty()) {
    const int i = queue.front();
    queue.pop_front();
    const int x = i % w, y = i / w;
    if (x > 0) visit(x - 1, y);
    if (x + 1 < w) visit(x + 1, y);
    if (y > 0) visit(x, y - 1);
    if (y + 1 < h) visit(x, y + 1);
  }
  return mask;
}

void FillBackground(media::Image& image, const std::vector<uint8_t>& mask,
                    std::array<uint8_t, 3> colour) {
  CheckImage(image);
  CHECK_EQ(mask.size(), static_cast<size_t>(image.width) * image.height);
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i] == 0) continue;
    for (int c = 0; c < 3; ++c) image.rgb[i * 3 + c] = colour[c];
  }
}

media::Image WarpAffine(const media::Image& image, const AffineParams& params,
                        std::array<uint8_t, 3> fill) {
  CheckImage(image);
  const int w = image.width, h = image.height;
  const double cx = w / 2.0, cy = h / 2.0;
  const double cs = std::cos(params.rotation_radians), sn = std::sin(params.rotation_radians);
  media::Image out{w, h, std::vector<uint8_t>(image.rgb.size())};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      // Output pixel centre -> source coordinates (inverse of scale, rotate, shift).
      const double u = (x + 0.5 - cx - params.shift_x) / params.scale_x;
      const double v = (y + 0.5 - cy - params.shift_y) / params.scale_y;
      const double sx = cs * u + sn * v + cx - 0.5;
      const double sy = -sn * u + cs * v + cy - 0.5;
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      const double fx = sx - x0, fy = sy - y0;
      double acc[3] = {0, 0, 0};
      for (int dy = 0; dy <= 1; ++dy) {
        for (int dx = 0; dx <= 1; ++dx) {
          const double wgt = (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
          const int px = x0 + dx, py = y0 + dy;
          const bool inside = px >= 0 && px < w && py >= 0 && py < h;
          const uint8_t* p = inside ? &image.rgb[(static_cast<size_t>(py) * w + px) * 3] : nullptr;
          for (int c = 0; c < 3; ++c) acc[c] += wgt * (inside ? p[c] : fill[c]);
        }
      }
      uint8_t* o = &out.rgb[(static_cast<size_t>(y) * w + x) * 3];
      for (int c = 0; c < 3; ++c) o[c] = ToByte(acc[c]);
    }
  }
  return out;
}

void AdjustColour(media::Image& image, const ColourParams& params) {
  CheckImage(image);
  // RGB -> YIQ, rotate (I, Q) by hue, back to RGB: one 3x3 matrix.
  static constexpr double kToYiq[3][3] = {
      {0.299, 0.587, 0.114}, {0.596, -0.274, -0.322}, {0.211, -0.523, 0.312}};
  static constexpr double kToRgb[3][3] = {
      {1.0, 0.956, 0.621}, {1.0, -0.272, -0.647}, {1.0, -1.106, 1.703}};
  const double cs = std::cos(params.hue_radians), sn = std::sin(params.hue_radians);
  const double rot[3][3] = {{1, 0, 0}, {0, cs, -sn}, {0, sn, cs}};
  double m[3][3] = {};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      for (int k = 0; k < 3; ++k) {
        for (int l = 0; l < 3; ++l) m[i][j] += kToRgb[i][k] * rot[k][l] * kToYiq[l][j];
      }
    }
  }
  double mean_luma = 0;
  const size_t n = image.rgb.size() / 3;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = &image.rgb[i * 3];
    mean_luma += 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
  }
  mean_luma /= static_cast<double>(n);
  for (size_t i = 0; i < n; ++i) {
    uint8_t* p = &image.rgb[i * 3];
    const double in[3] = {static_cast<double>(p[0]), static_cast<double>(p[1]),
                          static_cast<double>(p[2])};
    for (int c = 0; c < 3; ++c) {
      const double hued = m[c][0] * in[0] + m[c][1] * in[1] + m[c][2] * in[2];
      const double contrasted = (hued - mean_luma) * params.contrast + mean_luma;
      p[c] = ToByte(contrasted * params.brightness);
    }
  }
}

}  // namespace xmodal::train
