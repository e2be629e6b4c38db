// A sine tone as mono float audio, for the trainer's tests.
#ifndef XMODAL_TESTS_TRAINER_SINE_TONE_H_
#define XMODAL_TESTS_TRAINER_SINE_TONE_H_

#include <cmath>
#include <numbers>
#include <vector>

#include "core/media/audio.h"

namespace xmodal::train {

// `seconds` of a `hz` sine at amplitude 0.3, sampled at 16 kHz.
inline media::Audio SineTone(double hz, double seconds) {
  media::Audio a{16000, std::vector<float>(static_cast<size_t>(seconds * 16000))};
  for (size_t i = 0; i < a.samples.size(); ++i) {
    a.samples[i] = 0.3f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * i / 16000));
  }
  return a;
}

}  // namespace xmodal::train

#endif  // XMODAL_TESTS_TRAINER_SINE_TONE_H_
