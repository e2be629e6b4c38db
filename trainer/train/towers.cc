#include "trainer/train/towers.h"

#include <glog/logging.h>

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace xmodal::train {
namespace {

constexpr double kEps = 1e-5;

// Kaiming-normal weights for a ReLU layer with `fan_in` inputs.
torch::Tensor Kaiming(std::vector<int64_t> shape, int64_t fan_in) {
  return torch::randn(shape) * std::sqrt(2.0 / static_cast<double>(fan_in));
}

}  // namespace

torch::Tensor NormalizeRows(const torch::Tensor& x) {
  return x / x.norm(2, {1}, true).clamp_min(1e-6);
}

int ImageFeatureWidth(const ModelConfig& c) { return c.image_layers.back().out; }
int AudioFeatureWidth(const ModelConfig& c) { return 2 * c.audio_layers.back().out; }

TowersImpl::TowersImpl(const ModelConfig& config, int num_groups)
    : config_(config), num_groups_(num_groups) {
  torch::NoGradGuard no_grad;
  const ModelConfig& c = config_;
  // Text.
  Param("text_table", torch::randn({c.buckets + 1, c.text_width}) * 0.05);
  Param("text_ln_w", torch::ones({c.text_width}));
  Param("text_ln_b", torch::zeros({c.text_width}));
  Param("text_w1", Kaiming({c.text_hidden, c.text_width}, c.text_width));
  Param("text_b1", torch::zeros({c.text_hidden}));
  Param("text_w2", torch::randn({c.dim, c.text_hidden}) / std::sqrt(c.text_hidden));
  Param("text_b2", torch::zeros({c.dim}));
  // Image.
  int in = 3;
  for (size_t i = 0; i < c.image_layers.size(); ++i) {
    const ConvLayer& l = c.image_layers[i];
    Param(absl::StrCat("image_c", i, "_w"),
          Kaiming({l.out, in, l.kernel, l.kernel}, in * l.kernel * l.kernel));
    Param(absl::StrCat("image_c", i, "_b"), torch::zeros({l.out}));
    if (c.image_groups > 0) {
      Param(absl::StrCat("image_g", i, "_w"), torch::ones({l.out}));
      Param(absl::StrCat("image_g", i, "_b"), torch::zeros({l.out}));
    }
    in = l.out;
  }
  const int iw = ImageFeatureWidth(c);
  Param("image_ln_w", torch::ones({iw}));
  Param("image_ln_b", torch::zeros({iw}));
  Param("image_proj_w", torch::randn({c.dim, iw}) / std::sqrt(iw));
  Param("image_proj_b", torch::zeros({c.dim}));
  // Audio.
  in = c.n_mels;
  for (size_t i = 0; i < c.audio_layers.size(); ++i) {
    const ConvLayer& l = c.audio_layers[i];
    Param(absl::StrCat("audio_c", i, "_w"), Kaiming({l.out, in, l.kernel}, in * l.kernel));
    Param(absl::StrCat("audio_c", i, "_b"), torch::zeros({l.out}));
    if (c.audio_groups > 0) {
      Param(absl::StrCat("audio_g", i, "_w"), torch::ones({l.out}));
      Param(absl::StrCat("audio_g", i, "_b"), torch::zeros({l.out}));
    }
    in = l.out;
  }
  const int aw = AudioFeatureWidth(c);
  Param("audio_ln_w", torch::ones({aw}));
  Param("audio_ln_b", torch::zeros({aw}));
  Param("audio_proj_w", torch::randn({c.dim, aw}) / std::sqrt(aw));
  Param("audio_proj_b", torch::zeros({c.dim}));
  Param("audio_fp_w", torch::randn({c.fingerprint_dim, aw}) / std::sqrt(aw));
  Param("audio_fp_b", torch::zeros({c.fingerprint_dim}));
  // Temperature 0.07, as CLIP starts.
  log_scale_ = register_parameter("log_scale", torch::full({}, std::log(1 / 0.07)));
  if (num_groups_ > 0) {
    prototypes_ =
        register_parameter("prototypes", torch::randn({num_groups_, c.dim}) / std::sqrt(c.dim));
  }
}

torch::Tensor TowersImpl::Prototypes() const {
  if (num_groups_ == 0) return {};
  return NormalizeRows(prototypes_);
}

torch::Tensor TowersImpl::Param(const std::string& name, torch::Tensor init) {
  torch::Tensor t = register_parameter(name, init.to(torch::kFloat).contiguous());
  params_.emplace_back(name, t);
  return t;
}

const torch::Tensor& TowersImpl::Get(const std::string& name) const {
  for (const auto& [n, t] : params_) {
    if (n == name) return t;
  }
  LOG(FATAL) << "no tower parameter " << name;
}

NamedTensors TowersImpl::TowerParameters(absl::string_view tower) const {
  NamedTensors out;
  const std::string prefix = absl::StrCat(tower, "_");
  for (const auto& [n, t] : params_) {
    if (absl::StartsWith(n, prefix)) out.emplace_back(n, t);
  }
  return out;
}

void TowersImpl::ClampLogitScale() {
  torch::NoGradGuard no_grad;
  log_scale_.clamp_(0.0, std::log(100.0));
}

torch::Tensor TowersImpl::EncodeText(const torch::Tensor& ids) const {
  const torch::Tensor mask = (ids > 0).to(torch::kFloat);
  const torch::Tensor e =
      Get("text_table").index_select(0, ids.reshape({-1})).reshape({ids.size(0), ids.size(1), -1});
  torch::Tensor h = (e * mask.unsqueeze(2)).sum({1}) / mask.sum({1}, true).clamp_min(1.0);
  h = torch::layer_norm(h, {config_.text_width}, Get("text_ln_w"), Get("text_ln_b"), kEps);
  h = (h.matmul(Get("text_w1").t()) + Get("text_b1")).relu();
  return NormalizeRows(h.matmul(Get("text_w2").t()) + Get("text_b2"));
}

torch::Tensor TowersImpl::EncodeImage(const torch::Tensor& x) const {
  torch::Tensor h = x.to(torch::kFloat);
  for (size_t i = 0; i < config_.image_layers.size(); ++i) {
    const ConvLayer& l = config_.image_layers[i];
    h = torch::conv2d(h, Get(absl::StrCat("image_c", i, "_w")),
                      Get(absl::StrCat("image_c", i, "_b")), {l.stride, l.stride},
                      {l.kernel / 2, l.kernel / 2})
            .relu();
    if (config_.image_groups > 0) {
      h = torch::group_norm(h, config_.image_groups, Get(absl::StrCat("image_g", i, "_w")),
                            Get(absl::StrCat("image_g", i, "_b")), kEps);
    }
  }
  h = h.mean({2, 3});
  h = torch::layer_norm(h, {ImageFeatureWidth(config_)}, Get("image_ln_w"), Get("image_ln_b"),
                        kEps);
  return NormalizeRows(h.matmul(Get("image_proj_w").t()) + Get("image_proj_b"));
}

torch::Tensor TowersImpl::AudioFeatures(const torch::Tensor& x) const {
  torch::Tensor h = (x.to(torch::kFloat) + config_.audio_offset) * config_.audio_scale;
  for (size_t i = 0; i < config_.audio_layers.size(); ++i) {
    const ConvLayer& l = config_.audio_layers[i];
    h = torch::conv1d(h, Get(absl::StrCat("audio_c", i, "_w")),
                      Get(absl::StrCat("audio_c", i, "_b")), {l.stride}, {l.kernel / 2})
            .relu();
    if (config_.audio_groups > 0) {
      h = torch::group_norm(h, config_.audio_groups, Get(absl::StrCat("audio_g", i, "_w")),
                            Get(absl::StrCat("audio_g", i, "_b")), kEps);
    }
  }
  h = torch::cat({h.mean({2}), h.amax({2})}, 1);
  return torch::layer_norm(h, {AudioFeatureWidth(config_)}, Get("audio_ln_w"), Get("audio_ln_b"),
                           kEps);
}

torch::Tensor TowersImpl::EncodeAudio(const torch::Tensor& x) const {
  return EncodeAudioAndFingerprint(x).first;
}

std::pair<torch::Tensor, torch::Tensor> TowersImpl::EncodeAudioAndFingerprint(
    const torch::Tensor& x) const {
  const torch::Tensor h = AudioFeatures(x);
  return {NormalizeRows(h.matmul(Get("audio_proj_w").t()) + Get("audio_proj_b")),
          NormalizeRows(h.matmul(Get("audio_fp_w").t()) + Get("audio_fp_b"))};
}

}  // namespace xmodal::train
