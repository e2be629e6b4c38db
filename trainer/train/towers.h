// The three towers of the default model as a LibTorch module for training: text, image and
// audio encoders into one L2-normalised space of ModelConfig::dim, plus the learned
// temperature. The forward passes use only operations that TorchScript compiled from C++
// can express, so torchscript_export.h writes the same computation (verified by
// tests/trainer/torchscript_export_test.cc). Not thread-safe (training state).
#ifndef XMODAL_TRAINER_TRAIN_TOWERS_H_
#define XMODAL_TRAINER_TRAIN_TOWERS_H_

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "trainer/train/recipe.h"

namespace xmodal::train {

// Parameter names are "<tower>_<part>" ("text_table", "image_c0_w", "audio_proj_b", ...), the
// attribute names of the exported TorchScript modules.
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

class TowersImpl : public torch::nn::Module {
 public:
  // Initialises every parameter from LibTorch's global generator (torch::manual_seed first
  // for a reproducible model). `config` must have passed ValidateConfig. `num_groups` > 0
  // adds one learned prototype per stamp group (training only, never exported).
  explicit TowersImpl(const ModelConfig& config, int num_groups = 0);

  // ids: int64 [batch, context_length] (0 = padding). Returns [batch, dim], unit rows.
  torch::Tensor EncodeText(const torch::Tensor& ids) const;
  // x: float [batch, 3, image_size, image_size], as core/model prepares it.
  torch::Tensor EncodeImage(const torch::Tensor& x) const;
  // x: float [batch, n_mels, frames] log-mel, as core/model prepares it.
  torch::Tensor EncodeAudio(const torch::Tensor& x) const;
  // The embedding of EncodeAudio and the unit fingerprint [batch, fingerprint_dim] of the
  // same forward pass.
  std::pair<torch::Tensor, torch::Tensor> EncodeAudioAndFingerprint(const torch::Tensor& x) const;

  // exp(log_scale), the inverse temperature of the contrastive loss.
  torch::Tensor LogitScale() const { return log_scale_.exp(); }
  // Keeps the inverse temperature within [1, 100] (called after each optimiser step).
  void ClampLogitScale();

  // The unit group prototypes [num_groups, dim]; undefined when there are none.
  torch::Tensor Prototypes() const;
  int num_groups() const { return num_groups_; }

  const ModelConfig& config() const { return config_; }
  NamedTensors TowerParameters(absl::string_view tower) const;  // "text", "image", "audio"

 private:
  torch::Tensor AudioFeatures(const torch::Tensor& x) const;  // pooled, layer-normed
  torch::Tensor Param(const std::string& name, torch::Tensor init);
  const torch::Tensor& Get(const std::string& name) const;

  ModelConfig config_;
  int num_groups_ = 0;
  torch::Tensor prototypes_;
  std::vector<std::pair<std::string, torch::Tensor>> params_;  // in registration order
  torch::Tensor log_scale_;
};
TORCH_MODULE(Towers);

// `x` [n, d] with each row scaled to unit L2 norm (rows of norm below 1e-6 are divided by
// 1e-6), as every encoder's output is.
torch::Tensor NormalizeRows(const torch::Tensor& x);

// The width of the pooled features that the projection of each CNN tower reads.
int ImageFeatureWidth(const ModelConfig& config);
int AudioFeatureWidth(const ModelConfig& config);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_TOWERS_H_
