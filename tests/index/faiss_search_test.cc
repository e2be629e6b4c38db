// SearchIndex on an IVF index whose lists are assigned by our flat scan (not FAISS's): the same
// neighbours and scores as FAISS's own IVF search at the same nprobe, with and without a filter.
#include "core/index/faiss_search.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVFFlat.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/index/random_vectors.h"

namespace xmodal::index::internal {
namespace {

constexpr int kDim = 40;

class IvfSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const FloatMatrix base = testing::RandomUnitVectors(3000, kDim, 21);
    ivf_.train(base.rows, base.data.data());
    ids_ = testing::SpreadIds(base.rows);
    map_.add_with_ids(base.rows, base.data.data(), ids_.data());
    queries_ = testing::RandomUnitVectors(6, kDim, 22);
  }

  // FAISS's own search of `map_` at `nprobe`, as Neighbor rows (ids, not positions).
  std::vector<std::vector<Neighbor>> FaissSearch(int k, int nprobe,
                                                 const faiss::IDSelector* selector) {
    faiss::SearchParametersIVF params;
    params.nprobe = nprobe;
    params.sel = const_cast<faiss::IDSelector*>(selector);
    std::vector<float> distances(queries_.rows * k);
    std::vector<faiss::Index::idx_t> labels(queries_.rows * k);
    // IndexIDMap2 hands the selector positions; search the IVF under it and map them back.
    ivf_.search(queries_.rows, queries_.data.data(), k, distances.data(), labels.data(), &params);
    std::vector<std::vector<Neighbor>> rows(queries_.rows);
    for (int64_t q = 0; q < queries_.rows; ++q) {
      for (int j = 0; j < k; ++j) {
        const faiss::Index::idx_t label = labels[q * k + j];
        if (label >= 0) rows[q].push_back({map_.id_map[label], distances[q * k + j]});
      }
    }
    return rows;
  }

  void ExpectSameAsFaiss(int k, int nprobe, const std::vector<int64_t>* allowed,
                         const faiss::IDSelector* positions) {
    SearchOptions options;
    options.nprobe = nprobe;
    options.allowed_ids = allowed;
    const std::vector<std::vector<Neighbor>> got =
        SearchIndex(SearchTarget{.id_map = &map_}, queries_, k, options);
    const std::vector<std::vector<Neighbor>> want = FaissSearch(k, nprobe, positions);
    ASSERT_EQ(got.size(), want.size());
    for (size_t q = 0; q < want.size(); ++q) {
      ASSERT_EQ(got[q].size(), want[q].size()) << "query " << q;
      for (size_t j = 0; j < want[q].size(); ++j) {
        EXPECT_EQ(got[q][j].id, want[q][j].id) << "query " << q << ", rank " << j;
        EXPECT_NEAR(got[q][j].score, want[q][j].score, 1e-5) << "query " << q << ", rank " << j;
      }
    }
  }

  faiss::IndexFlatIP quantizer_{kDim};
  faiss::IndexIVFFlat ivf_{&quantizer_, kDim, 64, faiss::METRIC_INNER_PRODUCT};
  faiss::IndexIDMap2 map_{&ivf_};
  std::vector<int64_t> ids_;
  FloatMatrix queries_;
};

TEST_F(IvfSearchTest, SameListsAndNeighboursAsFaissAtAFewProbes) {
  ExpectSameAsFaiss(10, 1, nullptr, nullptr);
  ExpectSameAsFaiss(10, 3, nullptr, nullptr);
}

TEST_F(IvfSearchTest, SameNeighboursAsFaissUnderAFilter) {
  // Every third vector: a filter that still leaves k in the probed lists.
  std::vector<int64_t> allowed;
  std::vector<uint8_t> bitmap((ids_.size() + 7) / 8, 0);
  for (size_t i = 0; i < ids_.size(); i += 3) {
    allowed.push_back(ids_[i]);
    bitmap[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
  }
  const faiss::IDSelectorBitmap positions(bitmap.size(), bitmap.data());
  ExpectSameAsFaiss(5, 8, &allowed, &positions);
}

}  // namespace
}  // namespace xmodal::index::internal
