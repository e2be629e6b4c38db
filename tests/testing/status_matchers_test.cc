// The status matchers of testing/status_matchers.h: each macro evaluates its argument once,
// also when it fails (a failing indexer run or model write must not run twice).
#include "testing/status_matchers.h"

#include <gtest/gtest-spi.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace xmodal::testing {
namespace {

TEST(StatusMatchersTest, ExpectOkEvaluatesAFailingArgumentOnce) {
  int calls = 0;
  auto failing = [&calls] {
    ++calls;
    return absl::InternalError("boom");
  };
  EXPECT_NONFATAL_FAILURE(EXPECT_OK(failing()), "boom");
  EXPECT_EQ(calls, 1);
}

TEST(StatusMatchersTest, AssertOkEvaluatesAFailingStatusOrOnce) {
  static int calls = 0;
  calls = 0;
  struct Helper {
    static void Run() {
      auto failing = [] {
        ++calls;
        return absl::StatusOr<int>(absl::NotFoundError("gone"));
      };
      ASSERT_OK(failing());
    }
  };
  EXPECT_FATAL_FAILURE(Helper::Run(), "gone");
  EXPECT_EQ(calls, 1);
}

TEST(StatusMatchersTest, PassingArgumentsAreEvaluatedOnce) {
  int calls = 0;
  auto ok = [&calls] {
    ++calls;
    return absl::StatusOr<int>(7);
  };
  EXPECT_OK(ok());
  ASSERT_OK(ok());
  ASSERT_OK_AND_ASSIGN(const int value, ok());
  EXPECT_EQ(value, 7);
  EXPECT_EQ(calls, 3);
}

TEST(StatusMatchersTest, StatusIsMatchesCodeAndMessage) {
  EXPECT_THAT(absl::InvalidArgumentError("k is 0"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("k")));
  EXPECT_THAT(absl::StatusOr<int>(absl::NotFoundError("x")),
              ::testing::Not(StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_)));
}

}  // namespace
}  // namespace xmodal::testing
