// Tests of core/base/threads.h.
#include "core/base/threads.h"

#include <gtest/gtest.h>

#include <thread>

#include "testing/status_matchers.h"

namespace xmodal {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(ResolveThreadCountTest, PositiveIsKeptAndZeroMeansAllCores) {
  EXPECT_EQ(ResolveThreadCount(1), 1);
  EXPECT_EQ(ResolveThreadCount(7), 7);
  const unsigned cores = std::thread::hardware_concurrency();
  EXPECT_EQ(ResolveThreadCount(0), cores == 0 ? 1 : static_cast<int>(cores));
  EXPECT_GE(HardwareThreads(), 1);
}

TEST(ResolveThreadCountTest, NegativeIsInvalidArgumentNamingTheSetting) {
  ASSERT_OK_AND_ASSIGN(const int n, ResolveThreadCountOr(3, "--threads"));
  EXPECT_EQ(n, 3);
  EXPECT_THAT(ResolveThreadCountOr(-2, "--threads"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--threads must be >= 0")));
}

TEST(ResolveThreadCountDeathTest, NegativeWithoutStatusIsAProgrammerError) {
  EXPECT_DEATH(ResolveThreadCount(-1), "negative thread count");
}

}  // namespace
}  // namespace xmodal
