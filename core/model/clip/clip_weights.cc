#include "core/model/clip/clip_weights.h"

#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/model/clip/torch_archive.h"
#include "core/model/weights/float16.h"

namespace xmodal::model::clip {
namespace {

using weights::DType;

bool IsFloat(DType d) {
  return d == DType::kF32 || d == DType::kF16 || d == DType::kBF16 || d == DType::kF64;
}

// The first bytes of `path` (fewer for a short file); NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> Head(const std::string& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("weights file '", path, "' does not exist"));
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// Hugging Face names inside one encoder layer -> OpenAI's; q/k/v are handled by the caller.
std::optional<std::string> LayerPart(absl::string_view rest) {
  static constexpr std::pair<absl::string_view, absl::string_view> kParts[] = {
      {"self_attn.out_proj.", "attn.out_proj."},
      {"layer_norm1.", "ln_1."},
      {"layer_norm2.", "ln_2."},
      {"mlp.fc1.", "mlp.c_fc."},
      {"mlp.fc2.", "mlp.c_proj."},
  };
  for (const auto& [from, to] : kParts) {
    if (absl::StartsWith(rest, from)) return absl::StrCat(to, rest.substr(from.size()));
  }
  return std::nullopt;
}

HostTensor Transposed(const HostTensor& t) {
  HostTensor out;
  out.stored = t.stored;
  const int64_t rows = t.shape[0];
  const int64_t cols = t.shape[1];
  out.shape = {cols, rows};
  out.values.resize(t.values.size());
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) out.values[c * rows + r] = t.values[r * cols + c];
  }
  return out;
}

// One Hugging Face layer's q, k, v projections (weight or bias), to be concatenated.
struct QkvParts {
  std::optional<HostTensor> part[3];
};

absl::Status ConcatQkv(const std::string& name, QkvParts& qkv, TensorMap& out) {
  static constexpr absl::string_view kWhich[] = {"q_proj", "k_proj", "v_proj"};
  for (int i = 0; i < 3; ++i) {
    if (!qkv.part[i]) {
      return absl::InvalidArgumentError(
          absl::StrCat("Hugging Face checkpoint lacks the ", kWhich[i], " of '", name, "'"));
    }
    if (qkv.part[i]->shape != qkv.part[0]->shape) {
      return absl::InvalidArgumentError(
          absl::StrCat("the q/k/v projections of '", name, "' have different shapes"));
    }
  }
  HostTensor cat;
  cat.stored = qkv.part[0]->stored;
  cat.shape = qkv.part[0]->shape;
  if (cat.shape.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the q/k/v projections of '", name, "' are scalars"));
  }
  cat.shape[0] *= 3;
  for (auto& p : qkv.part) {
    cat.values.insert(cat.values.end(), p->values.begin(), p->values.end());
    p.reset();
  }
  out[name] = std::move(cat);
  return absl::OkStatus();
}

// "vision_model.encoder.layers.3.mlp.fc1.weight" -> tower "visual.transformer.", layer 3,
// rest "mlp.fc1.weight"; false when `name` is not a layer tensor.
bool SplitLayer(absl::string_view name, std::string& prefix, int& layer, absl::string_view& rest) {
  for (const auto& [hf, openai] :
       {std::pair<absl::string_view, absl::string_view>{"vision_model.encoder.layers.",
                                                        "visual.transformer.resblocks."},
        {"text_model.encoder.layers.", "transformer.resblocks."}}) {
    if (!absl::StartsWith(name, hf)) continue;
    absl::string_view tail = name.substr(hf.size());
    const size_t dot = tail.find('.');
    if (dot == absl::string_view::npos || !absl::SimpleAtoi(tail.substr(0, dot), &layer)) {
      return false;
    }
    prefix = absl::StrCat(openai, layer, ".");
    rest = tail.substr(dot + 1);
    return true;
  }
  return false;
}

