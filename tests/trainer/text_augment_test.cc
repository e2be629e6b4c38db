#include "trainer/train/text_augment.h"

#include <gtest/gtest.h>

#include <set>

#include "core/base/text.h"

namespace xmodal::train {
namespace {

TEST(TextAugmentTest, DropsLeadingArticlesOfTheLanguage) {
  EXPECT_EQ(DropLeadingArticle("A lion.", "en"), "lion.");
  EXPECT_EQ(DropLeadingArticle("An apple", "en_GB"), "apple");
  EXPECT_EQ(DropLeadingArticle("L'arbre.", "fr"), "arbre.");
  EXPECT_EQ(DropLeadingArticle("Un lleó.", "ca@valencia"), "lleó.");
  EXPECT_EQ(DropLeadingArticle("Ein Löwe.", "de"), "Löwe.");
  // Not an article in that language, or nothing after it.
  EXPECT_EQ(DropLeadingArticle("A lion.", "ru"), "A lion.");
  EXPECT_EQ(DropLeadingArticle("Another lion", "en"), "Another lion");
  EXPECT_EQ(DropLeadingArticle("a ", "en"), "a ");
}

TEST(TextAugmentTest, HeldOutLanguagesHaveNoArticleList) {
  EXPECT_EQ(DropLeadingArticle("Um leão.", "pt"), "Um leão.");
  EXPECT_EQ(DropLeadingArticle("Um leão.", "pt_BR"), "Um leão.");
}

TEST(TextAugmentTest, DropsAsciiAndUnicodePunctuation) {
  EXPECT_EQ(DropPunctuation("A lion."), "A lion");
  EXPECT_EQ(DropPunctuation("¿Un león?"), "Un león");
  EXPECT_EQ(DropPunctuation("«Le chat», le chien!"), "Le chat le chien");
  EXPECT_EQ(DropPunctuation("ライオン。"), "ライオン");
  EXPECT_EQ(DropPunctuation("..."), "");
}

TEST(TextAugmentTest, AlwaysValidUtf8AndNeverEmpty) {
  const std::vector<std::pair<std::string, std::string>> texts = {
      {"en", "A lion."},    {"fr", "Un lion."}, {"ru", "Лев."}, {"el", "Λιοντάρι."},
      {"ja", "ライオン。"}, {"en", "!"},        {"ar", "أسد."}};
  for (uint64_t seed = 0; seed < 200; ++seed) {
    for (const auto& [lang, text] : texts) {
      Rng rng(seed);
      const std::string out = AugmentText(text, lang, rng);
      EXPECT_TRUE(IsValidUtf8(out)) << out;
      EXPECT_FALSE(out.empty()) << text;
    }
  }
}

TEST(TextAugmentTest, KeepsOneWordWithoutItsPunctuation) {
  std::set<std::string> words;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Rng rng(seed);
    words.insert(KeepOneWord("까만 고양이.", rng));
  }
  EXPECT_EQ(words, (std::set<std::string>{"까만", "고양이"}));
  Rng rng(1);
  EXPECT_EQ(KeepOneWord("lion.", rng), "lion.");  // one word: as is
  EXPECT_EQ(KeepOneWord("", rng), "");
  EXPECT_EQ(KeepOneWord("A - lion", rng), "A - lion");  // "A" and "-" are no words
  std::set<std::string> three;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Rng r(seed);
    three.insert(KeepOneWord("A white, fluffy kitten", r));
  }
  EXPECT_EQ(three, (std::set<std::string>{"white", "fluffy", "kitten"}));
}

TEST(TextAugmentTest, ProducesTheDocumentedVariantsDeterministically) {
  std::set<std::string> variants;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    Rng rng(seed);
    variants.insert(AugmentText("A lion.", "en", rng));
  }
  for (const char* expected : {"A lion.", "lion", "a lion", "A LION", "lion.", "Lion", "LION"}) {
    EXPECT_TRUE(variants.count(expected)) << expected;
  }
  Rng a(5), b(5);
  EXPECT_EQ(AugmentText("Лев.", "ru", a), AugmentText("Лев.", "ru", b));
}

}  // namespace
}  // namespace xmodal::train
