// Tests for trainer/eval/labelled_queries.h: good lines, and bad ones whose errors name the
// file and the line.
#include "trainer/eval/labelled_queries.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/base/file_util.h"
#include "testing/status_matchers.h"

namespace xmodal::eval {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

auto Ref(const std::string& ref, double grade) {
  return ::testing::AllOf(Field(&RelevantRef::ref, ref), Field(&RelevantRef::grade, grade));
}

absl::StatusOr<std::vector<LabelledQuery>> Parse(absl::string_view contents,
                                                 const QueriesFileLimits& limits = {}) {
  return ParseLabelledQueries(contents, "q.jsonl", "/data/eval", limits);
}

TEST(LabelledQueriesTest, ParsesEveryKindAndSkipsBlankAndCommentLines) {
  ASSERT_OK_AND_ASSIGN(std::vector<LabelledQuery> qs,
                       Parse("# a comment\n"
                             "{\"id\": \"red\", \"text\": \"a red car\", \"target\": \"image\", "
                             "\"relevant\": [\"cars/red.png\", \"0123abcd\"]}\n"
                             "\n"
                             "   \t\n"
                             "  # indented comment\n"
                             "{\"image\": \"q/cat.jpg\", \"relevant\": {\"cats/cat.jpg\": 2, "
                             "\"cats/kit.jpg\": 0.5}}\r\n"
                             "{\"audio\": \"/abs/../abs/dog.ogg\", \"relevant\": [\"/x/dog.wav\"], "
                             "\"target\": \"Audio\"}\n"));
  ASSERT_EQ(qs.size(), 3u);
  EXPECT_EQ(qs[0].line, 2);
  EXPECT_EQ(qs[0].id, "red");
  EXPECT_EQ(qs[0].kind, Modality::kText);
  EXPECT_EQ(qs[0].text, "a red car");
  EXPECT_EQ(qs[0].target, Modality::kImage);
  EXPECT_FALSE(qs[0].graded);
  EXPECT_THAT(qs[0].relevant, ElementsAre(Ref("cars/red.png", 1), Ref("0123abcd", 1)));

  EXPECT_EQ(qs[1].line, 6);
  EXPECT_EQ(qs[1].id, "L6");
  EXPECT_EQ(qs[1].kind, Modality::kImage);
  EXPECT_EQ(qs[1].path, "/data/eval/q/cat.jpg");
  EXPECT_EQ(qs[1].target, std::nullopt);
  EXPECT_TRUE(qs[1].graded);
  EXPECT_THAT(qs[1].relevant, ElementsAre(Ref("cats/cat.jpg", 2), Ref("cats/kit.jpg", 0.5)));

  EXPECT_EQ(qs[2].kind, Modality::kAudio);
  EXPECT_EQ(qs[2].path, "/abs/dog.ogg");
  EXPECT_EQ(qs[2].target, Modality::kAudio);
}

TEST(LabelledQueriesTest, AcceptsAByteOrderMarkAndNoFinalLineBreak) {
  ASSERT_OK_AND_ASSIGN(std::vector<LabelledQuery> qs,
                       Parse("\xEF\xBB\xBF{\"text\": \"t\", \"relevant\": [\"a\"]}"));
  ASSERT_EQ(qs.size(), 1u);
  EXPECT_EQ(qs[0].line, 1);
}

TEST(LabelledQueriesTest, EachBadLineIsAnErrorNamingItsLine) {
  const std::string good = "{\"text\": \"t\", \"relevant\": [\"a\"]}\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "not valid JSON"},
      {"[1, 2]", "expected a JSON object, got array"},
      {"{\"text\": \"t\", \"relevant\": [\"a\"], \"colour\": 1}", "unknown key \"colour\""},
      {"{\"relevant\": [\"a\"]}", "none of \"text\", \"image\" or \"audio\""},
      {"{\"text\": \"t\", \"image\": \"i.png\", \"relevant\": [\"a\"]}", "only one of"},
      {"{\"text\": \"\", \"relevant\": [\"a\"]}", "\"text\" is empty"},
      {"{\"text\": 3, \"relevant\": [\"a\"]}", "\"text\" must be a string, not number"},
      {"{\"text\": \"t\"}", "the query has no \"relevant\" items"},
      {"{\"text\": \"t\", \"relevant\": []}", "the query has no \"relevant\" items"},
      {"{\"text\": \"t\", \"relevant\": {}}", "the query has no \"relevant\" items"},
      {"{\"text\": \"t\", \"relevant\": \"a\"}", "\"relevant\" must be an array"},
      {"{\"text\": \"t\", \"relevant\": [1]}", "entries must be strings"},
      {"{\"text\": \"t\", \"relevant\": [\"\"]}", "an empty entry"},
      {"{\"text\": \"t\", \"relevant\": [\"a\", \"a\"]}", "lists 'a' twice"},
      {"{\"text\": \"t\", \"relevant\": {\"a\": 0}}", "grade of 'a' must be a number > 0"},
      {"{\"text\": \"t\", \"relevant\": {\"a\": -1}}", "grade of 'a' must be a number > 0"},
      {"{\"text\": \"t\", \"relevant\": {\"a\": \"high\"}}", "grade of 'a' must be a number > 0"},
      {"{\"text\": \"t\", \"relevant\": [\"a\"], \"target\": \"video\"}",
       "\"target\" must be \"text\", \"image\" or \"audio\", not 'video'"},
      {"{\"text\": \"t\", \"relevant\": [\"a\"], \"id\": 7}", "\"id\" must be a string"},
      // Deep nesting: an error, not a stack overflow.
      {std::string(100000, '[') + std::string(100000, ']'), "expected a JSON object, got array"},
  };
  for (const auto& [line, message] : cases) {
    // The bad line is line 3, after a good line and a comment.
    EXPECT_THAT(
        Parse(good + "# c\n" + line + "\n" + good),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 ::testing::AllOf(::testing::StartsWith("q.jsonl:3: "), HasSubstr(message))))
        << line.substr(0, 80);
  }
}

