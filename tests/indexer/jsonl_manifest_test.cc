#include "indexer/jsonl_manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "testing/status_matchers.h"
#include "tests/indexer/test_files.h"

namespace xmodal::indexer {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using ::xmodal::indexer::testing::TestDir;
using ::xmodal::indexer::testing::WriteTestFile;
using ::xmodal::testing::StatusIs;

absl::StatusOr<WorkItem> Parse(absl::string_view line) {
  return ParseManifestLine(line, "/data/m", "/data/m/list.jsonl#L7");
}

TEST(IndexerParseManifestLineTest, RelativePathResolvesAgainstTheManifestFolder) {
  ASSERT_OK_AND_ASSIGN(WorkItem item, Parse(R"({"path": "img/../cat.PNG"})"));
  EXPECT_EQ(item.path, "/data/m/cat.PNG");
  EXPECT_EQ(item.source_uri, "/data/m/cat.PNG");
  EXPECT_EQ(item.modality, Modality::kImage);
  EXPECT_FALSE(item.inline_text);
  EXPECT_TRUE(item.group_id.empty());
  EXPECT_TRUE(item.metadata.empty());
}

TEST(IndexerParseManifestLineTest, AbsolutePathWithExplicitModality) {
  ASSERT_OK_AND_ASSIGN(WorkItem item, Parse(R"({"path": "/x/sound.bin", "modality": "Audio"})"));
  EXPECT_EQ(item.path, "/x/sound.bin");
  EXPECT_EQ(item.modality, Modality::kAudio);
}

TEST(IndexerParseManifestLineTest, TextWithMetadataAndGroup) {
  ASSERT_OK_AND_ASSIGN(
      WorkItem item,
      Parse(R"({"text": "a red  square", "metadata": {"lang": "en", "src": "x"}, "group": "g1"})"));
  EXPECT_TRUE(item.inline_text);
  EXPECT_EQ(item.modality, Modality::kText);
  EXPECT_EQ(item.text, "a red  square");  // normalised later, when keyed
  EXPECT_EQ(item.source_uri, "/data/m/list.jsonl#L7");
  EXPECT_EQ(item.group_id, ManifestGroupId("g1"));
  EXPECT_THAT(item.metadata, UnorderedElementsAre(Pair("lang", "en"), Pair("src", "x")));
}

TEST(IndexerParseManifestLineTest, EachBadLineSaysWhy) {
  struct Case {
    const char* line;
    const char* reason;
  };
  const Case cases[] = {
      {"{not json", "not valid JSON"},
      {R"(["a", "b"])", "expected a JSON object, got array"},
      {R"({"metadata": {}})", "neither \"path\" nor \"text\""},
      {R"({"path": "a.png", "text": "t"})", "both \"path\" and \"text\""},
      {R"({"path": "a.png", "modality": "video"})", "unknown modality 'video'"},
      {R"({"path": "a.png", "modality": 3})", "\"modality\" must be a string"},
      {R"({"path": 5})", "\"path\" must be a string"},
      {R"({"path": ""})", "\"path\" is empty"},
      {R"({"path": "a.bin"})", "cannot tell the modality of 'a.bin'"},
      {R"({"text": "t", "modality": "image"})", "cannot have modality 'image'"},
      {R"({"text": "t", "metadata": {"year": 1999}})",
       "metadata value of \"year\" must be a string, not number"},
      {R"({"text": "t", "metadata": ["a"]})", "\"metadata\" must be an object"},
      {R"({"text": "t", "group": 7})", "\"group\" must be a string"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(Parse(c.line), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.reason)))
        << c.line;
  }
}

TEST(IndexerReadManifestIntoTest, GoodLinesBecomeItemsBadLinesFailuresWithLineNumbers) {
  const std::string dir = TestDir("manifest");
  const std::string manifest = WriteTestFile(dir, "sub/list.jsonl",
                                             "{\"path\": \"a.png\"}\n"
                                             "\n"
                                             "not json\n"
                                             "   \r\n"
                                             "{\"text\": \"hello\"}\r\n"
                                             "{\"path\": \"b.ogg\", \"metadata\": {\"n\": 1}}\n"
                                             "{\"path\": \"../c.wav\", \"group\": \"g\"}");
  Sources s;
  ASSERT_OK(ReadManifestInto(manifest, s));
  ASSERT_EQ(s.items.size(), 3u);
  EXPECT_EQ(s.items[0].path, dir + "/sub/a.png");
  EXPECT_EQ(s.items[1].text, "hello");
  EXPECT_EQ(s.items[1].source_uri, manifest + "#L5");
  EXPECT_EQ(s.items[2].path, dir + "/c.wav");
  EXPECT_EQ(s.items[2].group_id, ManifestGroupId("g"));
  ASSERT_EQ(s.failures.size(), 2u);
  EXPECT_EQ(s.failures[0].uri, manifest + "#L3");
  EXPECT_EQ(s.failures[0].reason, "not valid JSON");
  EXPECT_EQ(s.failures[1].uri, manifest + "#L6");
  EXPECT_THAT(s.failures[1].reason, HasSubstr("metadata value of \"n\""));
}

TEST(IndexerReadManifestIntoTest, MissingManifestIsNotFound) {
  const std::string dir = TestDir("manifest_missing");
  Sources s;
  EXPECT_THAT(ReadManifestInto(dir + "/none.jsonl", s),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("none.jsonl")));
}

}  // namespace
}  // namespace xmodal::indexer
