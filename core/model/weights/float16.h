// IEEE 754 binary16 (F16) and bfloat16 (BF16) conversions to and from float32. Pure functions,
// thread-safe. Float-to-half rounds to nearest even; NaN stays NaN, overflow gives infinity.
#ifndef XMODAL_CORE_MODEL_WEIGHTS_FLOAT16_H_
#define XMODAL_CORE_MODEL_WEIGHTS_FLOAT16_H_

#include <cstdint>

namespace xmodal::model::weights {

float HalfToFloat(uint16_t bits);
uint16_t FloatToHalf(float value);
float BFloat16ToFloat(uint16_t bits);
uint16_t FloatToBFloat16(float value);

}  // namespace xmodal::model::weights

#endif  // XMODAL_CORE_MODEL_WEIGHTS_FLOAT16_H_
