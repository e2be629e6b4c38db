// DownscaleToFit: an exact, separable area average in integer arithmetic.
//
// Along an axis of S source pixels reduced to D <= S output pixels, measure positions in units
// of 1/D source pixel: source pixel j spans [j*D, (j+1)*D) and output pixel i spans
// [i*S, (i+1)*S). The weight of j in i is the length of the overlap, an integer; the weights of
// every output pixel sum to S, and a source pixel overlaps at most two output pixels (an output
// pixel is at least one source pixel long). Rows are summed horizontally once each (the row on
// the boundary between two output rows is kept for the second), weighted into the output row,
// and divided by S_x * S_y with rounding at the end, so there is no rounding but the last.
#include "core/media/image_resize.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace xmodal::media {
namespace {

// The source pixels an output pixel covers and how much of each (see the file comment).
struct Tap {
  int source;
  int64_t weight;
};

// taps[i] lists output pixel i's source pixels in order; the weights sum to `source_length`.
std::vector<std::vector<Tap>> AxisTaps(int source_length, int output_length) {
  const int64_t s = source_length;
  const int64_t d = output_length;
  std::vector<std::vector<Tap>> taps(output_length);
  for (int64_t i = 0; i < d; ++i) {
    const int64_t begin = i * s;
    const int64_t end = (i + 1) * s;
    for (int64_t j = begin / d; j * d < end; ++j) {
      const int64_t overlap = std::min((j + 1) * d, end) - std::max(j * d, begin);
      if (overlap > 0) taps[i].push_back({static_cast<int>(j), overlap});
    }
  }
  return taps;
}

// Nearest-integer rounding of length * numerator / denominator, at least 1.
int ScaledSide(int64_t length, int64_t numerator, int64_t denominator) {
  const int64_t scaled = (2 * length * numerator + denominator) / (2 * denominator);
  return static_cast<int>(std::max<int64_t>(1, scaled));
}

}  // namespace

absl::StatusOr<Image> DownscaleToFit(const Image& image, int max_side) {
  if (max_side < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("the largest side must be at least 1 pixel; got ", max_side));
  }
  if (image.width < 1 || image.height < 1 ||
      image.rgb.size() != static_cast<uint64_t>(image.width) * image.height * 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("inconsistent image: ", image.width, "x", image.height, " pixels need ",
                     static_cast<int64_t>(std::max(image.width, 0)) * std::max(image.height, 0) * 3,
                     " RGB bytes; it has ", image.rgb.size()));
  }
  const int longest = std::max(image.width, image.height);
  if (longest <= max_side) return image;

  Image out;
  out.width = ScaledSide(image.width, max_side, longest);
  out.height = ScaledSide(image.height, max_side, longest);
  out.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
  const std::vector<std::vector<Tap>> x_taps = AxisTaps(image.width, out.width);
  const std::vector<std::vector<Tap>> y_taps = AxisTaps(image.height, out.height);
  const size_t out_stride = static_cast<size_t>(out.width) * 3;
  const size_t in_stride = static_cast<size_t>(image.width) * 3;
  // Sums fit in 64 bits: the largest is 255 * width * height, and width * height * 3 bytes
  // exist in memory.
  const uint64_t denominator = static_cast<uint64_t>(image.width) * image.height;

  // One source row summed horizontally: out_stride values, each up to 255 * width.
  std::vector<uint64_t> row_sums(out_stride);
  int summed_row = -1;
  auto sum_row = [&](int y) {
    if (y == summed_row) return;
    const uint8_t* row = image.rgb.data() + static_cast<size_t>(y) * in_stride;
    for (int ox = 0; ox < out.width; ++ox) {
      uint64_t r = 0, g = 0, b = 0;
      for (const Tap& tap : x_taps[ox]) {
        const uint8_t* pixel = row + static_cast<size_t>(tap.source) * 3;
        r += pixel[0] * static_cast<uint64_t>(tap.weight);
        g += pixel[1] * static_cast<uint64_t>(tap.weight);
        b += pixel[2] * static_cast<uint64_t>(tap.weight);
      }
      row_sums[ox * 3] = r;
      row_sums[ox * 3 + 1] = g;
      row_sums[ox * 3 + 2] = b;
    }
    summed_row = y;
  };

  std::vector<uint64_t> accumulator(out_stride);
  for (int oy = 0; oy < out.height; ++oy) {
    std::fill(accumulator.begin(), accumulator.end(), 0);
    for (const Tap& tap : y_taps[oy]) {
      sum_row(tap.source);
      const uint64_t weight = static_cast<uint64_t>(tap.weight);
      for (size_t i = 0; i < out_stride; ++i) accumulator[i] += row_sums[i] * weight;
    }
    uint8_t* out_row = out.rgb.data() + static_cast<size_t>(oy) * out_stride;
    for (size_t i = 0; i < out_stride; ++i) {
      out_row[i] = static_cast<uint8_t>((accumulator[i] + denominator / 2) / denominator);
    }
  }
  return out;
}

}  // namespace xmodal::media
