// The flat scan (a workaround for Debian's FAISS build, core/index/compat/README.md) returns what
// FAISS's own IndexFlatIP search returns, with and without a selector and when fewer vectors than
// k are eligible. With a FAISS built with AVX2 these tests still say whether the two agree.
#include "core/index/compat/flat_scan.h"

#include <faiss/IndexFlat.h>
#include <faiss/impl/IDSelector.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/index/random_vectors.h"

namespace xmodal::index::internal {
namespace {

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
