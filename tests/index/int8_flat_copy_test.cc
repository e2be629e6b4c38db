// The int8 copy of a flat index: its searches return exactly what the float scan returns (same
// labels, bit-identical scores), also where many scores are nearly equal, under a selector and
// when fewer than k vectors are eligible; its error bounds hold; it is built only where it pays.
#include "core/index/int8_flat_copy.h"

#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/index/compat/flat_scan.h"
#include "tests/index/random_vectors.h"

namespace xmodal::index::internal {
namespace {

constexpr int kDim = 100;  // not a multiple of 64: the codes are padded

// `rows` unit vectors near `centres` random centres (noise of `spread` per component): with a
// small spread, many stored vectors score almost the same for any query.
FloatMatrix ClusteredVectors(int64_t rows, int centres, float spread, uint32_t seed) {
  const FloatMatrix centre = testing::RandomUnitVectors(centres, kDim, seed);
  std::mt19937 rng(seed + 1);
  std::normal_distribution<float> noise(0.0f, spread);
  FloatMatrix m(rows, kDim);
  for (int64_t r = 0; r < rows; ++r) {
    const auto c = centre.row(r % centres);
    for (int i = 0; i < kDim; ++i) m.data[r * kDim + i] = c[i] + noise(rng);
  }
  L2NormalizeRows(m);
  return m;
}

class Int8FlatCopyTest : public ::testing::Test {
 protected:
  // Builds the copy of `base` (no size threshold) and checks searches of `queries`.
  void Load(const FloatMatrix& base) {
    index_.reset();
    index_.add(base.rows, base.data.data());
    copy_ = Int8FlatCopy::BuildFor(index_, /*min_bytes=*/0);
    ASSERT_NE(copy_, nullptr);
  }

  void ExpectSameAsFloatScan(const FloatMatrix& queries, int64_t k,
                             const faiss::IDSelector* selector) {
    const int64_t n = queries.rows;
    std::vector<float> want_d(n * k), got_d(n * k);
    std::vector<int64_t> want_l(n * k), got_l(n * k);
    FlatScanSearch(index_, n, queries.data.data(), k, selector, want_d.data(), want_l.data());
    copy_->Search(n, queries.data.data(), k, selector, got_d.data(), got_l.data());
    EXPECT_EQ(got_l, want_l);
    EXPECT_EQ(got_d, want_d);  // bit-identical: the candidates are scored as the scan scores
  }

  faiss::IndexFlatIP index_{kDim};
  std::unique_ptr<const Int8FlatCopy> copy_;
};

TEST_F(Int8FlatCopyTest, SameResultsAsTheFloatScan) {
  Load(testing::RandomUnitVectors(3000, kDim, 1));  // several 64 KB blocks of codes
  const FloatMatrix queries = testing::RandomUnitVectors(7, kDim, 2);
  ExpectSameAsFloatScan(queries, 1, nullptr);
  ExpectSameAsFloatScan(queries, 10, nullptr);
  ExpectSameAsFloatScan(queries, 100, nullptr);
}

TEST_F(Int8FlatCopyTest, SameResultsWhereManyScoresAreNearlyEqual) {
  // 20 tight clusters: each query's best vectors differ by less than the int8 error.
  Load(ClusteredVectors(4000, 20, 0.002f, 3));
  ExpectSameAsFloatScan(ClusteredVectors(5, 20, 0.01f, 3), 10, nullptr);
  ExpectSameAsFloatScan(ClusteredVectors(5, 20, 0.01f, 3), 250, nullptr);
}

TEST_F(Int8FlatCopyTest, SameResultsForQueriesThatAreNotUnitVectors) {
  Load(testing::RandomUnitVectors(2000, kDim, 4));
  FloatMatrix queries = testing::RandomUnitVectors(3, kDim, 5);
  for (int i = 0; i < kDim; ++i) {
    queries.data[i] *= 40.0f;
    queries.data[kDim + i] *= 0.01f;
  }
  ExpectSameAsFloatScan(queries, 10, nullptr);
}

TEST_F(Int8FlatCopyTest, SameResultsUnderASelectorAndWhenFewerThanKAreEligible) {
  Load(testing::RandomUnitVectors(2000, kDim, 6));
  const FloatMatrix queries = testing::RandomUnitVectors(4, kDim, 7);
  const faiss::IDSelectorRange upper_half(1000, 2000);
  ExpectSameAsFloatScan(queries, 10, &upper_half);
  const faiss::IDSelectorRange three(10, 13);
  ExpectSameAsFloatScan(queries, 8, &three);      // padded with -1
  ExpectSameAsFloatScan(queries, 2500, nullptr);  // k above the vector count
}

TEST_F(Int8FlatCopyTest, ApproximateScoresAreWithinTheirBounds) {
  const FloatMatrix base = testing::RandomUnitVectors(500, kDim, 8);
  Load(base);
  FloatMatrix queries = testing::RandomUnitVectors(20, kDim, 9);
  for (int i = 0; i < kDim; ++i) queries.data[i] *= 25.0f;  // not only unit queries
  double largest_error = 0.0;
  std::vector<float> scores, bounds;
  for (int64_t q = 0; q < queries.rows; ++q) {
    const float* query = queries.data.data() + q * kDim;
    copy_->ApproximateScores(query, 0, base.rows, scores, bounds);
    for (int64_t j = 0; j < base.rows; ++j) {
      double exact = 0.0;
      for (int i = 0; i < kDim; ++i)
        exact += static_cast<double>(query[i]) * base.data[j * kDim + i];
      const double error = std::abs(scores[j] - exact);
      ASSERT_LE(error, bounds[j]) << "query " << q << ", vector " << j;
      // Useful only when small: int8 codes of a unit vector err by about 1% of ||q||.
      if (q > 0) {
        EXPECT_LT(bounds[j], 0.05f);
      }
      largest_error = std::max(largest_error, error);
    }
  }
  EXPECT_GT(largest_error, 0.0);
}

TEST(Int8FlatCopyBuildTest, OnlyForLargeInnerProductFlatIndexes) {
  const FloatMatrix base = testing::RandomUnitVectors(600, kDim, 10);  // 240 KB of floats
  faiss::IndexFlatIP ip(kDim);
  faiss::IndexFlatL2 l2(kDim);
  ip.add(base.rows, base.data.data());
  l2.add(base.rows, base.data.data());
  EXPECT_NE(Int8FlatCopy::BuildFor(ip, 200 << 10), nullptr);
  EXPECT_EQ(Int8FlatCopy::BuildFor(ip, 300 << 10), nullptr);  // fits in cache: no gain
  EXPECT_EQ(Int8FlatCopy::BuildFor(l2, 0), nullptr);
  EXPECT_EQ(Int8FlatCopy::BuildFor(ip), nullptr);  // the default threshold is 2 MB
  faiss::IndexFlatIP wide(Int8FlatCopy::kMaxDim + 1);
  const FloatMatrix one = testing::RandomUnitVectors(1, Int8FlatCopy::kMaxDim + 1, 11);
  wide.add(1, one.data.data());
  EXPECT_EQ(Int8FlatCopy::BuildFor(wide, 0), nullptr);
}

}  // namespace
}  // namespace xmodal::index::internal
