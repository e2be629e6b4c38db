#include "core/model/pil_resample.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"

namespace xmodal::model {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Pillow's PRECISION_BITS
constexpr double kBicubicSupport = 2.0;

// Pillow's bicubic_filter (cubic convolution, a = -0.5), written in the same operation order
// so that the double results match bit for bit.
double BicubicFilter(double x) {
  constexpr double a = -0.5;
  if (x < 0.0) x = -x;
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
  if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
  return 0.0;
}

// Fixed-point taps of one axis: output pixel i reads input pixels first[i] ..
// first[i] + count[i] - 1 with weights k[i * ksize + j].
struct AxisCoeffs {
  int ksize = 0;
  std::vector<int> first;
  std::vector<int> count;
  std::vector<int32_t> k;
};

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for a resampling of `in_size` pixels to
// `out_size` (box = the whole input), restricted to output pixels [offset, offset + n).
AxisCoeffs PrecomputeCoeffs(int in_size, int out_size, int offset, int n) {
  // Pillow takes the box edges as floats: (double)(in1 - in0) / outSize.
  const double scale = static_cast<double>(static_cast<float>(in_size)) / out_size;
  const double filterscale = std::max(scale, 1.0);
  const double support = kBicubicSupport * filterscale;
  AxisCoeffs c;
  c.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  c.first.resize(n);
  c.count.resize(n);
  c.k.assign(static_cast<size_t>(n) * c.ksize, 0);
  std::vector<double> w(c.ksize);
  for (int i = 0; i < n; ++i) {
    const double center = (offset + i + 0.5) * scale;
    const double ss = 1.0 / filterscale;
    // Pillow "rounds" by truncation toward zero; a negative result is clamped to 0 anyway.
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int xmax =
        std::min(std::min(static_cast<int>(center + support + 0.5), in_size) - xmin, c.ksize);
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      w[x] = BicubicFilter((x + xmin - center + 0.5) * ss);
      ww += w[x];
    }
    for (int x = 0; x < xmax; ++x) {
      if (ww != 0.0) w[x] /= ww;
      const double scaled = w[x] * (1 << kPrecisionBits);
      c.k[static_cast<size_t>(i) * c.ksize + x] =
          static_cast<int32_t>(w[x] < 0 ? -0.5 + scaled : 0.5 + scaled);
    }
    c.first[i] = xmin;
    c.count[i] = xmax;
  }
  return c;
}

// Pillow's clip8: the sum's integer part, clamped to 0..255 (>> floors negative sums).
uint8_t Clip8(int64_t sum) {
  return static_cast<uint8_t>(std::clamp<int64_t>(sum >> kPrecisionBits, 0, 255));
}

}  // namespace

absl::StatusOr<ResizeWindow> ShorterSideCenterWindow(int width, int height, int size) {
  if (width <= 0 || height <= 0 || size <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resize a ", width, "x", height, " image to a shorter side of ", size));
  }
  const int64_t shorter = std::min(width, height);
  const int64_t longer = std::max(width, height);
  // Python's int(size * longer / shorter): the division is correctly rounded (both operands
  // are exact in a double), then truncated.
  const double resized_longer = static_cast<double>(size * longer) / static_cast<double>(shorter);
  if (resized_longer > (1 << 30)) {
    return absl::InvalidArgumentError(
        absl::StrCat("image of ", width, "x", height, " pixels is too elongated to resize"));
  }
  ResizeWindow win;
  win.resized_width = width <= height ? size : static_cast<int>(resized_longer);
  win.resized_height = width <= height ? static_cast<int>(resized_longer) : size;
  // int(round(d / 2.0)) with round half to even, for d >= 0.
  const auto centre_offset = [](int d) {
    return d / 2 + ((d % 2 == 1 && (d / 2) % 2 == 1) ? 1 : 0);
  };
  win.left = centre_offset(win.resized_width - size);
  win.top = centre_offset(win.resized_height - size);
  win.width = size;
  win.height = size;
  return win;
}

