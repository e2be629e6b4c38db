// Tests of core/base/text.h (kept with the model tests, its main user).
#include "core/base/text.h"

#include <gtest/gtest.h>

#include <string>

namespace xmodal {
namespace {

TEST(IsValidUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9"));                   // é
  EXPECT_TRUE(IsValidUtf8("\xed\x95\x9c\xea\xb5\xad"));      // 한국
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));              // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));              // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0inside", 10)));  // NUL is valid UTF-8
}

TEST(IsValidUtf8Test, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("caf\xc3"));           // truncated sequence
  EXPECT_FALSE(IsValidUtf8("\xc3\x28"));          // bad continuation
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xf8\x88\x80\x80\x80"));  // 5-byte form
}

TEST(NormalizeWhitespaceTest, TrimsAndCollapsesAsciiWhitespace) {
  EXPECT_EQ(NormalizeWhitespace("  red \t\n car  "), "red car");
  EXPECT_EQ(NormalizeWhitespace("a\r\n\v\fb"), "a b");
  EXPECT_EQ(NormalizeWhitespace(" \t\n "), "");
  EXPECT_EQ(NormalizeWhitespace(""), "");
  EXPECT_EQ(NormalizeWhitespace("one"), "one");
  // A no-break space (U+00A0) is not ASCII whitespace and is kept.
  EXPECT_EQ(NormalizeWhitespace(" a\xc2\xa0 b "), "a\xc2\xa0 b");
}

TEST(AsciiLowercaseUtf8Test, LowercasesAsciiOnly) {
  EXPECT_EQ(AsciiLowercaseUtf8("Red CAR 42"), "red car 42");
  // É (C3 89) stays as it is; the bytes stay valid UTF-8.
  EXPECT_EQ(AsciiLowercaseUtf8("\xc3\x89T\xc3\x89"), "\xc3\x89t\xc3\x89");
  EXPECT_EQ(AsciiLowercaseUtf8("\xed\x95\x9c"), "\xed\x95\x9c");
}

}  // namespace
}  // namespace xmodal
