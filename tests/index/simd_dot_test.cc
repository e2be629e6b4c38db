// The dot-product kernels (float and int8) match a double-precision sum at every width, and the
// int8 ones are exact at the largest codes.
#include "core/index/simd_dot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace xmodal::index::internal {
namespace {

std::vector<float> RandomFloats(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = uniform(rng);
  return v;
}

double ReferenceDot(const float* a, const float* b, int64_t d) {
  double sum = 0;
  for (int64_t i = 0; i < d; ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

TEST(SimdDotTest, DotProductsMatchADoubleSumAtEveryWidth) {
  for (const int64_t d : {0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 128, 257, 512}) {
    const std::vector<float> a = RandomFloats(d, 1);
    const std::vector<float> b = RandomFloats(d, 2);
    const double want = ReferenceDot(a.data(), b.data(), d);
    EXPECT_NEAR(DotPortable(a.data(), b.data(), d), want, 1e-5 * (1 + d)) << "d=" << d;
    if (CpuHasAvx2Fma()) {
      EXPECT_NEAR(DotAvx2(a.data(), b.data(), d), want, 1e-5 * (1 + d)) << "d=" << d;
    }
  }
}

TEST(SimdDotTest, Int8DotProductsAreExactAtEveryWidthAndAtTheLargestCodes) {
  // 11 rows: a group of eight (summed together by the AVX2 kernel) and three alone.
  constexpr int64_t kRows = 11;
  for (const int64_t d : {kInt8DotsWidth, 2 * kInt8DotsWidth, 3 * kInt8DotsWidth, int64_t{4096}}) {
    // The extremes: every query code at its largest and stored codes at +-127, so that any int16
    // lane that saturated would show; else codes spread over their whole ranges.
    for (const bool extreme : {false, true}) {
      std::vector<uint8_t> u(static_cast<size_t>(d));
      std::vector<int8_t> codes(static_cast<size_t>(kRows * d));
      for (int64_t i = 0; i < d; ++i) {
        u[i] = static_cast<uint8_t>(extreme ? kInt8QueryCodeMax
                                            : (i * 7919) % (kInt8QueryCodeMax + 1));
        for (int64_t r = 0; r < kRows; ++r) {
          codes[r * d + i] = static_cast<int8_t>(extreme ? (r % 2 == 1 ? -127 : 127)
                                                         : (i * 37 + r * 11) % 255 - 127);
        }
      }
      std::vector<int32_t> want(kRows), got(kRows, 0);
      for (int64_t r = 0; r < kRows; ++r) {
        int64_t sum = 0;
        for (int64_t i = 0; i < d; ++i) sum += static_cast<int64_t>(u[i]) * codes[r * d + i];
        want[r] = static_cast<int32_t>(sum);
        ASSERT_EQ(want[r], sum) << "the test's codes overflow at d=" << d;
      }
      DotsInt8Portable(u.data(), codes.data(), kRows, d, got.data());
      EXPECT_EQ(got, want) << "d=" << d;
      if (CpuHasAvx2Fma()) {
        std::fill(got.begin(), got.end(), 0);
        DotsInt8Avx2(u.data(), codes.data(), kRows, d, got.data());
        EXPECT_EQ(got, want) << "d=" << d;
      }
    }
  }
}

}  // namespace
}  // namespace xmodal::index::internal
