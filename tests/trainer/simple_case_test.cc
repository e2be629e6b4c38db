#include "trainer/train/simple_case.h"

#include <gtest/gtest.h>

namespace xmodal::train {
namespace {

TEST(SimpleCaseTest, LowerCasesLatinGreekCyrillicArmenian) {
  EXPECT_EQ(ToLowerUtf8("A LION."), "a lion.");
  EXPECT_EQ(ToLowerUtf8("ÉLÉPHANT Ÿ Ł Ő"), "éléphant ÿ ł ő");
  EXPECT_EQ(ToLowerUtf8("ΛΙΟΝΤΆΡΙ"), "λιοντάρι");
  EXPECT_EQ(ToLowerUtf8("ЛЕВ ЁЖ ЄІЇ"), "лев ёж єії");
  EXPECT_EQ(ToLowerUtf8("ԱՌՅՈՒԾ"), "առյուծ");
}

TEST(SimpleCaseTest, UpperCasesAndKeepsOtherScripts) {
  EXPECT_EQ(ToUpperUtf8("лев"), "ЛЕВ");
  EXPECT_EQ(ToUpperUtf8("ός"), "ΌΣ");
  EXPECT_EQ(ToUpperUtf8("straße"), "STRAßE");  // no one-to-one upper case for ß
  EXPECT_EQ(ToUpperUtf8("사자 ライオン 獅子"), "사자 ライオン 獅子");
}

TEST(SimpleCaseTest, FirstLetterOnly) {
  EXPECT_EQ(SetFirstLetterCase("Лев.", false), "лев.");
  EXPECT_EQ(SetFirstLetterCase("¿un león?", true), "¿Un león?");
  EXPECT_EQ(SetFirstLetterCase("123", true), "123");
}

TEST(SimpleCaseTest, ByteLengthIsPreserved) {
  const std::string text = "Ωmega Ärger Щука Ŀ ſ";
  EXPECT_EQ(ToLowerUtf8(text).size(), text.size());
  EXPECT_EQ(ToUpperUtf8(text).size(), text.size());
}

}  // namespace
}  // namespace xmodal::train
