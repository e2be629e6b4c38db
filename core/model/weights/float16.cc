#include "core/model/weights/float16.h"

#include <cstring>

namespace xmodal::model::weights {
namespace {

uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

float BitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

// Shifts `m` right by `shift` (1..31) bits, rounding to nearest with ties to even.
uint32_t ShiftRoundEven(uint32_t m, int shift) {
  const uint32_t q = m >> shift;
  const uint32_t rem = m & ((uint32_t{1} << shift) - 1);
  const uint32_t half = uint32_t{1} << (shift - 1);
  return rem > half || (rem == half && (q & 1) != 0) ? q + 1 : q;
}

}  // namespace

float HalfToFloat(uint16_t bits) {
  const uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  const uint32_t exp = (bits >> 10) & 0x1f;
  uint32_t mant = bits & 0x3ff;
  if (exp == 0x1f) return BitsFloat(sign | 0x7f800000 | (mant << 13));  // inf, NaN (payload kept)
  if (exp != 0) return BitsFloat(sign | ((exp + 112) << 23) | (mant << 13));
  if (mant == 0) return BitsFloat(sign);  // +-0
  // Subnormal: mant * 2^-24. Normalise so that the leading 1 lands on bit 10.
  int e = 113;  // biased float exponent of 2^-14
  while ((mant & 0x400) == 0) {
    mant <<= 1;
    --e;
  }
  return BitsFloat(sign | (static_cast<uint32_t>(e) << 23) | ((mant & 0x3ff) << 13));
}

uint16_t FloatToHalf(float value) {
  const uint32_t bits = FloatBits(value);
  const auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  const uint32_t abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) {  // NaN: keep the top payload bits, force a quiet, non-zero mantissa
    return static_cast<uint16_t>(sign | 0x7e00 | ((abs >> 13) & 0x3ff));
  }
  // 0x477ff000 is 65520, halfway between the largest half (65504, odd mantissa) and 2^16: ties
  // to even round it, and everything above, to infinity.
  if (abs >= 0x477ff000) return static_cast<uint16_t>(sign | 0x7c00);
  if (abs >= 0x38800000) {  // normal half (>= 2^-14); the rounding carry may bump the exponent
    const uint32_t rounded = abs + 0xfff + ((abs >> 13) & 1);
    return static_cast<uint16_t>(sign | ((rounded - (uint32_t{112} << 23)) >> 13));
  }
  // Subnormal half or zero: value / 2^-24, rounded. A float subnormal (exponent 0) is far
  // below 2^-25 and rounds to zero.
  const int exp = static_cast<int>(abs >> 23);
  const int shift = 126 - exp;  // >= 14 here
  if (exp == 0 || shift > 24) return sign;
  const uint32_t mant = (abs & 0x7fffff) | 0x800000;
  return static_cast<uint16_t>(sign | ShiftRoundEven(mant, shift));
}

float BFloat16ToFloat(uint16_t bits) { return BitsFloat(static_cast<uint32_t>(bits) << 16); }

uint16_t FloatToBFloat16(float value) {
  const uint32_t bits = FloatBits(value);
  if ((bits & 0x7fffffff) > 0x7f800000) {  // NaN: truncate, keeping it a (quiet) NaN
    return static_cast<uint16_t>((bits >> 16) | 0x0040);
  }
  return static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

}  // namespace xmodal::model::weights
