// Tests for trainer/corpus/description_file.h.
#include "trainer/corpus/description_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace xmodal::corpus {
namespace {

std::vector<std::string> Langs(const std::vector<Description>& ds) {
  std::vector<std::string> out;
  for (const Description& d : ds) out.push_back(d.lang);
  return out;
}

TEST(ParseDescriptionFileTest, EnglishFirstThenOtherLanguagesInFileOrder) {
  const std::vector<Description> ds = ParseDescriptionFile(
      "A lion.\nko.utf8=사자\nsr@latin.utf8=Lav.\nca@valencia.utf8=Un lleó.\npt_BR.utf8=Um "
      "leão.\n");
  EXPECT_THAT(Langs(ds), ::testing::ElementsAre("en", "ko", "sr@latin", "ca@valencia", "pt_BR"));
  EXPECT_EQ(ds[0].text, "A lion.");
  EXPECT_EQ(ds[1].text, "사자");
  EXPECT_EQ(ds[4].text, "Um leão.");
}

TEST(ParseDescriptionFileTest, TextsAreTrimmedAndEmptyOnesSkipped) {
  const std::vector<Description> ds =
      ParseDescriptionFile("  A   big lion.  \nde.utf8=   \nfr.utf8=\nes.utf8= Un  león. \n");
  EXPECT_THAT(Langs(ds), ::testing::ElementsAre("en", "es"));
  EXPECT_EQ(ds[0].text, "A big lion.");
  EXPECT_EQ(ds[1].text, "Un león.");
}

TEST(ParseDescriptionFileTest, ToleratesBomAndCrlf) {
  const std::vector<Description> ds =
      ParseDescriptionFile("\xEF\xBB\xBFZero.\r\nfr.utf8=Zéro.\r\n");
  EXPECT_THAT(Langs(ds), ::testing::ElementsAre("en", "fr"));
  EXPECT_EQ(ds[0].text, "Zero.");
  EXPECT_EQ(ds[1].text, "Zéro.");
}

TEST(ParseDescriptionFileTest, SkipsMalformedLinesRepeatsAndInvalidUtf8) {
  const std::vector<Description> ds = ParseDescriptionFile(
      "Cat.\nno equals sign\n.utf8=nolang\nb a d.utf8=spaces\nfr.utf8=Chat.\nfr.utf8=Minou.\n"
      "en.utf8=Another English.\nde.utf8=\xC3\x28\nit=Gatto.\n");
  EXPECT_THAT(Langs(ds), ::testing::ElementsAre("en", "fr"));
  EXPECT_EQ(ds[1].text, "Chat.");
}

TEST(ParseDescriptionFileTest, EmptyFirstLineMeansNoEnglish) {
  EXPECT_THAT(Langs(ParseDescriptionFile("\nfr.utf8=Vide\n")), ::testing::ElementsAre("fr"));
  EXPECT_TRUE(ParseDescriptionFile("").empty());
}

TEST(LooksLikeLanguageTagTest, AcceptsCorpusTags) {
  for (const char* tag : {"en", "ko", "ach", "pt_BR", "zh_tw", "sr@latin", "ca@valencia"}) {
    EXPECT_TRUE(LooksLikeLanguageTag(tag)) << tag;
  }
  for (const char* tag : {"", "e", "abcd", "pt_", "sr@", "da.ogg", "small", "mirror", "2x"}) {
    EXPECT_FALSE(LooksLikeLanguageTag(tag)) << tag;
  }
}

TEST(GroupKeyTest, IgnoresCaseSpacesAndFinalPunctuation) {
  EXPECT_EQ(GroupKey("A lion."), "a lion");
  EXPECT_EQ(GroupKey("  a   LION  "), "a lion");
  EXPECT_EQ(GroupKey("A lion!?"), "a lion");
  EXPECT_EQ(GroupKey("A US 25 cent piece ($.25)."), "a us 25 cent piece ($.25)");
  EXPECT_NE(GroupKey("A lion."), GroupKey("A lioness."));
  EXPECT_EQ(GroupKey("Ein Löwe."), "ein löwe");
}

}  // namespace
}  // namespace xmodal::corpus
