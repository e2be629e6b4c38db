#include "benchmarks/lib/proc_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "testing/status_matchers.h"

namespace xmodal::bench {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(BenchProcStatsTest, StatCpuCountsFromTheLastParenthesis) {
  // A command name with spaces and ')' must not shift the fields; utime 250, stime 50 ticks.
  const std::string stat =
      "1234 (evil) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 12345 "
      "1000000 500 18446744073709551615";
  ASSERT_OK_AND_ASSIGN(double seconds, ParseStatCpuSeconds(stat, 100.0));
  EXPECT_DOUBLE_EQ(seconds, 3.0);
}

TEST(BenchProcStatsTest, TruncatedStatIsInternal) {
  EXPECT_THAT(ParseStatCpuSeconds("1 (x) S 1 2", 100),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("fields")));
  EXPECT_THAT(ParseStatCpuSeconds("no parenthesis", 100),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("')'")));
}

TEST(BenchProcStatsTest, StatusValues) {
  const std::string status = "Name:\tserver\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t7\n";
  ASSERT_OK_AND_ASSIGN(int64_t rss, ParseStatusValue(status, "VmRSS"));
  EXPECT_EQ(rss, 1024);
  ASSERT_OK_AND_ASSIGN(int64_t threads, ParseStatusValue(status, "Threads"));
  EXPECT_EQ(threads, 7);
  EXPECT_THAT(ParseStatusValue(status, "VmSwap"), StatusIs(absl::StatusCode::kNotFound, _));
  EXPECT_THAT(ParseStatusValue("Name:\tserver\n", "Name"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("not a number")));
}

TEST(BenchProcStatsTest, SamplesThisProcess) {
  ASSERT_OK_AND_ASSIGN(ProcessSample s, SampleProcess(getpid()));
  EXPECT_GT(s.rss_bytes, 0);
  EXPECT_GE(s.peak_rss_bytes, s.rss_bytes);
  EXPECT_GE(s.threads, 1);
  EXPECT_GE(s.cpu_seconds, 0);
  EXPECT_GT(SelfPeakRssBytes(), 0);
  EXPECT_GE(SelfCpuSeconds(), 0);
}

TEST(BenchProcStatsTest, MissingProcessIsNotFound) {
  EXPECT_THAT(SampleProcess(999999999),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("999999999")));
}

}  // namespace
}  // namespace xmodal::bench
