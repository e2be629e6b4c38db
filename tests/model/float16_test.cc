#include "core/model/weights/float16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace xmodal::model::weights {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

uint32_t Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

float FromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

TEST(HalfTest, DecodesExactValues) {
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc100), -2.5f);
  EXPECT_EQ(HalfToFloat(0x7bff), 65504.0f);
  EXPECT_EQ(HalfToFloat(0x0400), std::ldexp(1.0f, -14));     // smallest normal
  EXPECT_EQ(HalfToFloat(0x0001), std::ldexp(1.0f, -24));     // smallest subnormal
  EXPECT_EQ(HalfToFloat(0x03ff), std::ldexp(1023.0f, -24));  // largest subnormal
  EXPECT_EQ(HalfToFloat(0x3555), 0x155 * std::ldexp(1.0f, -12) + 0.25f);
  EXPECT_EQ(Bits(HalfToFloat(0x0000)), 0u);
  EXPECT_EQ(Bits(HalfToFloat(0x8000)), 0x80000000u);  // -0 keeps its sign
  EXPECT_EQ(HalfToFloat(0x7c00), kInf);
  EXPECT_EQ(HalfToFloat(0xfc00), -kInf);
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7e00)));
  EXPECT_TRUE(std::isnan(HalfToFloat(0x7c01)));  // signalling payload stays NaN
  EXPECT_TRUE(std::signbit(HalfToFloat(0xfe00)));
}

TEST(HalfTest, EncodesExactValues) {
  EXPECT_EQ(FloatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(FloatToHalf(-2.5f), 0xc100);
  EXPECT_EQ(FloatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -14)), 0x0400);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(FloatToHalf(std::ldexp(1023.0f, -24)), 0x03ff);
  EXPECT_EQ(FloatToHalf(0.0f), 0x0000);
  EXPECT_EQ(FloatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(FloatToHalf(kInf), 0x7c00);
  EXPECT_EQ(FloatToHalf(-kInf), 0xfc00);
  const uint16_t nan = FloatToHalf(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7c00, 0x7c00);
  EXPECT_NE(nan & 0x03ff, 0);
  // A NaN whose payload lives only in the low bits must not become infinity.
  const uint16_t low_nan = FloatToHalf(FromBits(0x7f800001));
  EXPECT_EQ(low_nan & 0x7c00, 0x7c00);
  EXPECT_NE(low_nan & 0x03ff, 0);
  EXPECT_EQ(FloatToHalf(FromBits(0xffc00000)) & 0x8000, 0x8000);
}

TEST(HalfTest, RoundsToNearestEven) {
  const float ulp = std::ldexp(1.0f, -10);             // spacing of halves in [1, 2)
  EXPECT_EQ(FloatToHalf(1.0f + ulp / 2), 0x3c00);      // tie, 1.0 is even
  EXPECT_EQ(FloatToHalf(1.0f + 3 * ulp / 2), 0x3c02);  // tie, rounds up to even
  EXPECT_EQ(FloatToHalf(std::nextafter(1.0f + ulp / 2, 2.0f)), 0x3c01);  // above the tie
  EXPECT_EQ(FloatToHalf(std::nextafter(1.0f + ulp / 2, 0.0f)), 0x3c00);  // below the tie
  EXPECT_EQ(FloatToHalf(2.0f - ulp / 4), 0x4000);  // carries into the exponent
  // Subnormal ties: 2^-25 is halfway between 0 and 2^-24; 3 * 2^-25 between 1 and 2 units.
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -25)), 0x0000);
  EXPECT_EQ(FloatToHalf(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
  EXPECT_EQ(FloatToHalf(std::ldexp(3.0f, -25)), 0x0002);
  EXPECT_EQ(FloatToHalf(std::ldexp(5.0f, -25)), 0x0002);
  EXPECT_EQ(FloatToHalf(-std::ldexp(5.0f, -25)), 0x8002);
  // The largest subnormal rounds up into the smallest normal.
  EXPECT_EQ(FloatToHalf(std::ldexp(1023.75f, -24)), 0x0400);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.0f, -40)), 0x0000);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
}

TEST(HalfTest, OverflowsToInfinity) {
  EXPECT_EQ(FloatToHalf(65519.0f), 0x7bff);  // below the tie at 65520
  EXPECT_EQ(FloatToHalf(65520.0f), 0x7c00);  // tie, 65504 is odd
  EXPECT_EQ(FloatToHalf(1e6f), 0x7c00);
  EXPECT_EQ(FloatToHalf(-1e6f), 0xfc00);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::max()), 0x7c00);
}

TEST(HalfTest, EveryHalfRoundTrips) {
  for (uint32_t h = 0; h <= 0xffff; ++h) {
    const float f = HalfToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(f)))) << h;
    } else {
      EXPECT_EQ(FloatToHalf(f), h) << h;
    }
  }
}

TEST(BFloat16Test, ConvertsExactValues) {
  EXPECT_EQ(BFloat16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(BFloat16ToFloat(0xc020), -2.5f);
  EXPECT_EQ(BFloat16ToFloat(0x0001), FromBits(0x00010000));  // subnormal
  EXPECT_EQ(BFloat16ToFloat(0x7f80), kInf);
  EXPECT_EQ(BFloat16ToFloat(0xff80), -kInf);
  EXPECT_TRUE(std::isnan(BFloat16ToFloat(0x7fc0)));
  EXPECT_EQ(FloatToBFloat16(1.0f), 0x3f80);
  EXPECT_EQ(FloatToBFloat16(-2.5f), 0xc020);
  EXPECT_EQ(FloatToBFloat16(65504.0f), 0x4780);  // 65536 after rounding
  EXPECT_EQ(FloatToBFloat16(FromBits(0x00010000)), 0x0001);
  EXPECT_EQ(FloatToBFloat16(-0.0f), 0x8000);
  EXPECT_EQ(FloatToBFloat16(kInf), 0x7f80);
  EXPECT_EQ(FloatToBFloat16(-kInf), 0xff80);
}

TEST(BFloat16Test, RoundsToNearestEvenAndKeepsNaN) {
  EXPECT_EQ(FloatToBFloat16(FromBits(0x3f808000)), 0x3f80);  // tie, even stays
  EXPECT_EQ(FloatToBFloat16(FromBits(0x3f818000)), 0x3f82);  // tie, odd rounds up
  EXPECT_EQ(FloatToBFloat16(FromBits(0x3f808001)), 0x3f81);
  EXPECT_EQ(FloatToBFloat16(FromBits(0x3f807fff)), 0x3f80);
  EXPECT_EQ(FloatToBFloat16(FromBits(0x3fffffff)), 0x4000);  // carries into the exponent
  EXPECT_EQ(FloatToBFloat16(std::numeric_limits<float>::max()), 0x7f80);  // overflow to inf
  EXPECT_EQ(FloatToBFloat16(FromBits(0x7f7f7fff)), 0x7f7f);
  for (uint32_t nan : {0x7fc00000u, 0x7f800001u, 0xff800001u, 0x7fffffffu}) {
    const uint16_t b = FloatToBFloat16(FromBits(nan));
    EXPECT_TRUE(std::isnan(BFloat16ToFloat(b))) << std::hex << nan;
    EXPECT_EQ(b & 0x8000, (nan >> 16) & 0x8000) << std::hex << nan;
  }
  for (uint32_t b = 0; b <= 0xffff; ++b) {
    const float f = BFloat16ToFloat(static_cast<uint16_t>(b));
    if (!std::isnan(f)) EXPECT_EQ(FloatToBFloat16(f), b) << b;
  }
}

}  // namespace
}  // namespace xmodal::model::weights
