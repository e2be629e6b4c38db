// Tests for xmodal-stamps-manifest's library (trainer/tools/stamps_manifest.h) on a generated
// stamp tree; the lines are also parsed with the indexer's own manifest parser.
#include "trainer/tools/stamps_manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "core/base/file_util.h"
#include "core/base/json.h"
#include "core/media/image.h"
#include "indexer/jsonl_manifest.h"
#include "testing/status_matchers.h"
#include "tests/corpus/fake_stamp_tree.h"

namespace xmodal::tools {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

std::vector<Json> ParseLines(const std::string& text) {
  std::vector<Json> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    absl::StatusOr<Json> j = ParseJson(line, "manifest line");
    EXPECT_OK(j);
    if (j.ok()) out.push_back(*j);
  }
  return out;
}

TEST(StampManifestLinesTest, EveryItemOfAStampInOrder) {
  corpus::Stamp stamp;
  stamp.name = "animals/lion";
  stamp.image_path = "/s/animals/lion.png";
  stamp.descriptions = {{"en", "A lion."}, {"ko", "사자"}};
  stamp.sound_path = "/s/animals/lion.ogg";
  stamp.localized_sounds = {{"ko", "/s/animals/lion_ko.ogg"}};
  stamp.spoken = {{"en", "/s/animals/lion_desc.ogg"}, {"pt_BR", "/s/animals/lion_desc_pt_BR.wav"}};
  const std::vector<std::string> lines = StampManifestLines(stamp, stamp.image_path);
  ASSERT_EQ(lines.size(), 7u);
  std::vector<Json> j;
  for (const std::string& l : lines) {
    ASSERT_OK_AND_ASSIGN(Json parsed, ParseJson(l, "line"));
    EXPECT_EQ(parsed["group"], "animals/lion");
    EXPECT_EQ(parsed["metadata"]["stamp"], "animals/lion");
    j.push_back(parsed);
  }
  EXPECT_EQ(j[0], Json::parse(R"({"path": "/s/animals/lion.png", "modality": "image",
      "group": "animals/lion", "metadata": {"stamp": "animals/lion", "kind": "image"}})"));
  EXPECT_EQ(j[1]["text"], "A lion.");
  EXPECT_EQ(j[1]["metadata"], Json::parse(R"({"stamp": "animals/lion", "lang": "en",
      "kind": "description"})"));
  EXPECT_EQ(j[2]["text"], "사자");
  EXPECT_THAT(lines[2], HasSubstr("사자"));  // UTF-8 as is, not \u-escaped
  EXPECT_EQ(j[3]["path"], "/s/animals/lion.ogg");
  EXPECT_EQ(j[3]["modality"], "audio");
  EXPECT_EQ(j[3]["metadata"]["kind"], "sound");
  EXPECT_FALSE(j[3]["metadata"].contains("lang"));
  EXPECT_EQ(j[4]["metadata"]["kind"], "sound");
  EXPECT_EQ(j[4]["metadata"]["lang"], "ko");
  EXPECT_EQ(j[5]["metadata"]["kind"], "speech");
  EXPECT_EQ(j[5]["metadata"]["lang"], "en");
  EXPECT_EQ(j[6]["path"], "/s/animals/lion_desc_pt_BR.wav");
  EXPECT_EQ(StampManifestLines(stamp, "").size(), 6u);  // no image line
}

TEST(StampManifestLinesTest, TheIndexerAcceptsEveryLine) {
  corpus::Stamp stamp;
  stamp.name = "x/y";
  stamp.descriptions = {{"en", "Y."}};
  stamp.sound_path = "/s/x/y.ogg";
  stamp.spoken = {{"pt_BR", "/s/x/y_desc_pt_BR.wav"}};
  for (const std::string& line : StampManifestLines(stamp, "rendered/x/y.png")) {
    ASSERT_OK_AND_ASSIGN(const indexer::WorkItem item,
                         indexer::ParseManifestLine(line, "/out", "/out/stamps.jsonl#L1"));
    EXPECT_EQ(item.metadata.at("stamp"), "x/y");
    EXPECT_FALSE(item.group_id.empty());
    if (item.metadata.at("kind") == "image") {
      EXPECT_EQ(item.modality, Modality::kImage);
      EXPECT_EQ(item.path, "/out/rendered/x/y.png");
    }
  }
}

