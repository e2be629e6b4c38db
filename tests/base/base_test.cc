#include <atomic>
#include <filesystem>
#include <optional>

#include "core/base/file_util.h"
#include "core/base/float_matrix.h"
#include "core/base/json.h"
#include "core/base/modality.h"
#include "core/base/sha256.h"
#include "core/base/thread_pool.h"
#include "testing/status_matchers.h"

namespace xmodal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(ModalityTest, ParsesNamesAndListsAndRejectsUnknown) {
  ASSERT_OK_AND_ASSIGN(Modality m, ParseModality(" Image "));
  EXPECT_EQ(m, Modality::kImage);
  ASSERT_OK_AND_ASSIGN(auto list, ParseModalityList("audio,text,audio"));
  EXPECT_THAT(list, ElementsAre(Modality::kAudio, Modality::kText));
  EXPECT_THAT(ParseModality("video"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown modality 'video'")));
  EXPECT_THAT(ParseModalityList(" , "),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
}

TEST(FloatMatrixTest, NormalizesRowsAndLeavesZeroRows) {
  FloatMatrix m;
  m.AppendRow(std::vector<float>{3, 4});
  m.AppendRow(std::vector<float>{0, 0});
  L2NormalizeRows(m);
  EXPECT_THAT(m.data, ElementsAre(0.6f, 0.8f, 0.0f, 0.0f));
  EXPECT_FLOAT_EQ(Dot(m.row(0), m.row(0)), 1.0f);
}

TEST(Sha256Test, MatchesKnownDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.FinishHex(), Sha256Hex("abc"));
}

TEST(FileUtilTest, AtomicWriteThenReadWithCap) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("file_util_"));
  const std::string path = dir + "/a.txt";
  ASSERT_OK(WriteFileAtomically(path, "hello"));
  ASSERT_OK(WriteFileAtomically(path, "hello again"));
  ASSERT_OK_AND_ASSIGN(std::string got, ReadFile(path));
  EXPECT_EQ(got, "hello again");
  EXPECT_THAT(ReadFile(path, 3),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("limit is 3")));
  EXPECT_THAT(ReadFile(dir + "/missing"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing")));
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST(JsonTest, TypedAccessNamesTheFieldAtFault) {
  ASSERT_OK_AND_ASSIGN(Json j,
                       ParseJson(R"({"a": "x", "n": 3, "f": 1.5, "o": {"k": true}})", "t.json"));
  const JsonFields fields(j, "t.json");
  EXPECT_EQ(*fields.String("a"), "x");
  EXPECT_EQ(*fields.Int64("n"), 3);
  EXPECT_EQ(*fields.Int64("zz", 7), 7);
  EXPECT_EQ(*fields.String("zz", "d"), "d");
  EXPECT_DOUBLE_EQ(*fields.Number("f"), 1.5);
  EXPECT_THAT(fields.Int64("f"), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("t.json: field 'f' must be an integer")));
  EXPECT_THAT(fields.String("b"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("t.json: missing field 'b'")));
  EXPECT_THAT(fields.Int("n", 0, 5, 9),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("field 'n' must be an integer from 5 to 9, got 3")));
  EXPECT_THAT(fields.CheckKeys({"a", "n", "f"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown field 'o'")));
  ASSERT_OK_AND_ASSIGN(std::optional<JsonFields> o, fields.Object("o", /*required=*/true));
  ASSERT_TRUE(o.has_value());
  EXPECT_TRUE(*o->Bool("k", false));
  EXPECT_THAT(o->String("k"), StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("t.json: field 'o.k' must be a string")));
  EXPECT_THAT(fields.Object("a", false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'a' must be an object")));
  EXPECT_THAT(ParseJson("{", "bad.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad.json")));
}

TEST(JsonTest, PathReadsAreLenient) {
  ASSERT_OK_AND_ASSIGN(Json j,
                       ParseJson(R"({"load": {"runs": [{"qps": 12.5, "name": "a"}]}})", "t.json"));
  EXPECT_EQ(NumberAt(j, "load/runs/0/qps"), 12.5);
  EXPECT_EQ(StringAt(j, "load/runs/0/name"), "a");
  EXPECT_EQ(NumberAt(j, "load/runs/1/qps"), std::nullopt);
  EXPECT_EQ(NumberAt(j, "load/runs/0/name"), std::nullopt);
  EXPECT_EQ(JsonAt(j, "load/x"), nullptr);
  EXPECT_EQ(DumpJson(Json{{"s", "a\xff"}}), "{\"s\":\"a\xef\xbf\xbd\"}");  // replaced
}

TEST(ThreadPoolTest, RunsEveryTaskBeforeWaitReturns) {
  std::atomic<int> count{0};
  ThreadPool pool(2);
  for (int i = 0; i < 100; ++i) pool.Submit([&] { count++; });
  pool.Wait();
  EXPECT_EQ(count.load(), 100);
}

}  // namespace
}  // namespace xmodal
