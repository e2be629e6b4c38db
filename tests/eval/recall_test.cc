// Tests for trainer/eval/recall.h and task_score.h on hand-made vectors.
#include "trainer/eval/recall.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "trainer/eval/embedder.h"
#include "trainer/eval/task_score.h"

namespace xmodal::eval {
namespace {

FloatMatrix Rows(std::vector<std::vector<float>> rows) {
  FloatMatrix m;
  for (const auto& r : rows) m.AppendRow(r);
  return m;
}

// Gallery: item 0 = x (group 0), item 1 = y (group 0), item 2 = z (group 1),
// item 3 = two segments {-x, w} (group 2), item 4 = no vectors (group 3).
SegmentedVectors Gallery() {
  SegmentedVectors g;
  g.AddItem(Rows({{1, 0, 0, 0}}));
  g.AddItem(Rows({{0, 1, 0, 0}}));
  g.AddItem(Rows({{0, 0, 1, 0}}));
  g.AddItem(Rows({{-1, 0, 0, 0}, {0, 0, 0, 1}}));
  g.AddItem(FloatMatrix());
  return g;
}
const std::vector<int> kGalleryGroups = {0, 0, 1, 2, 3};

TEST(SegmentedVectorsTest, OffsetsAndSelection) {
  const SegmentedVectors g = Gallery();
  EXPECT_EQ(g.num_items(), 5);
  EXPECT_EQ(g.rows.rows, 5);
  EXPECT_EQ(g.num_rows(3), 2);
  EXPECT_EQ(g.num_rows(4), 0);
  const SegmentedVectors s = SelectItems(g, {3, 0});
  EXPECT_EQ(s.num_items(), 2);
  EXPECT_EQ(s.num_rows(0), 2);
  EXPECT_EQ(s.rows.row(2)[0], 1.0f);
}

TEST(FirstCorrectRanksTest, AnyStampOfTheGroupAnswers) {
  SegmentedVectors q;
  q.AddItem(Rows({{0, 0, 0.9f, 0.1f}}));     // z first: group 1 -> rank 1
  q.AddItem(Rows({{0.1f, 0.2f, 0.9f, 0}}));  // z, then y (group 0) -> rank 2
  q.AddItem(Rows({{0.5f, 0.6f, 0, 0}}));     // y (group 0) first -> rank 1
  q.AddItem(Rows({{0, 0, 0.2f, 0.9f}}));     // item 3's second segment wins -> rank 1
  q.AddItem(FloatMatrix());                  // no vectors
  q.AddItem(Rows({{1, 0, 0, 0}}));           // group 3 has no vectors -> not found
  q.AddItem(Rows({{0.1f, 0, 0.9f, 0}, {0, 0.95f, 0, 0}}));  // its second segment finds y
  const std::vector<int> ranks =
      FirstCorrectRanks(q, {1, 0, 0, 2, 0, 3, 0}, Gallery(), kGalleryGroups, 2);
  EXPECT_THAT(ranks, ::testing::ElementsAre(1, 2, 1, 1, kNoVectors, kNotFound, 1));
}

TEST(FirstCorrectRanksTest, OtherGroupsOfTheSameStampsCountOnce) {
  // A query of group 2 whose best match is x: x and y (group 0) both rank above item 3?
  SegmentedVectors q;
  q.AddItem(Rows({{0.8f, 0.5f, 0.3f, 0.1f}}));
  // Scores: x 0.8, y 0.5, z 0.3, item 3 max(-0.8, 0.1) = 0.1 -> rank 4.
  EXPECT_THAT(FirstCorrectRanks(q, {2}, Gallery(), kGalleryGroups, 1), ::testing::ElementsAre(4));
}

TEST(FirstCorrectRanksTest, TiesGoToTheLowerGalleryIndex) {
  SegmentedVectors g;
  g.AddItem(Rows({{1, 0}}));
  g.AddItem(Rows({{1, 0}}));
  SegmentedVectors q;
  q.AddItem(Rows({{1, 0}}));
  EXPECT_THAT(FirstCorrectRanks(q, {0}, g, {0, 1}, 1), ::testing::ElementsAre(1));
  EXPECT_THAT(FirstCorrectRanks(q, {1}, g, {0, 1}, 1), ::testing::ElementsAre(2));
}

TEST(FirstCorrectRanksTest, ManyQueriesOnManyThreadsMatchOneThread) {
  SegmentedVectors g, q;
  std::vector<int> gg, qg;
  for (int i = 0; i < 40; ++i) {
    g.AddItem(Rows({{static_cast<float>(i % 7), static_cast<float>(i % 5), 1}}));
    gg.push_back(i % 9);
  }
  for (int i = 0; i < 101; ++i) {
    q.AddItem(Rows({{static_cast<float>(i % 3), 1, static_cast<float>(i % 4)}}));
    qg.push_back(i % 9);
  }
  EXPECT_EQ(FirstCorrectRanks(q, qg, g, gg, 1), FirstCorrectRanks(q, qg, g, gg, 3));
}

TEST(RecallAccumulatorTest, CountsHitsAtOneFiveTen) {
  RecallAccumulator acc;
  for (int rank : {1, 3, 7, 12, kNotFound}) acc.Add(rank);
  const RecallAtK r = acc.Result();
  EXPECT_EQ(r.queries, 5);
  EXPECT_DOUBLE_EQ(r.r1, 0.2);
  EXPECT_DOUBLE_EQ(r.r5, 0.4);
  EXPECT_DOUBLE_EQ(r.r10, 0.6);
  EXPECT_EQ(RecallAccumulator().Result().queries, 0);
}

TEST(ScoreTaskTest, OverallSkippedAndOrderedBreakdowns) {
  SegmentedVectors q;
  q.AddItem(Rows({{0, 0, 1, 0}}));  // fr, group 1: rank 1
  q.AddItem(Rows({{0, 0, 1, 0}}));  // en, group 0: rank 2
  q.AddItem(FloatMatrix());         // pt: skipped
  q.AddItem(Rows({{0, 1, 0, 0}}));  // en, group 0: rank 1
  QueryLabels lang{"per_language", {"fr", "en", "pt", "en"}, {}};
  QueryLabels split{"split", {"train", "train", "held", "train"}, {"held", "train"}};
  TaskResult task;
  ScoreTask(q, {1, 0, 0, 0}, Gallery(), kGalleryGroups, {split, lang}, 2, task);
  EXPECT_EQ(task.gallery_items, 4);
  EXPECT_EQ(task.skipped_queries, 1);
  EXPECT_EQ(task.overall.queries, 3);
  EXPECT_DOUBLE_EQ(task.overall.r1, 2.0 / 3);
  EXPECT_DOUBLE_EQ(task.overall.r5, 1.0);
  ASSERT_EQ(task.breakdowns.size(), 2u);
  // "held" has no query left (its only one was skipped), so only "train" appears.
  ASSERT_EQ(task.breakdowns[0].entries.size(), 1u);
  EXPECT_EQ(task.breakdowns[0].entries[0].first, "train");
  ASSERT_EQ(task.breakdowns[1].entries.size(), 2u);
  EXPECT_EQ(task.breakdowns[1].entries[0].first, "en");  // "en" first, then sorted
  EXPECT_EQ(task.breakdowns[1].entries[0].second.queries, 2);
  EXPECT_DOUBLE_EQ(task.breakdowns[1].entries[0].second.r1, 0.5);
  EXPECT_EQ(task.breakdowns[1].entries[1].first, "fr");
}

}  // namespace
}  // namespace xmodal::eval
