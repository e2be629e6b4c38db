// The CLIP towers as LibTorch tensor operations. No LibTorch exception leaves this file.
#include "core/model/clip/clip_encoder.h"

#include <glog/logging.h>
#include <malloc.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"

namespace xmodal::model::clip {
namespace {

std::string LibTorchMessage(const std::exception& e) {
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

struct Block {
  at::Tensor ln1_w, ln1_b, in_w, in_b, out_w, out_b, ln2_w, ln2_b, fc_w, fc_b, proj_w, proj_b;
};

struct Tower {
  int64_t width = 0;
  int64_t heads = 0;
  std::vector<Block> blocks;
};

}  // namespace

struct ClipEncoder::Impl {
  ClipShape shape;
  bool quick_gelu = true;
  at::ScalarType dtype = at::kFloat;  // of every weight and activation (architecture.compute)
  // Image tower.
  Tower vision;
  at::Tensor conv_w, class_emb, vision_pos, ln_pre_w, ln_pre_b, ln_post_w, ln_post_b, vision_proj;
  // Text tower.
  Tower text;
  at::Tensor token_emb, text_pos, ln_final_w, ln_final_b, text_proj, causal_mask;
  float logit_scale = 1.0f;

  at::Tensor Mlp(const Block& b, const at::Tensor& x) const {
    at::Tensor h = at::linear(x, b.fc_w, b.fc_b);
    h = quick_gelu ? h * at::sigmoid(h * 1.702) : at::gelu(h);
    return at::linear(h, b.proj_w, b.proj_b);
  }

  // Multi-head self-attention over x [batch, length, width]; `mask` [length, length] or none.
  static at::Tensor Attention(const Tower& t, const Block& b, const at::Tensor& x,
                              const at::Tensor& mask) {
    const int64_t n = x.size(0);
    const int64_t len = x.size(1);
    const int64_t head_dim = t.width / t.heads;
    at::Tensor qkv = at::linear(x, b.in_w, b.in_b).view({n, len, 3, t.heads, head_dim});
    qkv = qkv.permute({2, 0, 3, 1, 4});  // [3, batch, heads, length, head_dim]
    const at::Tensor q = qkv[0] * (1.0 / std::sqrt(static_cast<double>(head_dim)));
    at::Tensor scores = at::matmul(q, qkv[1].transpose(-2, -1));
    if (mask.defined()) scores = scores + mask;
    const at::Tensor out = at::matmul(at::softmax(scores, -1), qkv[2]);
    return at::linear(out.transpose(1, 2).reshape({n, len, t.width}), b.out_w, b.out_b);
  }

  at::Tensor Run(const Tower& t, at::Tensor x, const at::Tensor& mask) const {
    const std::vector<int64_t> norm = {t.width};
    for (const Block& b : t.blocks) {
      x = x + Attention(t, b, at::layer_norm(x, norm, b.ln1_w, b.ln1_b, 1e-5), mask);
      x = x + Mlp(b, at::layer_norm(x, norm, b.ln2_w, b.ln2_b, 1e-5));
    }
    return x;
  }

  at::Tensor EncodeImages(const at::Tensor& images) const {
    const int64_t n = images.size(0);
    const int64_t patch = shape.architecture.patch_size;
    at::Tensor x = at::conv2d(images, conv_w, {}, {patch, patch});  // [n, width, grid, grid]
    x = x.flatten(2).transpose(1, 2);                               // [n, grid^2, width]
    x = at::cat({class_emb.view({1, 1, vision.width}).expand({n, 1, vision.width}), x}, 1);
    x = x + vision_pos;
    const std::vector<int64_t> norm = {vision.width};
    x = at::layer_norm(x, norm, ln_pre_w, ln_pre_b, 1e-5);
    x = Run(vision, x, at::Tensor());
    x = at::layer_norm(x.select(1, 0), norm, ln_post_w, ln_post_b, 1e-5);
    return at::matmul(x, vision_proj).to(at::kFloat);
  }

