#include "benchmarks/lib/cli_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::bench {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(BenchParseByteSizeTest, AcceptsPlainAndBinarySuffixes) {
  ASSERT_OK_AND_ASSIGN(int64_t plain, ParseByteSize("1234"));
  EXPECT_EQ(plain, 1234);
  ASSERT_OK_AND_ASSIGN(int64_t k, ParseByteSize("64K"));
  EXPECT_EQ(k, 64 * 1024);
  ASSERT_OK_AND_ASSIGN(int64_t m, ParseByteSize("512m"));
  EXPECT_EQ(m, int64_t{512} << 20);
  ASSERT_OK_AND_ASSIGN(int64_t g, ParseByteSize("8GiB"));
  EXPECT_EQ(g, int64_t{8} << 30);
  ASSERT_OK_AND_ASSIGN(int64_t gb, ParseByteSize(" 2GB "));
  EXPECT_EQ(gb, int64_t{2} << 30);
}

TEST(BenchParseByteSizeTest, RejectsNonsense) {
  for (const char* bad : {"", "G", "-1G", "0", "1.5G", "12X", "99999999999T"}) {
    EXPECT_THAT(ParseByteSize(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("byte size")))
        << bad;
  }
}

TEST(BenchParseIntListTest, ParsesAndChecksRange) {
  ASSERT_OK_AND_ASSIGN(std::vector<int> list, ParseIntList("1, 4,16", 1, 1024));
  EXPECT_THAT(list, ElementsAre(1, 4, 16));
  EXPECT_THAT(ParseIntList("1,0", 1, 8),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'0' in '1,0'")));
  EXPECT_THAT(ParseIntList("two", 1, 8), StatusIs(absl::StatusCode::kInvalidArgument, _));
  EXPECT_THAT(ParseIntList(" ", 1, 8),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty list")));
}

}  // namespace
}  // namespace xmodal::bench
