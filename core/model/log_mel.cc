#include "core/model/log_mel.h"

#include <glog/logging.h>

#include <cmath>
#include <numbers>

namespace xmodal::model {
namespace {

double HzToMel(double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); }
double MelToHz(double mel) { return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0); }

constexpr double kLogFloor = 1e-6;

}  // namespace

int64_t SecondsToSamples(double seconds, int rate) { return std::llround(seconds * rate); }

int64_t SegmentFrames(const AudioSpec& spec) {
  return 1 + SecondsToSamples(spec.segment_seconds, spec.sample_rate) /
                 SecondsToSamples(spec.hop_seconds, spec.sample_rate);
}

LogMel::LogMel(const AudioSpec& spec)
    : n_fft_(spec.n_fft),
      window_(static_cast<int>(SecondsToSamples(spec.window_seconds, spec.sample_rate))),
      hop_(static_cast<int>(SecondsToSamples(spec.hop_seconds, spec.sample_rate))),
      n_mels_(spec.n_mels) {
  CHECK(n_fft_ > 0 && (n_fft_ & (n_fft_ - 1)) == 0) << "n_fft must be a power of two";
  CHECK(window_ >= 1 && window_ <= n_fft_ && hop_ >= 1) << "unvalidated audio spec";
  // Periodic Hann window, centred in the FFT frame.
  window_in_frame_.assign(n_fft_, 0.0);
  const int offset = (n_fft_ - window_) / 2;
  for (int i = 0; i < window_; ++i) {
    window_in_frame_[offset + i] = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / window_);
  }
  twiddles_.resize(n_fft_ / 2);
  for (int k = 0; k < n_fft_ / 2; ++k) {
    twiddles_[k] = std::polar(1.0, -2.0 * std::numbers::pi * k / n_fft_);
  }
  int bits = 0;
  while ((1 << bits) < n_fft_) ++bits;
  bit_reverse_.resize(n_fft_);
  for (int i = 0; i < n_fft_; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
    bit_reverse_[i] = r;
  }
  // HTK mel filters: n_mels + 2 edges equally spaced in mel between fmin and fmax.
  const double mel_lo = HzToMel(spec.fmin);
  const double mel_hi = HzToMel(spec.fmax);
  edges_hz_.resize(n_mels_ + 2);
  for (int i = 0; i < n_mels_ + 2; ++i) {
    edges_hz_[i] = MelToHz(mel_lo + (mel_hi - mel_lo) * i / (n_mels_ + 1));
  }
  const int bins = n_fft_ / 2 + 1;
  first_bin_.assign(n_mels_, 0);
  weights_.assign(n_mels_, {});
  for (int m = 0; m < n_mels_; ++m) {
    const double lo = edges_hz_[m], mid = edges_hz_[m + 1], hi = edges_hz_[m + 2];
    for (int k = 0; k < bins; ++k) {
      const double f = static_cast<double>(k) * spec.sample_rate / n_fft_;
      const double w = std::max(0.0, std::min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
      if (w <= 0.0) {
        if (!weights_[m].empty()) break;
        continue;
      }
      if (weights_[m].empty()) first_bin_[m] = k;
      weights_[m].resize(k - first_bin_[m] + 1, 0.0);
      weights_[m][k - first_bin_[m]] = w;
    }
  }
}

double LogMel::FilterWeight(int mel, int bin) const {
  const int i = bin - first_bin_[mel];
  if (i < 0 || i >= static_cast<int>(weights_[mel].size())) return 0.0;
  return weights_[mel][i];
}

void LogMel::Fft(std::vector<std::complex<double>>& a) const {
  const int n = n_fft_;
  for (int i = 0; i < n; ++i) {
    if (i < bit_reverse_[i]) std::swap(a[i], a[bit_reverse_[i]]);
  }
  for (int len = 2; len <= n; len <<= 1) {
    const int half = len / 2;
    const int step = n / len;
    for (int start = 0; start < n; start += len) {
      for (int j = 0; j < half; ++j) {
        const std::complex<double> t = twiddles_[j * step] * a[start + j + half];
        a[start + j + half] = a[start + j] - t;
        a[start + j] += t;
      }
    }
  }
}

std::vector<float> LogMel::Compute(std::span<const float> samples) const {
  const int64_t n = static_cast<int64_t>(samples.size());
  const int64_t frames = Frames(n);
  const int bins = n_fft_ / 2 + 1;
  std::vector<float> out(static_cast<size_t>(n_mels_) * frames);
  std::vector<std::complex<double>> buf(n_fft_);
  std::vector<double> power(bins);
  for (int64_t t = 0; t < frames; ++t) {
    // Frame t covers samples [t * hop - n_fft / 2, t * hop + n_fft / 2); outside is zero.
    const int64_t origin = t * hop_ - n_fft_ / 2;
    for (int j = 0; j < n_fft_; ++j) {
      const int64_t s = origin + j;
      const double x = (s >= 0 && s < n) ? samples[s] : 0.0;
      buf[j] = {x * window_in_frame_[j], 0.0};
    }
    Fft(buf);
    for (int k = 0; k < bins; ++k) power[k] = std::norm(buf[k]);
    for (int m = 0; m < n_mels_; ++m) {
      double energy = 0.0;
      const std::vector<double>& w = weights_[m];
      for (size_t i = 0; i < w.size(); ++i) energy += w[i] * power[first_bin_[m] + i];
      out[static_cast<size_t>(m) * frames + t] = static_cast<float>(std::log(energy + kLogFloor));
    }
  }
  return out;
}

}  // namespace xmodal::model