TEST(WriteStampsManifestTest, WholeTreeWithRenderedSvgs) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("stamps_manifest_corpus"));
  ASSERT_OK(testing::WriteExampleStampTree(root));
  ASSERT_OK_AND_ASSIGN(const std::string out, MakeTempDirectory("stamps_manifest_out"));
  StampsManifestOptions options;
  options.corpus_dir = root;
  options.out_dir = out;
  options.svg_side = 64;
  ASSERT_OK_AND_ASSIGN(const StampsManifestSummary summary, WriteStampsManifest(options));
  EXPECT_EQ(summary.manifest_path, out + "/stamps.jsonl");
  EXPECT_EQ(summary.stamps, 5);
  EXPECT_EQ(summary.images, 5);
  EXPECT_EQ(summary.rendered, 1);  // animals/cat; animals/both has a PNG
  EXPECT_EQ(summary.texts, 5 + 2 + 1 + 1 + 1);
  EXPECT_EQ(summary.sounds, 2 + 2);  // lion.ogg, 0.ogg, 0_en_GB.ogg, 0_ko.ogg
  EXPECT_EQ(summary.speech, 2 + 2);
  EXPECT_TRUE(summary.failures.empty());

  ASSERT_OK_AND_ASSIGN(const std::string text, ReadFile(summary.manifest_path));
  const std::vector<Json> lines = ParseLines(text);
  ASSERT_EQ(lines.size(), 5u + 10u + 4u + 4u);
  EXPECT_EQ(lines[0]["metadata"]["stamp"], "animals/both");  // stamps in name order
  EXPECT_EQ(lines[0]["path"], root + "/animals/both.png");
  // The SVG stamp points at its rendering, relative to the manifest.
  const Json& cat = lines[2];
  ASSERT_EQ(cat["metadata"]["stamp"], "animals/cat");
  EXPECT_EQ(cat["path"], "rendered/animals/cat.png");
  ASSERT_OK_AND_ASSIGN(const std::string png, ReadFile(out + "/rendered/animals/cat.png"));
  ASSERT_OK_AND_ASSIGN(const media::Image image, media::DecodeImage(png));
  EXPECT_EQ(image.width, 64);
  EXPECT_EQ(image.height, 32);
  int groups_lion = 0;
  for (const Json& l : lines) groups_lion += l["group"] == "animals/lion";
  EXPECT_EQ(groups_lion, 1 + 5 + 1 + 2);

  // Every line parses with the indexer's reader.
  indexer::Sources sources;
  ASSERT_OK(indexer::ReadManifestInto(summary.manifest_path, sources));
  EXPECT_EQ(sources.items.size(), lines.size());
  EXPECT_TRUE(sources.failures.empty());

  // Same input, same bytes.
  ASSERT_OK(WriteStampsManifest(options).status());
  ASSERT_OK_AND_ASSIGN(const std::string again, ReadFile(summary.manifest_path));
  EXPECT_EQ(again, text);
}

TEST(WriteStampsManifestTest, LimitAndErrors) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("stamps_manifest_limit"));
  ASSERT_OK(testing::WriteExampleStampTree(root));
  ASSERT_OK_AND_ASSIGN(const std::string out, MakeTempDirectory("stamps_manifest_limit_out"));
  StampsManifestOptions options;
  options.corpus_dir = root;
  options.out_dir = out;
  options.limit = 2;
  ASSERT_OK_AND_ASSIGN(const StampsManifestSummary summary, WriteStampsManifest(options));
  EXPECT_EQ(summary.stamps, 2);

  options.out_dir = "";
  EXPECT_THAT(WriteStampsManifest(options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--out_dir")));
  options.out_dir = out;
  options.svg_side = 0;
  EXPECT_THAT(WriteStampsManifest(options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--svg_side")));
  options.svg_side = 256;
  options.corpus_dir = root + "/missing";
  EXPECT_THAT(WriteStampsManifest(options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("tuxpaint")));
}

TEST(WriteStampsManifestTest, BrokenSvgKeepsTheOtherLines) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("stamps_manifest_bad"));
  ASSERT_OK(testing::WriteFileAt(root, "a/bad.svg", "<svg not closed"));
  ASSERT_OK(testing::WriteFileAt(root, "a/bad.txt", "Bad.\nfr.utf8=Mauvais.\n"));
  ASSERT_OK_AND_ASSIGN(const std::string out, MakeTempDirectory("stamps_manifest_bad_out"));
  StampsManifestOptions options;
  options.corpus_dir = root;
  options.out_dir = out;
  ASSERT_OK_AND_ASSIGN(const StampsManifestSummary summary, WriteStampsManifest(options));
  EXPECT_EQ(summary.images, 0);
  ASSERT_EQ(summary.failures.size(), 1u);
  EXPECT_THAT(summary.failures[0], HasSubstr("bad.svg"));
  ASSERT_OK_AND_ASSIGN(const std::string text, ReadFile(summary.manifest_path));
  EXPECT_EQ(ParseLines(text).size(), 2u);
}

}  // namespace
}  // namespace xmodal::tools