absl::Status FromHuggingFace(TensorMap& tensors) {
  static constexpr std::pair<absl::string_view, absl::string_view> kNames[] = {
      {"vision_model.embeddings.class_embedding", "visual.class_embedding"},
      {"vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"},
      {"vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"},
      {"vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"},  // sic: Hugging Face's name
      {"vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"},
      {"vision_model.post_layernorm.weight", "visual.ln_post.weight"},
      {"vision_model.post_layernorm.bias", "visual.ln_post.bias"},
      {"text_model.embeddings.token_embedding.weight", "token_embedding.weight"},
      {"text_model.embeddings.position_embedding.weight", "positional_embedding"},
      {"text_model.final_layer_norm.weight", "ln_final.weight"},
      {"text_model.final_layer_norm.bias", "ln_final.bias"},
  };
  TensorMap out;
  std::map<std::string, QkvParts> qkv;
  for (auto& [name, tensor] : tensors) {
    std::string prefix;
    int layer = 0;
    absl::string_view rest;
    if (SplitLayer(name, prefix, layer, rest)) {
      if (std::optional<std::string> part = LayerPart(rest)) {
        out[prefix + *part] = std::move(tensor);
        continue;
      }
      static constexpr absl::string_view kQkv[] = {"self_attn.q_proj.", "self_attn.k_proj.",
                                                   "self_attn.v_proj."};
      bool moved = false;
      for (int i = 0; i < 3 && !moved; ++i) {
        if (!absl::StartsWith(rest, kQkv[i])) continue;
        const absl::string_view kind = rest.substr(kQkv[i].size());  // "weight" or "bias"
        qkv[absl::StrCat(prefix, "attn.in_proj_", kind)].part[i] = std::move(tensor);
        moved = true;
      }
      if (moved) continue;
    }
    bool renamed = false;
    for (const auto& [from, to] : kNames) {
      if (name == from) {
        out[std::string(to)] = std::move(tensor);
        renamed = true;
      }
    }
    if (renamed) continue;
    if ((name == "visual_projection.weight" || name == "text_projection.weight")) {
      if (tensor.shape.size() != 2) {
        return absl::InvalidArgumentError(
            absl::StrCat("tensor '", name, "' must have 2 dimensions"));
      }
      out[name == "visual_projection.weight" ? "visual.proj" : "text_projection"] =
          Transposed(tensor);
      continue;
    }
    out[name] = std::move(tensor);  // logit_scale, or an extra the checks will ignore
  }
  for (auto& [name, parts] : qkv) XM_RETURN_IF_ERROR(ConcatQkv(name, parts, out));
  tensors = std::move(out);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TensorMap> TensorsFromSafetensors(const weights::SafetensorsFile& file,
                                                 absl::string_view what) {
  TensorMap out;
  for (const auto& [name, view] : file.tensors) {
    if (!IsFloat(view.dtype)) continue;
    HostTensor t;
    t.shape = view.shape;
    t.stored = view.dtype;
    absl::StatusOr<std::vector<float>> values = weights::ToFloat32(name, view);
    if (!values.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", values.status().message()));
    }
    t.values = *std::move(values);
    out.emplace(name, std::move(t));
  }
  return out;
}

absl::StatusOr<TensorMap> ReadWeightsFile(const std::string& path) {
  XM_ASSIGN_OR_RETURN(std::string head, Head(path, 4));
  if (head == absl::string_view("PK\x03\x04", 4)) return ReadTorchArchive(path);
  absl::StatusOr<std::string> bytes = ReadFile(path, kMaxWeightsFileBytes);
  if (!bytes.ok()) return bytes.status();
  XM_ASSIGN_OR_RETURN(weights::SafetensorsFile file, weights::ParseSafetensors(*bytes, path));
  return TensorsFromSafetensors(file, path);
}

absl::Status ToOpenAiNaming(TensorMap& tensors) {
  bool prefixed = false;
  for (const auto& [name, t] : tensors) prefixed = prefixed || absl::StartsWith(name, "module.");
  if (prefixed) {
    TensorMap out;
    for (auto& [name, t] : tensors) {
      out[absl::StartsWith(name, "module.") ? name.substr(7) : name] = std::move(t);
    }
    tensors = std::move(out);
  }
  bool hugging_face = false;
  for (const auto& [name, t] : tensors) {
    hugging_face = hugging_face || absl::StartsWith(name, "vision_model.") ||
                   absl::StartsWith(name, "text_model.");
  }
  return hugging_face ? FromHuggingFace(tensors) : absl::OkStatus();
}

std::string EncodeWeights(const TensorMap& tensors, DType dtype,
                          const std::map<std::string, std::string>& metadata) {
  std::vector<weights::TensorToWrite> out;
  out.reserve(tensors.size());
  for (const auto& [name, t] : tensors) {
    weights::TensorToWrite w{name, dtype, t.shape, {}};
    if (dtype == DType::kF32) {
      w.bytes.resize(t.values.size() * sizeof(float));
      std::memcpy(w.bytes.data(), t.values.data(), w.bytes.size());
    } else {
      w.bytes.resize(t.values.size() * 2);
      for (size_t i = 0; i < t.values.size(); ++i) {
        const uint16_t bits = dtype == DType::kF16 ? weights::FloatToHalf(t.values[i])
                                                   : weights::FloatToBFloat16(t.values[i]);
        std::memcpy(w.bytes.data() + 2 * i, &bits, 2);
      }
    }
    out.push_back(std::move(w));
  }
  return weights::EncodeSafetensors(out, metadata);
}

}  // namespace xmodal::model::clip
