// Tests of core/base/utf8.h.
#include "core/base/utf8.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/status_matchers.h"

namespace xmodal {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(IsValidUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9"));                           // é
  EXPECT_TRUE(IsValidUtf8("\xed\x95\x9c\xea\xb5\xad"));              // 한국
  EXPECT_TRUE(IsValidUtf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));  // é € 😀
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));                          // U+D7FF, below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xee\x80\x80"));                          // U+E000, above them
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));                      // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0inside", 10)));          // NUL is valid UTF-8
}

TEST(IsValidUtf8Test, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("caf\xc3"));           // truncated 2-byte sequence
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated 3-byte sequence
  EXPECT_FALSE(IsValidUtf8("\xf0\x9f\x98"));      // truncated 4-byte sequence
  EXPECT_FALSE(IsValidUtf8("\xc3\x28"));          // bad continuation
  EXPECT_FALSE(IsValidUtf8("\xe9t\xe9"));         // Latin-1, not UTF-8
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/', 2 bytes
  EXPECT_FALSE(IsValidUtf8("\xc1\xbf"));          // overlong, 2 bytes
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));  // overlong, 4 bytes
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xed\xbf\xbf"));      // surrogate U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xf5\x80\x80\x80"));  // lead byte past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xf8\x88\x80\x80\x80"));  // 5-byte form
}

TEST(DecodeUtf8Test, DecodesEachLengthAndMarksInvalidBytes) {
  const std::string text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff";
  Utf8CodePoint cp = DecodeUtf8(text, 0);
  EXPECT_EQ(cp.code_point, U'a');
  EXPECT_EQ(cp.length, 1);
  cp = DecodeUtf8(text, 1);
  EXPECT_EQ(cp.code_point, U'\u00e9');
  EXPECT_EQ(cp.length, 2);
  cp = DecodeUtf8(text, 3);
  EXPECT_EQ(cp.code_point, U'\u20ac');
  EXPECT_EQ(cp.length, 3);
  cp = DecodeUtf8(text, 6);
  EXPECT_EQ(cp.code_point, U'\U0001F600');
  EXPECT_EQ(cp.length, 4);
  EXPECT_TRUE(cp.valid);
  cp = DecodeUtf8(text, 10);
  EXPECT_FALSE(cp.valid);
  EXPECT_EQ(cp.code_point, kReplacementCharacter);
  EXPECT_EQ(cp.length, 1);
  EXPECT_FALSE(DecodeUtf8("\xc3", 0).valid);  // truncated at the end
}

