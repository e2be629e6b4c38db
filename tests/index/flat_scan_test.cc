// The SIMD flat scan: its dot products (float and int8) match a double-precision sum at every
// width, and its search returns what FAISS's own IndexFlatIP search returns, with and without a
// selector and when fewer vectors than k are eligible.
#include "core/index/flat_scan.h"

#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "tests/index/random_vectors.h"

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

TEST(FlatScanTest, DotProductsMatchADoubleSumAtEveryWidth) {
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

TEST(FlatScanTest, Int8DotProductsAreExactAtEveryWidthAndAtTheLargestCodes) {
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

class FlatScanSearchTest : public ::testing::Test {
 protected:
  static constexpr int kDim = 100;  // not a multiple of 8 or 16: the kernels' tails run
  void SetUp() override {
    // 500 rows of 400 bytes span several 64 KB scan blocks; 5 queries share each block.
    const FloatMatrix base = testing::RandomUnitVectors(500, kDim, 3);
    index_.add(base.rows, base.data.data());
    queries_ = testing::RandomUnitVectors(5, kDim, 4);
  }

  // FAISS's own search (below its BLAS threshold: its scalar loop) and ours, compared.
  void ExpectSameAsFaiss(int64_t k, const faiss::IDSelector* selector) {
    const int64_t n = queries_.rows;
    std::vector<float> want_d(n * k), got_d(n * k);
    std::vector<int64_t> want_l(n * k), got_l(n * k);
    faiss::SearchParameters params;
    params.sel = const_cast<faiss::IDSelector*>(selector);
    index_.search(n, queries_.data.data(), k, want_d.data(), want_l.data(),
                  selector != nullptr ? &params : nullptr);
    FlatScanSearch(index_, n, queries_.data.data(), k, selector, got_d.data(), got_l.data());
    EXPECT_EQ(got_l, want_l);
    for (size_t i = 0; i < want_d.size(); ++i) {
      if (want_l[i] < 0) {
        EXPECT_EQ(got_d[i], want_d[i]) << "padding at " << i;
      } else {
        EXPECT_NEAR(got_d[i], want_d[i], 1e-5) << "at " << i;
      }
    }
  }

  faiss::IndexFlatIP index_{kDim};
  FloatMatrix queries_;
};

TEST_F(FlatScanSearchTest, SameNeighboursAsFaiss) { ExpectSameAsFaiss(10, nullptr); }

TEST_F(FlatScanSearchTest, SameNeighboursAsFaissUnderASelector) {
  const faiss::IDSelectorRange upper_half(250, 500);
  ExpectSameAsFaiss(10, &upper_half);
}

TEST_F(FlatScanSearchTest, PadsLikeFaissWhenFewerThanKAreEligible) {
  const faiss::IDSelectorRange three(10, 13);
  ExpectSameAsFaiss(8, &three);
  ExpectSameAsFaiss(600, nullptr);  // k above the vector count
}

TEST(FlatIndexToScanTest, OnlyInnerProductFlatIndexesAndFewQueries) {
  faiss::IndexFlatIP ip(8);
  faiss::IndexFlatL2 l2(8);
  EXPECT_EQ(FlatIndexToScan(ip, 1), &ip);
  EXPECT_EQ(FlatIndexToScan(ip, 19), &ip);
  EXPECT_EQ(FlatIndexToScan(ip, 20), nullptr);  // BLAS does batches better
  EXPECT_EQ(FlatIndexToScan(l2, 1), nullptr);
}

}  // namespace
}  // namespace xmodal::index::internal
