#include "cli/flagfile.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/program.h"
#include "testing/status_matchers.h"

namespace xmodal::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("XMODAL_TEST_TMPDIR");
  const char* tmp = std::getenv("TMPDIR");
  std::string root = dir != nullptr ? dir : (tmp != nullptr ? tmp : "/tmp");
  std::string cmd = "mkdir -p '" + root + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return root + "/cli_flagfile_" + name;
}

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path) << text;
  return path;
}

TEST(CliFlagfileTest, ExpandsInPlaceSkippingCommentsAndBlankLines) {
  const std::string inner = Write("inner", "--c=3\n");
  const std::string outer =
      Write("outer", "# a comment\n\n  --a=1  \n--flagfile=" + inner + "\n--b=x y\n");
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> args,
                       ExpandFlagfiles({"first", "--flagfile=" + outer, "--flagfile", inner, "last",
                                        "--", "--flagfile=" + inner}));
  EXPECT_THAT(args, ElementsAre("first", "--a=1", "--c=3", "--b=x y", "--c=3", "last", "--",
                                "--flagfile=" + inner));
}

TEST(CliFlagfileTest, Errors) {
  EXPECT_THAT(ExpandFlagfiles({"--flagfile=" + TempPath("missing")}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot read")));
  EXPECT_THAT(ExpandFlagfiles({"--flagfile"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--flagfile needs a value"));
  const std::string bad = Write("bad", "--a=1\npositional\n");
  EXPECT_THAT(ExpandFlagfiles({"--flagfile=" + bad}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(":2: expected a --flag")));
  const std::string loop = TempPath("loop");
  Write("loop", "--flagfile=" + loop + "\n");
  EXPECT_THAT(ExpandFlagfiles({"--flagfile=" + loop}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nested more than")));
  const std::string huge = Write("huge", std::string(kMaxFlagfileBytes + 10, '#'));
  EXPECT_THAT(ExpandFlagfiles({"--flagfile=" + huge}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bytes")));
}

TEST(CliFlagfileTest, ProgramReadsFlagfilesAndReportsAMissingOneAsUsageError) {
  const std::string file = Write("program", "# flags\n--count=4\n--nojson\n");
  {
    Program p({.name = "xmodal-demo"});
    int count = 0;
    bool json = true;
    p.Flag("count", &count, "n").Flag("json", &json, "j");
    ASSERT_OK(p.TryParse({"--flagfile", file}).status());
    EXPECT_EQ(count, 4);
    EXPECT_FALSE(json);
  }
  {
    Program p({.name = "xmodal-demo"});
    std::ostringstream out, err;
    EXPECT_EQ(p.Parse({"--flagfile=" + TempPath("absent")}, out, err), kExitUsage);
    EXPECT_THAT(err.str(), HasSubstr("xmodal-demo: --flagfile: cannot read"));
  }
}

}  // namespace
}  // namespace xmodal::cli