absl::StatusOr<media::Image> PilBicubicResize(const media::Image& image,
                                              const ResizeWindow& window) {
  const int64_t w = image.width;
  const int64_t h = image.height;
  if (w <= 0 || h <= 0 || static_cast<int64_t>(image.rgb.size()) != w * h * 3) {
    return absl::InvalidArgumentError(absl::StrCat("image of ", w, "x", h, " pixels with ",
                                                   image.rgb.size(),
                                                   " RGB bytes is empty or inconsistent"));
  }
  const ResizeWindow& win = window;
  if (win.resized_width <= 0 || win.resized_height <= 0 || win.width <= 0 || win.height <= 0 ||
      win.left < 0 || win.top < 0 || win.left > win.resized_width - win.width ||
      win.top > win.resized_height - win.height) {
    return absl::InvalidArgumentError(absl::StrCat(
        "window ", win.width, "x", win.height, " at (", win.left, ", ", win.top,
        ") is not inside the resized ", win.resized_width, "x", win.resized_height, " image"));
  }
  // As ImagingResampleInner: an axis whose size is unchanged is not resampled.
  const bool need_horizontal = win.resized_width != image.width;
  const bool need_vertical = win.resized_height != image.height;

  // Source rows [row0, row1) feed the window's rows.
  AxisCoeffs vert;
  int row0 = win.top;
  int row1 = win.top + win.height;
  if (need_vertical) {
    vert = PrecomputeCoeffs(image.height, win.resized_height, win.top, win.height);
    row0 = vert.first.front();
    row1 = row0;
    for (int i = 0; i < win.height; ++i) row1 = std::max(row1, vert.first[i] + vert.count[i]);
  }

  // Horizontal pass into the 8-bit intermediate: rows [row0, row1), the window's columns.
  const size_t tmp_stride = static_cast<size_t>(win.width) * 3;
  std::vector<uint8_t> tmp(static_cast<size_t>(row1 - row0) * tmp_stride);
  if (need_horizontal) {
    const AxisCoeffs horiz = PrecomputeCoeffs(image.width, win.resized_width, win.left, win.width);
    for (int y = row0; y < row1; ++y) {
      const uint8_t* src = image.rgb.data() + static_cast<size_t>(y) * w * 3;
      uint8_t* dst = tmp.data() + static_cast<size_t>(y - row0) * tmp_stride;
      for (int x = 0; x < win.width; ++x) {
        const int32_t* k = horiz.k.data() + static_cast<size_t>(x) * horiz.ksize;
        const uint8_t* p = src + static_cast<size_t>(horiz.first[x]) * 3;
        int64_t ss[3] = {1 << (kPrecisionBits - 1), 1 << (kPrecisionBits - 1),
                         1 << (kPrecisionBits - 1)};
        for (int j = 0; j < horiz.count[x]; ++j) {
          for (int c = 0; c < 3; ++c) ss[c] += static_cast<int64_t>(p[j * 3 + c]) * k[j];
        }
        for (int c = 0; c < 3; ++c) dst[x * 3 + c] = Clip8(ss[c]);
      }
    }
  } else {
    for (int y = row0; y < row1; ++y) {
      const uint8_t* src = image.rgb.data() + (static_cast<size_t>(y) * w + win.left) * 3;
      std::copy(src, src + tmp_stride, tmp.data() + static_cast<size_t>(y - row0) * tmp_stride);
    }
  }

  media::Image out;
  out.width = win.width;
  out.height = win.height;
  if (!need_vertical) {
    out.rgb = std::move(tmp);  // rows [top, top + height) exactly
    return out;
  }
  out.rgb.resize(static_cast<size_t>(win.height) * tmp_stride);
  for (int y = 0; y < win.height; ++y) {
    const int32_t* k = vert.k.data() + static_cast<size_t>(y) * vert.ksize;
    const uint8_t* col = tmp.data() + static_cast<size_t>(vert.first[y] - row0) * tmp_stride;
    uint8_t* dst = out.rgb.data() + static_cast<size_t>(y) * tmp_stride;
    for (size_t i = 0; i < tmp_stride; ++i) {
      int64_t ss = 1 << (kPrecisionBits - 1);
      for (int j = 0; j < vert.count[y]; ++j) {
        ss += static_cast<int64_t>(col[j * tmp_stride + i]) * k[j];
      }
      dst[i] = Clip8(ss);
    }
  }
  return out;
}

}  // namespace xmodal::model
