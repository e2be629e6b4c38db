#include "benchmarks/lib/query_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/file_util.h"
#include "testing/status_matchers.h"

namespace xmodal::bench {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(BenchLoadQuerySetTest, ReadsTextLinesImagesAndAudioInPathOrder) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("query_set_"));
  ASSERT_OK(MakeDirectories(dir + "/sub"));
  ASSERT_OK(WriteFileAtomically(dir + "/b.txt", "  red car \n\n blue sky\n"));
  ASSERT_OK(WriteFileAtomically(dir + "/a.txt", "green field"));
  ASSERT_OK(WriteFileAtomically(dir + "/sub/x.PNG", "png-bytes"));
  ASSERT_OK(WriteFileAtomically(dir + "/clip.ogg", "ogg-bytes"));
  ASSERT_OK(WriteFileAtomically(dir + "/notes.md", "ignored"));
  ASSERT_OK(WriteFileAtomically(dir + "/.hidden.txt", "ignored too"));
  ASSERT_OK_AND_ASSIGN(QuerySet set, LoadQuerySet(dir));
  EXPECT_THAT(set.texts, ElementsAre("green field", "red car", "blue sky"));
  EXPECT_THAT(set.images, ElementsAre("png-bytes"));
  EXPECT_THAT(set.audio, ElementsAre("ogg-bytes"));
  EXPECT_EQ(set.size(), 5u);
  EXPECT_EQ(&set.of(Modality::kImage), &set.images);
}

TEST(BenchLoadQuerySetTest, Errors) {
  EXPECT_THAT(LoadQuerySet("/no/such/query/dir"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/no/such/query/dir")));
  ASSERT_OK_AND_ASSIGN(std::string empty, MakeTempDirectory("query_set_empty_"));
  EXPECT_THAT(LoadQuerySet(empty),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holds no queries")));
  ASSERT_OK_AND_ASSIGN(std::string bad, MakeTempDirectory("query_set_bad_"));
  ASSERT_OK(WriteFileAtomically(bad + "/q.txt", "caf\xe9"));
  EXPECT_THAT(LoadQuerySet(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid UTF-8")));
  ASSERT_OK(WriteFileAtomically(bad + "/q.txt", "fine"));
  ASSERT_OK(WriteFileAtomically(bad + "/big.png", std::string(100, 'x')));
  EXPECT_THAT(LoadQuerySet(bad, 50), StatusIs(absl::StatusCode::kResourceExhausted, _));
}

TEST(BenchQueryMixTest, ParsesPrintsAndChecksCoverage) {
  ASSERT_OK_AND_ASSIGN(QueryMix mix, ParseQueryMix("audio=0.5, text=8"));
  EXPECT_EQ(mix.weight(Modality::kText), 8);
  EXPECT_EQ(mix.weight(Modality::kImage), 0);
  EXPECT_EQ(mix.weight(Modality::kAudio), 0.5);
  EXPECT_EQ(QueryMixToString(mix), "text=8,audio=0.5");
  QuerySet set;
  set.texts = {"a"};
  EXPECT_THAT(CheckMixCovered(mix, set),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("audio queries")));
  set.audio = {"x"};
  EXPECT_OK(CheckMixCovered(mix, set));
}

TEST(BenchQueryMixTest, RejectsBadMixes) {
  for (const char* bad :
       {"text", "video=1", "text=1,text=2", "text=-1", "text=abc", "text=0", "text=nan"}) {
    EXPECT_THAT(ParseQueryMix(bad), StatusIs(absl::StatusCode::kInvalidArgument, _)) << bad;
  }
}

}  // namespace
}  // namespace xmodal::bench