  at::Tensor EncodeTexts(const at::Tensor& ids) const {
    const at::Tensor end = ids.argmax(-1);  // the end token has the largest id
    const int64_t len = end.max().item<int64_t>() + 1;
    const at::Tensor used = ids.narrow(1, 0, len);
    at::Tensor x = at::embedding(token_emb, used) + text_pos.narrow(0, 0, len);
    x = Run(text, x, causal_mask.narrow(0, 0, len).narrow(1, 0, len));
    x = at::layer_norm(x, {text.width}, ln_final_w, ln_final_b, 1e-5);
    x = x.index({at::arange(ids.size(0)), end});
    return at::matmul(x, text_proj).to(at::kFloat);
  }
};

namespace {

// Moves `name` out of `t` into a LibTorch tensor of `dtype` (the host copy is freed at once).
at::Tensor Take(TensorMap& t, const std::string& name, at::ScalarType dtype) {
  auto node = t.extract(name);
  CHECK(!node.empty()) << "tensor '" << name << "' was checked to exist";
  HostTensor& h = node.mapped();
  at::Tensor out = torch::empty(h.shape, at::kFloat);
  if (!h.values.empty()) std::memcpy(out.data_ptr<float>(), h.values.data(), h.values.size() * 4);
  return dtype == at::kFloat ? out : out.to(dtype);
}

Tower TakeTower(TensorMap& t, const std::string& prefix, const ArchitectureSpec::Tower& spec,
                at::ScalarType dtype) {
  const auto take = [&](const std::string& name) { return Take(t, name, dtype); };
  Tower tower;
  tower.width = spec.width;
  tower.heads = spec.heads;
  for (int i = 0; i < spec.layers; ++i) {
    const std::string b = absl::StrCat(prefix, "resblocks.", i, ".");
    tower.blocks.push_back({take(b + "ln_1.weight"), take(b + "ln_1.bias"),
                            take(b + "attn.in_proj_weight"), take(b + "attn.in_proj_bias"),
                            take(b + "attn.out_proj.weight"), take(b + "attn.out_proj.bias"),
                            take(b + "ln_2.weight"), take(b + "ln_2.bias"),
                            take(b + "mlp.c_fc.weight"), take(b + "mlp.c_fc.bias"),
                            take(b + "mlp.c_proj.weight"), take(b + "mlp.c_proj.bias")});
  }
  return tower;
}

}  // namespace

ClipEncoder::ClipEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClipEncoder::~ClipEncoder() = default;

absl::StatusOr<std::unique_ptr<ClipEncoder>> ClipEncoder::Create(const ClipShape& shape,
                                                                 const std::string& activation,
                                                                 TensorMap tensors) {
  XM_RETURN_IF_ERROR(CheckTensors(tensors, shape));
  if (activation != "quick_gelu" && activation != "gelu") {
    return absl::InvalidArgumentError(
        absl::StrCat("activation must be \"quick_gelu\" or \"gelu\", got \"", activation, "\""));
  }
  const std::string& compute = shape.architecture.compute;
  if (compute != "float32" && compute != "bfloat16") {
    return absl::InvalidArgumentError(
        absl::StrCat("compute must be \"float32\" or \"bfloat16\", got \"", compute, "\""));
  }
  auto impl = std::make_unique<Impl>();
  impl->shape = shape;
  impl->quick_gelu = activation == "quick_gelu";
  impl->dtype = compute == "bfloat16" ? at::kBFloat16 : at::kFloat;
  if (impl->dtype == at::kBFloat16 && !__builtin_cpu_supports("avx512bf16")) {
    LOG(WARNING) << "CLIP compute \"bfloat16\" without AVX512-BF16 on this CPU: expect it to be "
                    "slower than \"float32\"";
  }
  try {
    Impl& m = *impl;
    const at::ScalarType dt = m.dtype;
    const auto take = [&](const std::string& name) { return Take(tensors, name, dt); };
    m.conv_w = take("visual.conv1.weight");
    m.class_emb = take("visual.class_embedding");
    m.vision_pos = take("visual.positional_embedding");
    m.ln_pre_w = take("visual.ln_pre.weight");
    m.ln_pre_b = take("visual.ln_pre.bias");
    m.vision = TakeTower(tensors, "visual.transformer.", shape.architecture.vision, dt);
    m.ln_post_w = take("visual.ln_post.weight");
    m.ln_post_b = take("visual.ln_post.bias");
    m.vision_proj = take("visual.proj");
    m.token_emb = take("token_embedding.weight");
    m.text_pos = take("positional_embedding");
    m.text = TakeTower(tensors, "transformer.", shape.architecture.text, dt);
    m.ln_final_w = take("ln_final.weight");
    m.ln_final_b = take("ln_final.bias");
    m.text_proj = take("text_projection");
    m.logit_scale = std::exp(Take(tensors, "logit_scale", at::kFloat).item<float>());
    const int64_t ctx = shape.architecture.context_length;
    m.causal_mask = torch::full({ctx, ctx}, -std::numeric_limits<float>::infinity()).triu(1).to(dt);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("cannot build the CLIP towers: ", LibTorchMessage(e)));
  }
  return std::unique_ptr<ClipEncoder>(new ClipEncoder(std::move(impl)));
}

absl::StatusOr<std::unique_ptr<ClipEncoder>> ClipEncoder::Load(const std::string& package_dir,
                                                               const ModelManifest& manifest) {
  CHECK(manifest.architecture.has_value()) << "ClipEncoder::Load needs an architecture";
  const ArchitectureSpec& a = *manifest.architecture;
  const std::string path = absl::StrCat(package_dir, "/", a.weights);
  XM_ASSIGN_OR_RETURN(TensorMap tensors, ReadWeightsFile(path));
  ClipShape shape;
  shape.architecture = a;
  shape.embedding_dim = manifest.embedding_dim;
  if (absl::Status s = CheckTensors(tensors, shape); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "weights file '", path, "' does not match model.json's architecture: ", s.message()));
  }
  absl::StatusOr<std::unique_ptr<ClipEncoder>> encoder =
      Create(shape, a.activation, std::move(tensors));
  // The float32 host copy of every weight (600 MB for ViT-B/32) is free now, but glibc keeps
  // freed heap pages; give them back so that the process holds only the towers.
  malloc_trim(0);
  return encoder;
}

