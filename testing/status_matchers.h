// GoogleTest matchers for absl::Status and absl::StatusOr (Debian's Abseil has none).
//   EXPECT_OK(status_or_statusor);
//   ASSERT_OK_AND_ASSIGN(auto value, MakeValue());
//   EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
#ifndef XMODAL_TESTING_STATUS_MATCHERS_H_
#define XMODAL_TESTING_STATUS_MATCHERS_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace xmodal::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P2(StatusIs, code, message_matcher, "status code " + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s;
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(s.message()), result_listener);
}

// Each evaluates `expr` exactly once (EXPECT_THAT does), so a failing expression that has side
// effects (an indexer run, a model written to disk) is not run a second time for the message.
MATCHER(IsOk, "is OK") {
  const absl::Status& s = ::xmodal::testing::GetStatus(arg);
  *result_listener << "status is " << s;
  return s.ok();
}

}  // namespace xmodal::testing

#define EXPECT_OK(expr) EXPECT_THAT((expr), ::xmodal::testing::IsOk())
#define ASSERT_OK(expr) ASSERT_THAT((expr), ::xmodal::testing::IsOk())

#define XM_TEST_CONCAT_INNER_(a, b) a##b
#define XM_TEST_CONCAT_(a, b) XM_TEST_CONCAT_INNER_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                    \
  auto XM_TEST_CONCAT_(xm_test_so_, __LINE__) = (expr);    \
  ASSERT_TRUE(XM_TEST_CONCAT_(xm_test_so_, __LINE__).ok()) \
      << XM_TEST_CONCAT_(xm_test_so_, __LINE__).status();  \
  lhs = std::move(XM_TEST_CONCAT_(xm_test_so_, __LINE__)).value()

#endif  // XMODAL_TESTING_STATUS_MATCHERS_H_