TEST(LabelledQueriesTest, LimitsOnLineLengthAndLineCount) {
  const std::string good = "{\"text\": \"t\", \"relevant\": [\"a\"]}";
  QueriesFileLimits limits;
  limits.max_line_bytes = static_cast<int64_t>(good.size());
  EXPECT_OK(Parse(good + "\n", limits));
  EXPECT_THAT(
      Parse(good + "\n" + good + " \n", limits),
      StatusIs(absl::StatusCode::kInvalidArgument, "q.jsonl:2: the line is longer than 32 bytes"));
  limits = {};
  limits.max_lines = 2;
  EXPECT_OK(Parse(good + "\n\n", limits));  // the final line break starts no third line
  EXPECT_THAT(Parse(good + "\n\n" + good + "\n", limits),
              StatusIs(absl::StatusCode::kInvalidArgument, "q.jsonl:3: more than 2 lines"));
}

TEST(LabelledQueriesTest, AFileWithoutQueriesIsAnError) {
  EXPECT_THAT(Parse("# only a comment\n\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, "q.jsonl: no queries in the file"));
}

TEST(LabelledQueriesTest, ReadResolvesMediaAgainstTheFilesDirectory) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("labelled_queries"));
  const std::string path = dir + "/sub/q.jsonl";
  ASSERT_OK(MakeDirectories(dir + "/sub"));
  ASSERT_OK(WriteFileAtomically(path, "{\"image\": \"../img/a.png\", \"relevant\": [\"x\"]}\n"));
  ASSERT_OK_AND_ASSIGN(std::vector<LabelledQuery> qs, ReadLabelledQueries(path));
  ASSERT_EQ(qs.size(), 1u);
  EXPECT_EQ(qs[0].path, dir + "/img/a.png");
  EXPECT_EQ(QueriesFileDir(path), dir + "/sub");

  EXPECT_THAT(ReadLabelledQueries(dir + "/missing.jsonl"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.jsonl")));
  QueriesFileLimits tiny;
  tiny.max_file_bytes = 10;
  EXPECT_THAT(ReadLabelledQueries(path, tiny),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("queries file")));
}

}  // namespace
}  // namespace xmodal::eval