absl::StatusOr<FloatMatrix> ClipEncoder::Run(Modality modality,
                                             std::span<const ModelInput* const> inputs) const {
  CHECK(modality != Modality::kAudio) << "CLIP has no audio tower";
  const auto rows = static_cast<int64_t>(inputs.size());
  const ArchitectureSpec& a = impl_->shape.architecture;
  const int64_t dim = impl_->shape.embedding_dim;
  try {
    c10::InferenceMode guard;
    at::Tensor out;
    if (modality == Modality::kText) {
      at::Tensor ids = torch::empty({rows, a.context_length}, at::kLong);
      for (int64_t i = 0; i < rows; ++i) {
        CHECK_EQ(static_cast<int64_t>(inputs[i]->ids.size()), a.context_length);
        std::memcpy(ids.data_ptr<int64_t>() + i * a.context_length, inputs[i]->ids.data(),
                    a.context_length * sizeof(int64_t));
      }
      out = impl_->EncodeTexts(ids);
    } else {
      const int64_t s = a.image_size;
      at::Tensor images = torch::empty({rows, 3, s, s}, at::kFloat);
      for (int64_t i = 0; i < rows; ++i) {
        CHECK_EQ(static_cast<int64_t>(inputs[i]->features.size()), 3 * s * s);
        std::memcpy(images.data_ptr<float>() + i * 3 * s * s, inputs[i]->features.data(),
                    3 * s * s * sizeof(float));
      }
      out = impl_->EncodeImages(images.to(impl_->dtype));
    }
    out = out.contiguous();
    FloatMatrix m(rows, dim);
    std::memcpy(m.data.data(), out.data_ptr<float>(), m.data.size() * sizeof(float));
    for (float v : m.data) {
      if (!std::isfinite(v)) {
        return absl::InternalError(
            absl::StrCat("the CLIP ", ModalityName(modality), " tower returned non-finite values"));
      }
    }
    return m;
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("the CLIP ", ModalityName(modality), " tower failed: ", LibTorchMessage(e)));
  }
}

float ClipEncoder::logit_scale() const { return impl_->logit_scale; }

}  // namespace xmodal::model::clip
