// The trainer's seeded random numbers: a portable generator (std::mt19937_64, whose output
// the C++ standard fixes) with its own conversions to uniform and normal values, so that
// sampling and augmentation are the same for a seed on every standard library. Streams are
// derived from (seed, step, slot, ...) with DeriveSeed, never from shared state, so the data
// of a step do not depend on thread scheduling. Not thread-safe: one Rng per task.
#ifndef XMODAL_TRAINER_TRAIN_RNG_H_
#define XMODAL_TRAINER_TRAIN_RNG_H_

#include <cstdint>
#include <initializer_list>
#include <random>

namespace xmodal::train {

class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}

  uint64_t Next() { return gen_(); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(gen_() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform in [0, n); n >= 1.
  int UniformInt(int n) { return static_cast<int>(Uniform() * n); }
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller, one value per call).
  double Normal();

 private:
  std::mt19937_64 gen_;
};

// Mixes `parts` into one 64-bit seed (SplitMix64 finaliser over each part in order).
uint64_t DeriveSeed(std::initializer_list<uint64_t> parts);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_RNG_H_
