#include "indexer/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/base/json.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/indexer/test_corpus.h"
#include "tests/indexer/test_files.h"

namespace xmodal::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using ::xmodal::indexer::testing::Capture;
using ::xmodal::indexer::testing::TestDir;
using ::xmodal::testing::StatusIs;

TEST(IndexerParseCommandLineTest, AllFlagsBothFormsAndPaths) {
  ASSERT_OK_AND_ASSIGN(
      CommandLine cl,
      ParseCommandLine({"--collection", "/c", "-model=/m", "--manifest", "a.jsonl", "photos",
                        "--manifest=b.jsonl", "--batch_size=8", "--threads", "3", "--index_factory",
                        "HNSW32", "--max_file_bytes=1000", "--json", "more", "--", "--odd-name"}));
  EXPECT_EQ(cl.options.collection_dir, "/c");
  EXPECT_EQ(cl.options.model_dir, "/m");
  EXPECT_THAT(cl.options.manifests, ElementsAre("a.jsonl", "b.jsonl"));
  EXPECT_THAT(cl.options.paths, ElementsAre("photos", "more", "--odd-name"));
  EXPECT_EQ(cl.options.batch_size, 8);
  EXPECT_EQ(cl.options.threads, 3);
  EXPECT_EQ(cl.options.index_factory, "HNSW32");
  EXPECT_EQ(cl.options.max_file_bytes, 1000);
  EXPECT_TRUE(cl.json);
  EXPECT_FALSE(cl.help);
}

TEST(IndexerParseCommandLineTest, DefaultsAndBooleans) {
  ASSERT_OK_AND_ASSIGN(CommandLine cl, ParseCommandLine({"x"}));
  EXPECT_EQ(cl.options.batch_size, 32);
  EXPECT_EQ(cl.options.threads, 0);
  EXPECT_EQ(cl.options.index_factory, "auto");
  EXPECT_FALSE(cl.json);
  ASSERT_OK_AND_ASSIGN(cl, ParseCommandLine({"--json=false", "-h"}));
  EXPECT_FALSE(cl.json);
  EXPECT_TRUE(cl.help);
  ASSERT_OK_AND_ASSIGN(cl, ParseCommandLine({"--json", "--nojson"}));
  EXPECT_FALSE(cl.json);
}

