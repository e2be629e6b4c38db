// Tests for ReadStampCorpus (trainer/corpus/stamp_corpus.h) on a generated stamp tree.
#include "trainer/corpus/stamp_corpus.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/file_util.h"
#include "testing/status_matchers.h"
#include "tests/corpus/fake_stamp_tree.h"

namespace xmodal::corpus {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

std::vector<std::string> Names(const StampCorpus& corpus) {
  std::vector<std::string> out;
  for (const Stamp& s : corpus.stamps) out.push_back(s.name);
  return out;
}

const Stamp& Find(const StampCorpus& corpus, const std::string& name) {
  for (const Stamp& s : corpus.stamps) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no stamp " << name;
  return corpus.stamps.front();
}

class StampCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(root_, MakeTempDirectory("stamp_corpus_test"));
    ASSERT_OK(testing::WriteExampleStampTree(root_));
    ASSERT_OK_AND_ASSIGN(corpus_, ReadStampCorpus(root_));
  }
  std::string root_;
  StampCorpus corpus_;
};

TEST_F(StampCorpusTest, FindsStampsWithImageAndEnglishTextSortedByName) {
  EXPECT_EQ(corpus_.root, root_);
  EXPECT_THAT(Names(corpus_), ElementsAre("animals/both", "animals/cat", "animals/lion",
                                          "animals/lion-2", "symbols/0"));
}

TEST_F(StampCorpusTest, ImagesPreferPng) {
  const Stamp& both = Find(corpus_, "animals/both");
  EXPECT_EQ(both.image_path, root_ + "/animals/both.png");
  EXPECT_FALSE(both.image_is_svg);
  const Stamp& cat = Find(corpus_, "animals/cat");
  EXPECT_EQ(cat.image_path, root_ + "/animals/cat.svg");
  EXPECT_TRUE(cat.image_is_svg);
}

TEST_F(StampCorpusTest, DescriptionsEnglishFirstEmptySkipped) {
  const Stamp& lion = Find(corpus_, "animals/lion");
  ASSERT_EQ(lion.descriptions.size(), 5u);
  EXPECT_EQ(lion.descriptions[0].lang, "en");
  EXPECT_EQ(lion.descriptions[0].text, "A lion.");
  EXPECT_EQ(lion.descriptions[1].lang, "ko");
  EXPECT_EQ(lion.descriptions[1].text, "사자");
  EXPECT_EQ(lion.descriptions[2].lang, "sr@latin");
  EXPECT_EQ(lion.descriptions[4].lang, "pt_BR");  // the empty "de" line is gone
  const Stamp& cat = Find(corpus_, "animals/cat");
  ASSERT_EQ(cat.descriptions.size(), 2u);
  EXPECT_EQ(cat.descriptions[1].text, "고양이");
}

TEST_F(StampCorpusTest, SoundsAndSpokenDescriptions) {
  const Stamp& lion = Find(corpus_, "animals/lion");
  EXPECT_EQ(lion.sound_path, root_ + "/animals/lion.ogg");
  ASSERT_EQ(lion.spoken.size(), 2u);
  EXPECT_EQ(lion.spoken[0].lang, "en");
  EXPECT_EQ(lion.spoken[0].path, root_ + "/animals/lion_desc.ogg");
  EXPECT_EQ(lion.spoken[1].lang, "fr");
  EXPECT_TRUE(lion.localized_sounds.empty());

  const Stamp& lion2 = Find(corpus_, "animals/lion-2");
  EXPECT_EQ(lion2.sound_path, "");
  ASSERT_EQ(lion2.spoken.size(), 2u);
  EXPECT_EQ(lion2.spoken[0].lang, "da");
  EXPECT_EQ(lion2.spoken[0].path, root_ + "/animals/lion-2_desc_da.ogg.ogg");
  EXPECT_EQ(lion2.spoken[1].lang, "pt_BR");
  EXPECT_EQ(lion2.spoken[1].path, root_ + "/animals/lion-2_desc_pt_BR.wav");

  const Stamp& zero = Find(corpus_, "symbols/0");
  EXPECT_EQ(zero.sound_path, root_ + "/symbols/0.ogg");
  EXPECT_TRUE(zero.spoken.empty());
  ASSERT_EQ(zero.localized_sounds.size(), 2u);
  EXPECT_EQ(zero.localized_sounds[0].lang, "en_GB");
  EXPECT_EQ(zero.localized_sounds[1].lang, "ko");
  EXPECT_EQ(zero.localized_sounds[1].path, root_ + "/symbols/0_ko.ogg");
}

TEST_F(StampCorpusTest, EqualEnglishDescriptionsShareAGroup) {
  EXPECT_EQ(corpus_.num_groups, 4);
  const Stamp& lion = Find(corpus_, "animals/lion");
  const Stamp& lion2 = Find(corpus_, "animals/lion-2");
  EXPECT_EQ(lion.group, lion2.group);  // "A lion." == "a lion"
  EXPECT_NE(lion.group, Find(corpus_, "animals/cat").group);
  for (const Stamp& s : corpus_.stamps) {
    EXPECT_GE(s.group, 0);
    EXPECT_LT(s.group, corpus_.num_groups);
  }
  // Groups are numbered in name order.
  EXPECT_EQ(Find(corpus_, "animals/both").group, 0);
  EXPECT_EQ(Find(corpus_, "symbols/0").group, 3);
}

TEST_F(StampCorpusTest, DeterministicAndTrailingSlashTolerated) {
  ASSERT_OK_AND_ASSIGN(const StampCorpus again, ReadStampCorpus(root_ + "/"));
  EXPECT_EQ(again.root, root_);
  EXPECT_EQ(Names(again), Names(corpus_));
}

TEST(StampCorpusErrorsTest, MissingRootIsNotFoundWithInstallHint) {
  EXPECT_THAT(ReadStampCorpus("/nonexistent/stamps"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("tuxpaint-stamps-default")));
}

TEST(StampCorpusErrorsTest, EmptyFolderIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("stamp_corpus_empty"));
  ASSERT_OK(testing::WriteFileAt(root, "a/only.txt", "Text without image.\n"));
  EXPECT_THAT(ReadStampCorpus(root),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no stamps")));
}

TEST(StampCorpusErrorsTest, AFileIsNotAFolder) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("stamp_corpus_file"));
  ASSERT_OK(testing::WriteFileAt(root, "file.txt", "x"));
  EXPECT_THAT(ReadStampCorpus(root + "/file.txt"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a folder")));
}

}  // namespace
}  // namespace xmodal::corpus
