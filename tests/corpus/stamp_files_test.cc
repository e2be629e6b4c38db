// Tests for trainer/corpus/stamp_files.h: telling audio files apart by name.
#include "trainer/corpus/stamp_files.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace xmodal::corpus {
namespace {

void ExpectRole(const AudioRole& role, AudioRole::Kind kind, const std::string& stamp,
                const std::string& lang) {
  EXPECT_EQ(role.kind, kind);
  EXPECT_EQ(role.stamp, stamp);
  EXPECT_EQ(role.lang, lang);
}

TEST(ClassifyAudioStemTest, SoundSpokenAndLocalized) {
  const std::set<std::string> stamps = {"lion", "pumpkin", "pumpkin_small", "0", "a_filled"};
  ExpectRole(ClassifyAudioStem("lion", stamps), AudioRole::kSound, "lion", "");
  ExpectRole(ClassifyAudioStem("lion_desc", stamps), AudioRole::kSpoken, "lion", "en");
  ExpectRole(ClassifyAudioStem("lion_desc_fr", stamps), AudioRole::kSpoken, "lion", "fr");
  ExpectRole(ClassifyAudioStem("pumpkin_small_desc_pt_BR", stamps), AudioRole::kSpoken,
             "pumpkin_small", "pt_BR");
  ExpectRole(ClassifyAudioStem("pumpkin_small", stamps), AudioRole::kSound, "pumpkin_small", "");
  ExpectRole(ClassifyAudioStem("0_ko", stamps), AudioRole::kLocalizedSound, "0", "ko");
  ExpectRole(ClassifyAudioStem("0_en_GB", stamps), AudioRole::kLocalizedSound, "0", "en_GB");
  ExpectRole(ClassifyAudioStem("a_filled_en_GB", stamps), AudioRole::kLocalizedSound, "a_filled",
             "en_GB");
  ExpectRole(ClassifyAudioStem("0_desc_sr@latin", stamps), AudioRole::kSpoken, "0", "sr@latin");
}

TEST(ClassifyAudioStemTest, UnknownStemsAreNone) {
  const std::set<std::string> stamps = {"lion"};
  EXPECT_EQ(ClassifyAudioStem("mosquito", stamps).kind, AudioRole::kNone);
  EXPECT_EQ(ClassifyAudioStem("mosquito_desc", stamps).kind, AudioRole::kNone);
  EXPECT_EQ(ClassifyAudioStem("lion_desc_", stamps).kind, AudioRole::kNone);
  EXPECT_EQ(ClassifyAudioStem("lion_roaring", stamps).kind, AudioRole::kNone);
  EXPECT_EQ(ClassifyAudioStem("_desc", stamps).kind, AudioRole::kNone);
  EXPECT_EQ(ClassifyAudioStem("", stamps).kind, AudioRole::kNone);
}

TEST(SortFolderFilesTest, GroupsByStemAndPrefersOggOverWav) {
  const FolderFiles files =
      SortFolderFiles({"lion.PNG", "lion.dat", "lion.txt", "lion.svg", "lion_desc_pt.wav",
                       "lion_desc_pt.ogg", "x_desc_da.ogg.ogg", "readme", "notes.md"});
  ASSERT_EQ(files.stems.size(), 1u);
  const FolderFiles::Stem& lion = files.stems.at("lion");
  EXPECT_TRUE(lion.png && lion.svg && lion.txt);
  EXPECT_EQ(lion.png_name, "lion.PNG");
  ASSERT_EQ(files.audio_files.size(), 2u);
  EXPECT_EQ(files.audio_files.at("lion_desc_pt"), "lion_desc_pt.ogg");
  EXPECT_EQ(files.audio_files.at("x_desc_da"), "x_desc_da.ogg.ogg");
}

}  // namespace
}  // namespace xmodal::corpus
