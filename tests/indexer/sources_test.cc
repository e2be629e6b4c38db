#include "indexer/sources.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/base/sha256.h"
#include "testing/status_matchers.h"
#include "tests/indexer/test_files.h"

namespace xmodal::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::indexer::testing::TestDir;
using ::xmodal::indexer::testing::WriteTestFile;
using ::xmodal::testing::StatusIs;

std::vector<std::string> Paths(const Sources& s) {
  std::vector<std::string> out;
  for (const WorkItem& item : s.items) out.push_back(item.path);
  return out;
}

TEST(IndexerModalityFromExtensionTest, KnownExtensionsAnyCase) {
  for (const char* name : {"a.jpg", "a.JPEG", "dir/b.png", "c.WebP"}) {
    EXPECT_EQ(ModalityFromExtension(name), Modality::kImage) << name;
  }
  for (const char* name : {"a.wav", "a.FLAC", "b.ogg", "c.Mp3"}) {
    EXPECT_EQ(ModalityFromExtension(name), Modality::kAudio) << name;
  }
  EXPECT_EQ(ModalityFromExtension("notes.TXT"), Modality::kText);
  for (const char* name : {"a.gif", "a.md", "README", "archive.png.gz", "png"}) {
    EXPECT_EQ(ModalityFromExtension(name), std::nullopt) << name;
  }
}

TEST(IndexerGroupIdTest, FirstSixteenHexOfSha256) {
  EXPECT_EQ(FileGroupId("/data/photos", "cat"), Sha256Hex("/data/photos/cat").substr(0, 16));
  EXPECT_EQ(ManifestGroupId("cat"), Sha256Hex("manifest:cat").substr(0, 16));
  EXPECT_NE(FileGroupId("/data/photos", "cat"), FileGroupId("/data/other", "cat"));
}

TEST(IndexerAddPathTest, WalksTreeSortedByPathWithModalitiesAndIgnoredFiles) {
  const std::string dir = TestDir("sources_tree");
  WriteTestFile(dir, "b.png", "x");
  WriteTestFile(dir, "a.txt", "x");
  WriteTestFile(dir, "C.JPG", "x");
  WriteTestFile(dir, "sub/d.wav", "x");
  WriteTestFile(dir, "sub/e.Flac", "x");
  WriteTestFile(dir, "notes.md", "x");
  WriteTestFile(dir, "sub/data.bin", "x");
  Sources s;
  ASSERT_OK(AddPath(dir, s));
  EXPECT_THAT(Paths(s), ElementsAre(dir + "/C.JPG", dir + "/a.txt", dir + "/b.png",
                                    dir + "/sub/d.wav", dir + "/sub/e.Flac"));
  ASSERT_EQ(s.items.size(), 5u);
  EXPECT_EQ(s.items[0].modality, Modality::kImage);
  EXPECT_EQ(s.items[1].modality, Modality::kText);
  EXPECT_EQ(s.items[3].modality, Modality::kAudio);
  EXPECT_EQ(s.items[3].source_uri, dir + "/sub/d.wav");
  EXPECT_FALSE(s.items[1].inline_text);
  EXPECT_EQ(s.ignored_files, 2);
  EXPECT_TRUE(s.failures.empty());
}

TEST(IndexerAddPathTest, SkipsHiddenFilesAndFolders) {
  const std::string dir = TestDir("sources_hidden");
  WriteTestFile(dir, "visible.png", "x");
  WriteTestFile(dir, ".hidden.png", "x");
  WriteTestFile(dir, ".cache/inside.png", "x");
  Sources s;
  ASSERT_OK(AddPath(dir, s));
  EXPECT_THAT(Paths(s), ElementsAre(dir + "/visible.png"));
  EXPECT_EQ(s.ignored_files, 0);
}

TEST(IndexerAddPathTest, FilesSharingAStemInOneFolderShareAGroup) {
  const std::string dir = TestDir("sources_group");
  WriteTestFile(dir, "cat.png", "x");
  WriteTestFile(dir, "cat.txt", "x");
  WriteTestFile(dir, "cat.wav", "x");
  WriteTestFile(dir, "dog.png", "x");
  WriteTestFile(dir, "sub/cat.png", "x");
  Sources s;
  ASSERT_OK(AddPath(dir, s));
  ASSERT_EQ(s.items.size(), 5u);
  const std::string cat = FileGroupId(dir, "cat");
  EXPECT_EQ(s.items[0].group_id, cat);  // cat.png
  EXPECT_EQ(s.items[1].group_id, cat);  // cat.txt
  EXPECT_EQ(s.items[2].group_id, cat);  // cat.wav
  EXPECT_EQ(s.items[3].group_id, FileGroupId(dir, "dog"));
  EXPECT_EQ(s.items[4].group_id, FileGroupId(dir + "/sub", "cat"));
  EXPECT_NE(s.items[4].group_id, cat);
}

TEST(IndexerAddPathTest, SymlinkLoopsEndAndDirectoriesAreNotWalkedTwice) {
  const std::string dir = TestDir("sources_loop");
  WriteTestFile(dir, "sub/a.png", "x");
  std::filesystem::create_directory_symlink(dir, dir + "/sub/loop");
  std::filesystem::create_symlink(dir + "/sub/a.png", dir + "/link.png");
  std::filesystem::create_symlink(dir + "/missing.png", dir + "/dangling.png");
  Sources s;
  ASSERT_OK(AddPath(dir, s));
  EXPECT_THAT(Paths(s), ElementsAre(dir + "/link.png", dir + "/sub/a.png"));
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].uri, dir + "/dangling.png");
  EXPECT_THAT(s.failures[0].reason, HasSubstr("cannot stat"));
}

TEST(IndexerAddPathTest, SingleFilesAndRelativePaths) {
  const std::string dir = TestDir("sources_single");
  WriteTestFile(dir, "one.webp", "x");
  WriteTestFile(dir, "two.gif", "x");
  Sources s;
  ASSERT_OK(AddPath(dir + "/sub/../one.webp", s));
  ASSERT_OK(AddPath(dir + "/two.gif", s));
  EXPECT_THAT(Paths(s), ElementsAre(dir + "/one.webp"));
  EXPECT_EQ(s.items[0].group_id, FileGroupId(dir, "one"));
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].uri, dir + "/two.gif");
  EXPECT_THAT(s.failures[0].reason, HasSubstr("unknown file extension"));
}

TEST(IndexerAddPathTest, MissingPathIsNotFound) {
  const std::string dir = TestDir("sources_missing");
  Sources s;
  EXPECT_THAT(AddPath(dir + "/nope", s), StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

TEST(IndexerEnumerateSourcesTest, PathsThenManifests) {
  const std::string dir = TestDir("sources_enum");
  WriteTestFile(dir, "tree/z.png", "x");
  const std::string manifest = WriteTestFile(dir, "m.jsonl", R"({"text": "hello"})");
  ASSERT_OK_AND_ASSIGN(Sources s, EnumerateSources({dir + "/tree"}, {manifest}));
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[0].path, dir + "/tree/z.png");
  EXPECT_TRUE(s.items[1].inline_text);
  EXPECT_THAT(EnumerateSources({}, {dir + "/absent.jsonl"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("absent.jsonl")));
}

TEST(IndexerAbsolutePathTest, NormalisesWithoutResolvingLinks) {
  EXPECT_EQ(AbsolutePath("/a/b/../c/./d/"), "/a/c/d");
  EXPECT_EQ(AbsolutePath("rel"), (std::filesystem::current_path() / "rel").string());
}

}  // namespace
}  // namespace xmodal::indexer
