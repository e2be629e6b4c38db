// Tests for trainer/eval/ranking_metrics.h, with values computed by hand:
// 1 / log2(3) = 0.63093, so a single relevant item at rank 2 has nDCG 0.63093.
#include "trainer/eval/ranking_metrics.h"

#include <gtest/gtest.h>

#include <vector>

namespace xmodal::eval {
namespace {

constexpr double kEps = 1e-9;
constexpr double kInvLog2Of3 = 0.6309297535714575;  // 1 / log2(3): the discount at rank 2

TEST(RankingMetricsTest, FirstRelevantRank) {
  EXPECT_EQ(FirstRelevantRank(std::vector<double>{0, 0, 1, 0, 2}), 3);
  EXPECT_EQ(FirstRelevantRank(std::vector<double>{0.5}), 1);
  EXPECT_EQ(FirstRelevantRank(std::vector<double>{0, 0}), kNotFound);
  EXPECT_EQ(FirstRelevantRank(std::vector<double>{}), kNotFound);
}

TEST(RankingMetricsTest, OneRelevantItemAtRankTwo) {
  const QueryScores s = ScoreQuery({.hit_grades = {0, 1, 0}, .relevant_grades = {1}});
  EXPECT_EQ(s.first_relevant_rank, 2);
  EXPECT_NEAR(s.reciprocal_rank, 0.5, kEps);
  EXPECT_NEAR(s.ndcg10, kInvLog2Of3, kEps);
}

TEST(RankingMetricsTest, PerfectRankingHasNdcgOne) {
  const QueryScores s = ScoreQuery({.hit_grades = {1, 1, 0}, .relevant_grades = {1, 1}});
  EXPECT_EQ(s.first_relevant_rank, 1);
  EXPECT_NEAR(s.reciprocal_rank, 1.0, kEps);
  EXPECT_NEAR(s.ndcg10, 1.0, kEps);
}

TEST(RankingMetricsTest, TwoRelevantItemsAtRanksOneAndThree) {
  // DCG = 1 + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) = 1.63093.
  const QueryScores s = ScoreQuery({.hit_grades = {1, 0, 1}, .relevant_grades = {1, 1}});
  EXPECT_NEAR(s.ndcg10, 1.5 / (1 + kInvLog2Of3), kEps);
  EXPECT_NEAR(s.ndcg10, 0.9197207891481876, kEps);
}

TEST(RankingMetricsTest, UnretrievedRelevantItemsLowerTheIdealNormalisedScore) {
  // One of the two relevant items cannot be found (not in the collection): DCG 1, ideal 1.63093.
  const QueryScores s = ScoreQuery({.hit_grades = {1, 0}, .relevant_grades = {1, 1}});
  EXPECT_EQ(s.first_relevant_rank, 1);
  EXPECT_NEAR(s.ndcg10, 0.6131471927654584, kEps);
}

TEST(RankingMetricsTest, NothingRelevantRetrieved) {
  const QueryScores s = ScoreQuery({.hit_grades = {0, 0, 0}, .relevant_grades = {1}});
  EXPECT_EQ(s.first_relevant_rank, kNotFound);
  EXPECT_EQ(s.reciprocal_rank, 0.0);
  EXPECT_EQ(s.ndcg10, 0.0);
}

TEST(RankingMetricsTest, GradedGains) {
  // Grades 1 then 2: DCG = 1 + 2/log2(3) = 2.26186; ideal (2 then 1) = 2 + 1/log2(3) = 2.63093.
  const QueryScores s = ScoreQuery({.hit_grades = {1, 2}, .relevant_grades = {1, 2}});
  EXPECT_EQ(s.first_relevant_rank, 1);
  EXPECT_NEAR(s.ndcg10, (1 + 2 * kInvLog2Of3) / (2 + kInvLog2Of3), kEps);
  EXPECT_NEAR(s.ndcg10, 0.8597186998521972, kEps);
}

TEST(RankingMetricsTest, NdcgStopsAtTenButReciprocalRankDoesNot) {
  std::vector<double> hits(12, 0.0);
  hits[10] = 1;  // rank 11
  const QueryScores s = ScoreQuery({.hit_grades = hits, .relevant_grades = {1}});
  EXPECT_EQ(s.first_relevant_rank, 11);
  EXPECT_NEAR(s.reciprocal_rank, 1.0 / 11, kEps);
  EXPECT_EQ(s.ndcg10, 0.0);
}

TEST(RankingMetricsTest, IdealDcgCountsAtMostTenRelevantItems) {
  // 12 relevant items, the first 10 hits all relevant: as good as it gets at depth 10.
  const JudgedHits judged{.hit_grades = std::vector<double>(10, 1.0),
                          .relevant_grades = std::vector<double>(12, 1.0)};
  EXPECT_NEAR(NdcgAt(judged, 10), 1.0, kEps);
  EXPECT_NEAR(NdcgAt(judged, 1), 1.0, kEps);
}

TEST(RankingMetricsTest, NdcgWithoutRelevantItemsIsZero) {
  EXPECT_EQ(NdcgAt({.hit_grades = {0, 0}, .relevant_grades = {}}, 10), 0.0);
}

TEST(RankingMetricsTest, AccumulatorMeans) {
  RankingAccumulator acc(/*extra_k=*/3);
  acc.Add({.first_relevant_rank = 1, .reciprocal_rank = 1.0, .ndcg10 = 1.0});
  acc.Add({.first_relevant_rank = 3, .reciprocal_rank = 1.0 / 3, .ndcg10 = 0.5});
  acc.Add({.first_relevant_rank = 7, .reciprocal_rank = 1.0 / 7, .ndcg10 = 0.25});
  acc.Add({.first_relevant_rank = kNotFound, .reciprocal_rank = 0, .ndcg10 = 0});
  const RankingMetrics m = acc.Result();
  EXPECT_EQ(m.queries, 4);
  EXPECT_NEAR(m.recall.r1, 0.25, kEps);
  EXPECT_NEAR(m.recall.r5, 0.5, kEps);
  EXPECT_NEAR(m.recall.r10, 0.75, kEps);
  EXPECT_EQ(m.extra_k, 3);
  EXPECT_NEAR(m.recall_extra_k, 0.5, kEps);
  EXPECT_NEAR(m.mrr, (1.0 + 1.0 / 3 + 1.0 / 7) / 4, kEps);
  EXPECT_NEAR(m.ndcg10, 1.75 / 4, kEps);
}

TEST(RankingMetricsTest, EmptyAccumulatorIsZero) {
  const RankingMetrics m = RankingAccumulator().Result();
  EXPECT_EQ(m.queries, 0);
  EXPECT_EQ(m.recall.r10, 0.0);
  EXPECT_EQ(m.mrr, 0.0);
  EXPECT_EQ(m.ndcg10, 0.0);
  EXPECT_EQ(m.extra_k, 0);
}

}  // namespace
}  // namespace xmodal::eval
