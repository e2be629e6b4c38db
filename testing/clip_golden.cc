#include "testing/clip_golden.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/base/status_macros.h"

namespace xmodal::testing {
namespace {

using model::clip::HostTensor;
using model::clip::TensorMap;

HostTensor Transposed(const HostTensor& t) {
  HostTensor out{{t.shape[1], t.shape[0]}, std::vector<float>(t.values.size()), t.stored};
  for (int64_t r = 0; r < t.shape[0]; ++r) {
    for (int64_t c = 0; c < t.shape[1]; ++c) {
      out.values[c * t.shape[0] + r] = t.values[r * t.shape[1] + c];
    }
  }
  return out;
}

// Rows [part * n, (part + 1) * n) of a [3n, ...] tensor.
HostTensor Third(const HostTensor& t, int part) {
  HostTensor out = t;
  out.shape[0] /= 3;
  const size_t size = t.values.size() / 3;
  out.values.assign(t.values.begin() + part * size, t.values.begin() + (part + 1) * size);
  return out;
}

std::string LayerName(std::string name) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"visual.transformer.resblocks.", "vision_model.encoder.layers."},
           {"transformer.resblocks.", "text_model.encoder.layers."}}) {
    if (absl::StartsWith(name, from)) {
      name = to + name.substr(from.size());
      return absl::StrReplaceAll(name, {{".attn.out_proj.", ".self_attn.out_proj."},
                                        {".ln_1.", ".layer_norm1."},
                                        {".ln_2.", ".layer_norm2."},
                                        {".mlp.c_fc.", ".mlp.fc1."},
                                        {".mlp.c_proj.", ".mlp.fc2."}});
    }
  }
  return name;
}

}  // namespace

absl::StatusOr<GoldenClip> LoadGoldenClip(const std::string& dir) {
  GoldenClip g;
  g.dir = dir;
  XM_ASSIGN_OR_RETURN(
      g.weights, model::clip::ReadWeightsFile(absl::StrCat(dir, "/tiny_vit_clip.safetensors")));
  XM_ASSIGN_OR_RETURN(
      g.io, model::clip::ReadWeightsFile(absl::StrCat(dir, "/tiny_vit_clip_io.safetensors")));
  g.texts = {"a photo of a cat", "a diagram", "고양이 사진"};
  return g;
}

TensorMap ToHuggingFaceNaming(const TensorMap& openai) {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"visual.class_embedding", "vision_model.embeddings.class_embedding"},
      {"visual.conv1.weight", "vision_model.embeddings.patch_embedding.weight"},
      {"visual.positional_embedding", "vision_model.embeddings.position_embedding.weight"},
      {"visual.ln_pre.weight", "vision_model.pre_layrnorm.weight"},
      {"visual.ln_pre.bias", "vision_model.pre_layrnorm.bias"},
      {"visual.ln_post.weight", "vision_model.post_layernorm.weight"},
      {"visual.ln_post.bias", "vision_model.post_layernorm.bias"},
      {"token_embedding.weight", "text_model.embeddings.token_embedding.weight"},
      {"positional_embedding", "text_model.embeddings.position_embedding.weight"},
      {"ln_final.weight", "text_model.final_layer_norm.weight"},
      {"ln_final.bias", "text_model.final_layer_norm.bias"},
  };
  TensorMap hf;
  for (const auto& [name, t] : openai) {
    bool done = false;
    for (const auto& [from, to] : kNames) {
      if (name == from) {
        hf[to] = t;
        done = true;
      }
    }
    if (done) continue;
    if (name == "visual.proj") {
      hf["visual_projection.weight"] = Transposed(t);
    } else if (name == "text_projection") {
      hf["text_projection.weight"] = Transposed(t);
    } else if (absl::EndsWith(name, ".attn.in_proj_weight") ||
               absl::EndsWith(name, ".attn.in_proj_bias")) {
      const bool weight = absl::EndsWith(name, "weight");
      const std::string layer = LayerName(name.substr(0, name.find(".attn.") + 1));
      const char* kParts[] = {"q_proj", "k_proj", "v_proj"};
      for (int i = 0; i < 3; ++i) {
        hf[absl::StrCat(layer, "self_attn.", kParts[i], weight ? ".weight" : ".bias")] =
            Third(t, i);
      }
    } else {
      hf[LayerName(name)] = t;
    }
  }
  return hf;
}

}  // namespace xmodal::testing
