// The log-mel front end of the audio encoder: periodic-Hann STFT with centre framing (zero
// padding of n_fft / 2 on both sides), power spectrum by an in-house radix-2 FFT, HTK-scale
// triangular mel filters between fmin and fmax, feature = ln(mel energy + 1e-6).
// Pure C++, no LibTorch. Immutable after construction, so Compute is thread-safe.
#ifndef XMODAL_CORE_MODEL_LOG_MEL_H_
#define XMODAL_CORE_MODEL_LOG_MEL_H_

#include <complex>
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/model_manifest.h"

namespace xmodal::model {

class LogMel {
 public:
  // `spec` must have passed ModelManifest validation (n_fft a power of two >= the window).
  explicit LogMel(const AudioSpec& spec);

  int n_mels() const { return n_mels_; }
  int window_samples() const { return window_; }
  int hop_samples() const { return hop_; }
  // 1 + num_samples / hop (integer division): frame t is centred on sample t * hop.
  int64_t Frames(int64_t num_samples) const { return 1 + num_samples / hop_; }

  // Returns n_mels x Frames(samples.size()) values, row-major (one row per mel band, low
  // frequencies first). The Hann window of `window_samples` is centred inside each n_fft frame.
  std::vector<float> Compute(std::span<const float> samples) const;

  // The weight of FFT bin `bin` (0..n_fft/2) in mel band `mel`; exposed for tests.
  double FilterWeight(int mel, int bin) const;
  // The centre frequency (Hz) of mel band `mel`.
  double CenterHz(int mel) const { return edges_hz_[mel + 1]; }

 private:
  // In-place iterative radix-2 FFT of `data` (n_fft_ values).
  void Fft(std::vector<std::complex<double>>& data) const;

  int n_fft_;
  int window_;
  int hop_;
  int n_mels_;
  std::vector<double> window_in_frame_;         // n_fft_ values, zero outside the centred window
  std::vector<std::complex<double>> twiddles_;  // exp(-2 pi i k / n_fft), k < n_fft / 2
  std::vector<int> bit_reverse_;
  std::vector<double> edges_hz_;              // n_mels + 2 filter edges
  std::vector<int> first_bin_;                // per mel band: first bin with non-zero weight
  std::vector<std::vector<double>> weights_;  // per mel band: weights from first_bin_
};

// Round(seconds * rate) as used for window, hop and segment lengths.
int64_t SecondsToSamples(double seconds, int rate);

// The number of frames of one audio segment for `spec` (the encoder's input width).
int64_t SegmentFrames(const AudioSpec& spec);

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_LOG_MEL_H_
