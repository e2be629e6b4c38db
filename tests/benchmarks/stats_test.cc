#include "benchmarks/lib/stats.h"

#include <gtest/gtest.h>

namespace xmodal::bench {
namespace {

TEST(BenchSummarizeTest, OddCountGivesTheMiddleValueAndTheRange) {
  const Spread s = Summarize({5, 1, 3});
  EXPECT_EQ(s.median, 3);
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.max, 5);
  EXPECT_EQ(s.n, 3);
}

TEST(BenchSummarizeTest, EvenCountAveragesTheMiddleTwo) {
  const Spread s = Summarize({4, 1, 2, 10});
  EXPECT_EQ(s.median, 3);
  EXPECT_EQ(s.min, 1);
  EXPECT_EQ(s.max, 10);
}

TEST(BenchSummarizeTest, EmptyInputIsAllZero) {
  const Spread s = Summarize({});
  EXPECT_EQ(s.n, 0);
  EXPECT_EQ(s.median, 0);
  EXPECT_EQ(s.max, 0);
}

TEST(BenchPercentileTest, NearestRank) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(Percentile(v, 50), 50);
  EXPECT_EQ(Percentile(v, 95), 95);
  EXPECT_EQ(Percentile(v, 99), 99);
  EXPECT_EQ(Percentile(v, 100), 100);
  EXPECT_EQ(Percentile({7}, 99), 7);
  EXPECT_EQ(Percentile({1, 2, 3}, 50), 2);
  EXPECT_EQ(Percentile({}, 50), 0);
}

TEST(BenchSpreadToJsonTest, HasTheSchemaFields) {
  const Json j = SpreadToJson({.median = 2, .min = 1, .max = 3, .n = 4});
  EXPECT_EQ(j["median"], 2);
  EXPECT_EQ(j["min"], 1);
  EXPECT_EQ(j["max"], 3);
  EXPECT_EQ(j["n"], 4);
}

}  // namespace
}  // namespace xmodal::bench
