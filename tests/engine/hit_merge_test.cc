// The merge: one hit per item with its best vector, the query's own item and unknown vectors
// left out, ranking by score with ties by item id, at most k.
#include "core/engine/hit_merge.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace xmodal::engine {
namespace {

using index::Neighbor;

class HitMergeTest : public ::testing::Test {
 protected:
  // Item "a" has two vectors (audio segments), "b", "c" and "d" one each.
  const std::vector<std::string> item_ids_ = {"c", "a", "b", "d"};
  const std::unordered_map<int64_t, VectorRef> vectors_ = {
      {10, {1, 0.0f, 5.0f}}, {11, {1, 5.0f, 10.0f}}, {20, {2}}, {30, {0}}, {40, {3}}};

  std::vector<std::string> RankedIds(const HitMerge& merge, int k) const {
    std::vector<std::string> ids;
    for (const Candidate& c : merge.Ranked(item_ids_, k)) ids.push_back(item_ids_[c.ref.item]);
    return ids;
  }
};

TEST_F(HitMergeTest, KeepsEachItemsBestVector) {
  HitMerge merge;
  const std::vector<Neighbor> row = {{11, 0.9f}, {20, 0.7f}, {10, 0.5f}};
  merge.Add(row, 3, vectors_, item_ids_, "");
  const std::vector<Neighbor> second_row = {{10, 0.95f}, {20, 0.1f}};
  merge.Add(second_row, 2, vectors_, item_ids_, "");
  EXPECT_EQ(merge.size(), 2);
  const std::vector<Candidate> ranked = merge.Ranked(item_ids_, 10);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(item_ids_[ranked[0].ref.item], "a");
  EXPECT_FLOAT_EQ(ranked[0].score, 0.95f);
  EXPECT_FLOAT_EQ(ranked[0].ref.start_seconds, 0.0f);  // the segment that scored best
  EXPECT_EQ(item_ids_[ranked[1].ref.item], "b");
  EXPECT_FLOAT_EQ(ranked[1].score, 0.7f);
}

TEST_F(HitMergeTest, OnEqualScoresAnItemKeepsTheVectorAddedFirst) {
  HitMerge merge;
  const std::vector<Neighbor> row = {{11, 0.5f}, {10, 0.5f}};
  merge.Add(row, 2, vectors_, item_ids_, "");
  const std::vector<Candidate> ranked = merge.Ranked(item_ids_, 1);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_FLOAT_EQ(ranked[0].ref.start_seconds, 5.0f);
}

TEST_F(HitMergeTest, ReadsOnlyTheFirstFetchNeighbours) {
  HitMerge merge;
  const std::vector<Neighbor> row = {{20, 0.9f}, {30, 0.8f}, {40, 0.7f}};
  merge.Add(row, 2, vectors_, item_ids_, "");
  EXPECT_EQ(RankedIds(merge, 10), (std::vector<std::string>{"b", "c"}));
  merge.Add(row, 10, vectors_, item_ids_, "");  // a fetch past the row's end reads it all
  EXPECT_EQ(RankedIds(merge, 10), (std::vector<std::string>{"b", "c", "d"}));
}

TEST_F(HitMergeTest, LeavesOutTheQueryItemAndUnknownVectors) {
  HitMerge merge;
  const std::vector<Neighbor> row = {{99, 1.0f}, {10, 0.9f}, {20, 0.8f}, {11, 0.7f}};
  merge.Add(row, 4, vectors_, item_ids_, "a");
  EXPECT_EQ(RankedIds(merge, 10), (std::vector<std::string>{"b"}));
}

TEST_F(HitMergeTest, RanksByScoreThenItemIdAndKeepsK) {
  HitMerge merge;
  // "d" and "b" tie, as do "c" and "a": whatever the order they come in, ids break the ties.
  const std::vector<Neighbor> row = {{40, 0.5f}, {30, 0.25f}, {20, 0.5f}, {10, 0.25f}};
  merge.Add(row, 4, vectors_, item_ids_, "");
  EXPECT_EQ(RankedIds(merge, 10), (std::vector<std::string>{"b", "d", "a", "c"}));
  EXPECT_EQ(RankedIds(merge, 3), (std::vector<std::string>{"b", "d", "a"}));
  EXPECT_TRUE(HitMerge().Ranked(item_ids_, 5).empty());
}

}  // namespace
}  // namespace xmodal::engine