TEST(IndexerParseCommandLineTest, BadFlagsAreInvalidArgument) {
  EXPECT_THAT(
      ParseCommandLine({"--colection", "/c"}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown flag '--colection'")));
  EXPECT_THAT(ParseCommandLine({"--model"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--model needs a value")));
  EXPECT_THAT(ParseCommandLine({"--batch_size=many"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--batch_size: 'many' is not an integer")));
  EXPECT_THAT(ParseCommandLine({"--json=maybe"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("true or false")));
}

TEST(IndexerMainTest, HelpGoesToStdoutWithExitZero) {
  Capture out, err;
  EXPECT_EQ(IndexerMain({"--help"}, out.file(), err.file()), kExitOk);
  EXPECT_THAT(out.Text(), StartsWith("Usage: xmodal-index --collection DIR --model DIR"));
  EXPECT_THAT(err.Text(), IsEmpty());
}

TEST(IndexerMainTest, VersionGoesToStdoutWithExitZero) {
  Capture out, err;
  EXPECT_EQ(IndexerMain({"--version"}, out.file(), err.file()), kExitOk);
  EXPECT_THAT(out.Text(), StartsWith("xmodal-index "));
  EXPECT_THAT(err.Text(), IsEmpty());
}

TEST(IndexerParseCommandLineTest, ReadsAFlagfile) {
  const std::string dir = TestDir("cli_flagfile");
  const std::string file = dir + "/flags";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("# indexing flags\n--collection=/c\n\n--batch_size=4\n--manifest=a.jsonl\n", f);
    std::fclose(f);
  }
  ASSERT_OK_AND_ASSIGN(CommandLine cl,
                       ParseCommandLine({"--flagfile", file, "--manifest=b.jsonl", "x"}));
  EXPECT_EQ(cl.options.collection_dir, "/c");
  EXPECT_EQ(cl.options.batch_size, 4);
  EXPECT_THAT(cl.options.manifests, ElementsAre("a.jsonl", "b.jsonl"));
  EXPECT_THAT(ParseCommandLine({"--flagfile=" + dir + "/missing"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot read")));
}

TEST(IndexerMainTest, NoPathsPrintsUsageWithExitTwo) {
  Capture out, err;
  EXPECT_EQ(IndexerMain({"--collection", "/c", "--model", "/m"}, out.file(), err.file()),
            kExitFatal);
  EXPECT_THAT(err.Text(), StartsWith("Usage:"));
  EXPECT_THAT(out.Text(), IsEmpty());
}

TEST(IndexerMainTest, BadFlagExitsTwoWithMessage) {
  Capture out, err;
  EXPECT_EQ(IndexerMain({"--bogus", "x"}, out.file(), err.file()), kExitFatal);
  EXPECT_THAT(err.Text(), HasSubstr("xmodal-index: unknown flag '--bogus'"));
  EXPECT_THAT(err.Text(), HasSubstr("Run 'xmodal-index --help' for usage."));
  EXPECT_THAT(out.Text(), IsEmpty());
}

TEST(IndexerMainTest, InvalidOptionsAndMissingModelAreFatal) {
  const std::string dir = TestDir("cli_fatal");
  {
    Capture out, err;
    EXPECT_EQ(IndexerMain({"--model", dir, dir}, out.file(), err.file()), kExitFatal);
    EXPECT_THAT(err.Text(), HasSubstr("no collection directory given"));
  }
  {
    Capture out, err;
    EXPECT_EQ(IndexerMain({"--collection", dir + "/c", "--model", dir + "/no-model", dir},
                          out.file(), err.file()),
              kExitFatal);
    EXPECT_THAT(err.Text(), HasSubstr("NOT_FOUND"));
    EXPECT_THAT(out.Text(), IsEmpty());
  }
}

class IndexerMainRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = TestDir("cli_run");
    ASSERT_OK(xmodal::testing::WriteToyModelPackage(root_ + "/model"));
    xmodal::indexer::testing::WriteColourCorpus(root_ + "/corpus");
  }
  std::vector<std::string> Args(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"--collection", root_ + "/collection", "--model",
                                     root_ + "/model", "--threads=1"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::string root_;
};

TEST_F(IndexerMainRunTest, EverythingIndexedExitsZeroWithJsonOnStdout) {
  Capture out, err;
  EXPECT_EQ(IndexerMain(Args({"--json", root_ + "/corpus"}), out.file(), err.file()), kExitOk);
  ASSERT_OK_AND_ASSIGN(Json j, ParseJson(out.Text(), "stdout"));
  EXPECT_EQ(j["totals"]["indexed"], 8);
  EXPECT_EQ(j["totals"]["failed"], 0);
  EXPECT_EQ(j["generation"], 1);
  EXPECT_EQ(j["exit_code"], 0);
  EXPECT_THAT(err.Text(), HasSubstr("indexed: ["));  // the final progress line
}

TEST_F(IndexerMainRunTest, SomeFailedExitsOneAndListsThem) {
  xmodal::indexer::testing::WriteBrokenFiles(root_ + "/corpus");
  Capture out, err;
  EXPECT_EQ(IndexerMain(Args({root_ + "/corpus"}), out.file(), err.file()), kExitSomeFailed);
  const std::string text = out.Text();
  EXPECT_THAT(text, HasSubstr("published generation 1"));
  EXPECT_THAT(text, HasSubstr("failures:\n  " + root_ + "/corpus/broken.png: cannot decode image"));
}

TEST_F(IndexerMainRunTest, AnotherModelExitsTwo) {
  {
    Capture out, err;
    ASSERT_EQ(IndexerMain(Args({root_ + "/corpus"}), out.file(), err.file()), kExitOk);
  }
  ASSERT_OK(xmodal::testing::WriteToyModelPackage(root_ + "/model2", {.version = "2"}));
  Capture out, err;
  EXPECT_EQ(IndexerMain({"--collection", root_ + "/collection", "--model", root_ + "/model2",
                         root_ + "/corpus"},
                        out.file(), err.file()),
            kExitFatal);
  EXPECT_THAT(err.Text(), HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(out.Text(), IsEmpty());
}

}  // namespace
}  // namespace xmodal::indexer
