#include "core/model/log_mel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>
#include <vector>

namespace xmodal::model {
namespace {

AudioSpec Spec(int n_mels) {
  AudioSpec s;  // 16 kHz, 25 ms window (400), 10 ms hop (160), n_fft 512, 0-8000 Hz
  s.n_mels = n_mels;
  s.segment_seconds = 1.0;
  s.segment_hop_seconds = 1.0;
  return s;
}

std::vector<float> Tone(double hz, int n, int rate = 16000) {
  std::vector<float> x(n);
  for (int i = 0; i < n; ++i) x[i] = 0.5f * std::sin(2 * std::numbers::pi * hz * i / rate);
  return x;
}

// The band with the highest mean feature over the frames.
int PeakBand(const std::vector<float>& f, int n_mels, int64_t frames) {
  int best = 0;
  double best_mean = -1e30;
  for (int m = 0; m < n_mels; ++m) {
    double sum = 0;
    for (int64_t t = 0; t < frames; ++t) sum += f[m * frames + t];
    if (sum / frames > best_mean) best_mean = sum / frames, best = m;
  }
  return best;
}

TEST(LogMelTest, FrameCountAndLayout) {
  const LogMel mel(Spec(64));
  EXPECT_EQ(mel.window_samples(), 400);
  EXPECT_EQ(mel.hop_samples(), 160);
  EXPECT_EQ(mel.Frames(16000), 101);
  EXPECT_EQ(mel.Frames(1000), 7);
  EXPECT_EQ(mel.Frames(1), 1);
  EXPECT_EQ(SegmentFrames(Spec(64)), 101);
  EXPECT_EQ(mel.Compute(Tone(440, 1000)).size(), 64u * 7u);
}

TEST(LogMelTest, SilenceIsTheLogFloor) {
  const LogMel mel(Spec(24));
  for (float v : mel.Compute(std::vector<float>(3200, 0.0f))) EXPECT_FLOAT_EQ(v, std::log(1e-6f));
}

TEST(LogMelTest, OneKilohertzTonePeaksInTheRightBand) {
  // HTK: mel(1000 Hz) = 1000.0; 64 bands over mel(0)..mel(8000) = 0..2840.02 have centres at
  // (m + 1) * 43.69 mel, so band 22 (centre 1004.9 mel) is the closest.
  const LogMel mel(Spec(64));
  const std::vector<float> f = mel.Compute(Tone(1000, 16000));
  EXPECT_EQ(PeakBand(f, 64, 101), 22);
  EXPECT_NEAR(mel.CenterHz(22), 1000.0, 10.0);
  // And with the toy model's 24 bands: centre (m + 1) * 113.6 mel -> band 8 (1022 mel).
  const LogMel toy(Spec(24));
  EXPECT_EQ(PeakBand(toy.Compute(Tone(1000, 16000)), 24, 101), 8);
}

TEST(LogMelTest, FiltersAreHtkTriangles) {
  const LogMel mel(Spec(24));
  for (int m = 0; m < 24; ++m) {
    double peak = 0;
    for (int k = 0; k <= 256; ++k) {
      const double w = mel.FilterWeight(m, k);
      EXPECT_GE(w, 0.0);
      EXPECT_LE(w, 1.0);
      peak = std::max(peak, w);
    }
    EXPECT_GT(peak, 0.3) << "band " << m << " has no FFT bin near its centre";
  }
  // The last band ends at fmax = 8000 Hz (bin 256), which gets no weight.
  EXPECT_NEAR(mel.FilterWeight(23, 256), 0.0, 1e-9);
  EXPECT_GT(mel.FilterWeight(23, 255), 0.0);
}

TEST(LogMelTest, MatchesANaiveDftOfAWindowedFrame) {
  const AudioSpec spec = Spec(24);
  const LogMel mel(spec);
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> x(16000);
  for (float& v : x) v = dist(gen);
  const std::vector<float> f = mel.Compute(x);
  // Frame 50 is centred on sample 8000 and covers [7744, 8256); the 400-sample periodic Hann
  // window sits at offset (512 - 400) / 2 = 56 inside it.
  const int t = 50;
  std::vector<double> frame(512, 0.0);
  for (int j = 56; j < 456; ++j) {
    const double w = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * (j - 56) / 400);
    frame[j] = x[t * 160 - 256 + j] * w;
  }
  std::vector<double> power(257);
  for (int k = 0; k <= 256; ++k) {
    std::complex<double> sum = 0;
    for (int j = 0; j < 512; ++j)
      sum += frame[j] * std::polar(1.0, -2 * std::numbers::pi * k * j / 512);
    power[k] = std::norm(sum);
  }
  for (int m = 0; m < 24; ++m) {
    double energy = 0;
    for (int k = 0; k <= 256; ++k) energy += mel.FilterWeight(m, k) * power[k];
    EXPECT_NEAR(f[m * 101 + t], std::log(energy + 1e-6), 1e-4) << "band " << m;
  }
}

}  // namespace
}  // namespace xmodal::model
