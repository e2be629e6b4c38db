#include "core/model/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace xmodal::model {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

TokenizerSpec Bytes(int context, bool lowercase = true) {
  TokenizerSpec s;
  s.type = "bytes";
  s.context_length = context;
  s.lowercase = lowercase;
  return s;
}

TokenizerSpec Ngrams(int context, int lo, int hi, int buckets) {
  TokenizerSpec s;
  s.type = "char_ngram";
  s.context_length = context;
  s.ngram_min = lo;
  s.ngram_max = hi;
  s.buckets = buckets;
  return s;
}

int64_t Id(const std::string& gram, int buckets) {
  return static_cast<int64_t>(1 + Fnv1a64(gram) % static_cast<uint64_t>(buckets));
}

TEST(Fnv1a64Test, MatchesReferenceVectors) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(BytesTokenizerTest, IdsAreBytesPlusOneLowercasedAndPadded) {
  EXPECT_THAT(Tokenize(Bytes(6), "Hi!"), ElementsAre('h' + 1, 'i' + 1, '!' + 1, 0, 0, 0));
  EXPECT_THAT(Tokenize(Bytes(4, /*lowercase=*/false), "Hi"), ElementsAre('H' + 1, 'i' + 1, 0, 0));
  // UTF-8 bytes of "é" (C3 A9); non-ASCII is never lower-cased. "É" is C3 89.
  EXPECT_THAT(Tokenize(Bytes(3), "\xc3\x89"), ElementsAre(0xc3 + 1, 0x89 + 1, 0));
  EXPECT_THAT(Tokenize(Bytes(2), "\xff"), ElementsAre(256, 0));
}

TEST(BytesTokenizerTest, TruncatesToContextLength) {
  EXPECT_THAT(Tokenize(Bytes(4), "abcdef"), ElementsAre('a' + 1, 'b' + 1, 'c' + 1, 'd' + 1));
  EXPECT_EQ(Tokenize(Bytes(64), "x").size(), 64u);
}

TEST(CharNgramTokenizerTest, HashesPaddedNgramsInTextOrder) {
  const int kBuckets = 1000;
  // " ab " -> at each position n = 1, 2: " ", " a", "a", "ab", "b", "b ", " ".
  EXPECT_THAT(
      Tokenize(Ngrams(10, 1, 2, kBuckets), "AB"),
      ElementsAre(Id(" ", kBuckets), Id(" a", kBuckets), Id("a", kBuckets), Id("ab", kBuckets),
                  Id("b", kBuckets), Id("b ", kBuckets), Id(" ", kBuckets), 0, 0, 0));
}

TEST(CharNgramTokenizerTest, KoreanTextIsSplitIntoCodePoints) {
  const int kBuckets = 1 << 16;
  const std::string han = "\xed\x95\x9c";  // 한
  const std::string guk = "\xea\xb5\xad";  // 국
  // " 한국 " has 4 code points; n = 2..3.
  const std::vector<int64_t> ids = Tokenize(Ngrams(8, 2, 3, kBuckets), han + guk);
  EXPECT_THAT(ids, ElementsAre(Id(" " + han, kBuckets), Id(" " + han + guk, kBuckets),
                               Id(han + guk, kBuckets), Id(han + guk + " ", kBuckets),
                               Id(guk + " ", kBuckets), 0, 0, 0));
}

TEST(CharNgramTokenizerTest, TruncatesAndKeepsIdsInRange) {
  const TokenizerSpec spec = Ngrams(5, 1, 3, 7);
  const std::vector<int64_t> ids = Tokenize(spec, "a long sentence with many n-grams");
  ASSERT_EQ(ids.size(), 5u);
  for (int64_t id : ids) {
    EXPECT_GE(id, 1);
    EXPECT_LE(id, 7);
  }
  EXPECT_EQ(MaxTokenId(spec), 7);
  EXPECT_EQ(MaxTokenId(Bytes(4)), 256);
  // The first ids are those of the leading n-grams " ", " a", " a ".
  EXPECT_THAT(std::vector<int64_t>(ids.begin(), ids.begin() + 3),
              ElementsAreArray({Id(" ", 7), Id(" a", 7), Id(" a ", 7)}));
}

TEST(CharNgramTokenizerTest, LowercasesWhenAsked) {
  EXPECT_EQ(Tokenize(Ngrams(16, 1, 3, 100), "Blue Sky"),
            Tokenize(Ngrams(16, 1, 3, 100), "blue sky"));
  TokenizerSpec cased = Ngrams(16, 1, 3, 100);
  cased.lowercase = false;
  EXPECT_NE(Tokenize(cased, "Blue"), Tokenize(cased, "blue"));
  EXPECT_THAT(Tokenize(Ngrams(3, 4, 4, 100), "a"), Each(0));  // " a " has no 4-gram
}

TEST(TokenizerPreprocessTest, UnicodeFoldingAndNfcMakeCaseAndFormVariantsEqual) {
  TokenizerSpec spec = Ngrams(32, 1, 3, 1000);
  spec.case_fold = "unicode";
  spec.normalize = "nfc";
  EXPECT_EQ(Tokenize(spec, "CAT"), Tokenize(spec, "cat"));
  EXPECT_EQ(Tokenize(spec, "\xc3\x89LAN"), Tokenize(spec, "\xc3\xa9lan"));      // ÉLAN, élan
  EXPECT_EQ(Tokenize(spec, "\x45\xcc\x81LAN"), Tokenize(spec, "\xc3\xa9lan"));  // E + U+0301
  EXPECT_EQ(Preprocess(spec,
                       "Stra\xc3\x9f"
                       "e"),
            "strasse");
  EXPECT_EQ(Preprocess(spec, "\xed\x95\x9c\xea\xb5\xad"), "\xed\x95\x9c\xea\xb5\xad");  // 한국
  TokenizerSpec bytes = Bytes(16);
  bytes.case_fold = "unicode";
  EXPECT_EQ(Tokenize(bytes, "\xc3\x89LAN"), Tokenize(bytes, "\xc3\xa9lan"));
}

TEST(TokenizerPreprocessTest, DefaultKeepsTheAsciiOnlyBehaviourOfVersion1) {
  const TokenizerSpec spec = Ngrams(32, 1, 3, 1000);  // case_fold "ascii", normalize "none"
  EXPECT_EQ(Tokenize(spec, "CAT"), Tokenize(spec, "cat"));
  EXPECT_NE(Tokenize(spec, "\xc3\x89LAN"), Tokenize(spec, "\xc3\xa9lan"));
  EXPECT_EQ(Preprocess(spec, "\xc3\x89LAN"), "\xc3\x89lan");
  EXPECT_EQ(Preprocess(spec, "\x45\xcc\x81"), "\x65\xcc\x81");  // not composed
  TokenizerSpec nfc_only = spec;
  nfc_only.normalize = "nfc";
  EXPECT_EQ(Preprocess(nfc_only, "\x45\xcc\x81LAN"), "\xc3\x89lan");  // composed, É kept
}

}  // namespace
}  // namespace xmodal::model
