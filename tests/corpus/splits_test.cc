// Tests for trainer/corpus/splits.h.
#include "trainer/corpus/splits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmodal::corpus {
namespace {

TEST(SplitsTest, HeldOutLanguagesAreExactTags) {
  for (const char* lang : {"pt", "pt_BR", "nn", "uk", "sk", "sr@latin"}) {
    EXPECT_TRUE(IsHeldOutLanguage(lang)) << lang;
  }
  for (const char* lang : {"en", "sr", "nb", "ru", "ko", "PT", "pt_br", "sr@Latin", ""}) {
    EXPECT_FALSE(IsHeldOutLanguage(lang)) << lang;
  }
  EXPECT_THAT(HeldOutLanguages(),
              ::testing::ElementsAre("nn", "pt", "pt_BR", "sk", "sr@latin", "uk"));
}

TEST(SplitsTest, TrainingLanguagesAreSortedUniqueAndExcludeHeldOut) {
  StampCorpus corpus;
  corpus.stamps.resize(2);
  corpus.stamps[0].descriptions = {{"en", "A lion."}, {"ko", "사자"}, {"pt_BR", "Um leão."}};
  corpus.stamps[1].descriptions = {
      {"en", "A cat."}, {"sr@latin", "Mačka."}, {"de", "Katze."}, {"sr", "Мачка."}};
  EXPECT_THAT(TrainingLanguages(corpus), ::testing::ElementsAre("de", "en", "ko", "sr"));
}

}  // namespace
}  // namespace xmodal::corpus
