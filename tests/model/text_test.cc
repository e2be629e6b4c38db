// Tests of core/base/text.h (kept with the model tests, its main user). UTF-8 validation is
// tested in tests/base/utf8_test.cc.
#include "core/base/text.h"

#include <gtest/gtest.h>

#include <string>

namespace xmodal {
namespace {

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