TEST(AppendUtf8Test, RoundTripsEveryLengthAndReplacesNonScalars) {
  for (char32_t c : {U'\0', U'A', U'\u007f', U'\u0080', U'\u00e9', U'\u07ff', U'\u0800', U'\ud7ff',
                     U'\ue000', U'\uffff', U'\U00010000', U'\U0010ffff'}) {
    std::string s;
    AppendUtf8(c, s);
    ASSERT_TRUE(IsValidUtf8(s)) << static_cast<uint32_t>(c);
    const Utf8CodePoint back = DecodeUtf8(s, 0);
    EXPECT_EQ(back.code_point, c);
    EXPECT_EQ(static_cast<size_t>(back.length), s.size());
  }
  std::string s;
  AppendUtf8(0xD800, s);
  AppendUtf8(0x110000, s);
  EXPECT_EQ(s, "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(NormalizeNfcTest, ComposesDecomposedText) {
  // "e" + COMBINING ACUTE ACCENT -> U+00E9.
  ASSERT_OK_AND_ASSIGN(const std::string nfc, NormalizeNfc("caf\x65\xcc\x81"));
  EXPECT_EQ(nfc, "caf\xc3\xa9");
  ASSERT_OK_AND_ASSIGN(const std::string same, NormalizeNfc("caf\xc3\xa9"));
  EXPECT_EQ(same, "caf\xc3\xa9");
  ASSERT_OK_AND_ASSIGN(const std::string empty, NormalizeNfc(""));
  EXPECT_EQ(empty, "");
  EXPECT_THAT(NormalizeNfc("caf\xc3"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid UTF-8")));
}

TEST(CaseFoldTest, FoldsFullyAndLeavesCaselessScriptsAlone) {
  ASSERT_OK_AND_ASSIGN(std::string folded, CaseFold("\xc3\x89L\xc3\x89PHANT"));  // ÉLÉPHANT
  EXPECT_EQ(folded, "\xc3\xa9l\xc3\xa9phant");                                   // éléphant
  ASSERT_OK_AND_ASSIGN(folded, CaseFold("Stra\xc3\x9f"
                                        "e"));  // Straße
  EXPECT_EQ(folded, "strasse");
  // ΣΊΣΥΦΟΣ -> σίσυφοσ (every sigma folds to σ, the final one too).
  ASSERT_OK_AND_ASSIGN(folded,
                       CaseFold("\xce\xa3\xce\x8a\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3"));
  EXPECT_EQ(folded, "\xcf\x83\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x83");
  ASSERT_OK_AND_ASSIGN(folded, CaseFold("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"));  // 한국어
  EXPECT_EQ(folded, "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4");
  EXPECT_THAT(CaseFold("\xff"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid UTF-8")));
}

TEST(CaseFoldTest, WithNfcDecomposedAndComposedFormsMeet) {
  // "E" + COMBINING ACUTE ACCENT and precomposed "É" both become U+00E9.
  ASSERT_OK_AND_ASSIGN(const std::string a, CaseFold("\x45\xcc\x81LAN", /*nfc=*/true));
  ASSERT_OK_AND_ASSIGN(const std::string b, CaseFold("\xc3\x89lan", /*nfc=*/true));
  EXPECT_EQ(a, "\xc3\xa9lan");
  EXPECT_EQ(b, a);
  ASSERT_OK_AND_ASSIGN(const std::string unnormalized, CaseFold("\x45\xcc\x81"));
  EXPECT_EQ(unnormalized, "\x65\xcc\x81");  // without nfc the combining mark stays
}

TEST(UnicodePropertiesTest, CategoriesAndSimpleCaseMappings) {
  EXPECT_EQ(CategoryOf(U'A'), UnicodeCategory::kLu);
  EXPECT_EQ(CategoryOf(0x3B1), UnicodeCategory::kLl);   // Greek alpha
  EXPECT_EQ(CategoryOf(0x1C5), UnicodeCategory::kLt);   // Dz with caron, titlecase
  EXPECT_EQ(CategoryOf(0xAC00), UnicodeCategory::kLo);  // Hangul syllable
  EXPECT_EQ(CategoryOf(0x0301), UnicodeCategory::kMn);  // combining acute
  EXPECT_EQ(CategoryOf(0x0663), UnicodeCategory::kNd);  // Arabic-Indic three
  EXPECT_EQ(CategoryOf(0x00BD), UnicodeCategory::kNo);  // one half
  EXPECT_EQ(CategoryOf(U' '), UnicodeCategory::kZs);
  EXPECT_EQ(CategoryOf(U'^'), UnicodeCategory::kSk);
  EXPECT_EQ(CategoryOf(0x0378), UnicodeCategory::kCn);    // unassigned
  EXPECT_EQ(CategoryOf(0x110000), UnicodeCategory::kCn);  // beyond Unicode
  EXPECT_TRUE(IsLetterCategory(CategoryOf(0x4E2D)));
  EXPECT_FALSE(IsLetterCategory(CategoryOf(U'1')));
  EXPECT_TRUE(IsNumberCategory(CategoryOf(0x2164)));  // Roman numeral five, Nl
  EXPECT_EQ(SimpleLowercase(U'A'), U'a');
  EXPECT_EQ(SimpleLowercase(0x3A3), 0x3C3u);  // sigma, not the final form
  EXPECT_EQ(SimpleLowercase(0x130), 0x69u);   // simple mapping: just "i"
  EXPECT_EQ(SimpleUppercase(U'z'), U'Z');
  EXPECT_EQ(SimpleUppercase(0x4E2D), 0x4E2Du);
  EXPECT_EQ(SimpleLowercase(0x110000), 0x110000u);
}

}  // namespace
}  // namespace xmodal
