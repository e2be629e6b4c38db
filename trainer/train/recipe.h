// The default model's recipe: tower architecture and input preparation (the manifest the
// package ships), in one struct so that training and export read the same numbers.
// Plain data; thread-compatible.
#ifndef XMODAL_TRAINER_TRAIN_RECIPE_H_
#define XMODAL_TRAINER_TRAIN_RECIPE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/model/model_manifest.h"

namespace xmodal::train {

// A convolution: `out` channels, `kernel` x `kernel` (1-D: `kernel`), `stride`, padding
// kernel / 2, then ReLU (and GroupNorm when the tower has `groups` > 0).
struct ConvLayer {
  int out = 0;
  int kernel = 3;
  int stride = 1;
};

struct ModelConfig {
  std::string name = "xmodal-stamps";
  std::string version = "1";
  std::string license = "GPL-2.0-or-later";
  int dim = 128;

  // Text: hashed character n-grams -> embedding table -> masked mean -> LayerNorm -> MLP.
  int ngram_min = 1;
  int ngram_max = 4;
  int buckets = 1 << 15;
  int context_length = 192;
  int text_width = 128;
  int text_hidden = 256;
  int max_text_bytes = 2048;

  // Image: shorter_side resize + centre crop to image_size, mean/std -> 2-D CNN -> global
  // mean pool -> LayerNorm -> linear.
  int image_size = 64;
  float image_mean = 0.5f;
  float image_std = 0.25f;
  std::vector<ConvLayer> image_layers = {{32, 3, 2}, {64, 3, 2}, {128, 3, 2}, {256, 3, 2}};
  int image_groups = 8;  // GroupNorm groups after each conv; 0: none

  // Audio: log-mel (sample_rate, 25 ms / 10 ms, n_mels) of segments of segment_seconds ->
  // (x + audio_offset) * audio_scale -> 1-D CNN over time (mels as channels) -> mean and
  // max pool over time -> LayerNorm -> linear.
  int sample_rate = 16000;
  int n_mels = 64;
  double segment_seconds = 2.0;
  float audio_offset = 4.0f;
  float audio_scale = 0.25f;
  std::vector<ConvLayer> audio_layers = {{128, 5, 2}, {128, 3, 2}, {256, 3, 2}, {256, 3, 1}};
  int audio_groups = 8;
  // The audio tower's second head: a unit fingerprint of fingerprint_dim from the same
  // pooled features, trained to tell each recording apart under noise and speed changes;
  // the speech memory (speech_memory.h) is keyed by it.
  int fingerprint_dim = 64;
};

// A small configuration for tests: few channels, 32 px images, 1 s audio segments.
ModelConfig TinyConfig();

// INVALID_ARGUMENT naming the first bad field (non-positive sizes, no layers, channels not
// divisible by the groups, a manifest that would not validate).
absl::Status ValidateConfig(const ModelConfig& config);

// The manifest of the package: files text.pt, image.pt, audio.pt, method "forward".
model::ModelManifest MakeManifest(const ModelConfig& config);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_RECIPE_H_
