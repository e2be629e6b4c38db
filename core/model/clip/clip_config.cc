#include "core/model/clip/clip_config.h"

#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/status_macros.h"

namespace xmodal::model::clip {
namespace {

using Shape = std::vector<int64_t>;

absl::Status Missing(absl::string_view name) {
  return absl::InvalidArgumentError(
      absl::StrCat("missing tensor '", name, "' (not a CLIP ViT checkpoint, or a truncated one)"));
}

// The shape of `name`, which must have `rank` dimensions.
absl::StatusOr<Shape> ShapeOf(const TensorMap& t, const std::string& name, size_t rank) {
  auto it = t.find(name);
  if (it == t.end()) return Missing(name);
  if (it->second.shape.size() != rank) {
    return absl::InvalidArgumentError(absl::StrCat("tensor '", name, "' has shape ",
                                                   ShapeString(it->second.shape), ", expected ",
                                                   rank, " dimensions"));
  }
  return it->second.shape;
}

// Blocks "<prefix>resblocks.0." .. "<prefix>resblocks.(n-1)." present without a gap.
int CountLayers(const TensorMap& t, const std::string& prefix) {
  int n = 0;
  while (t.count(absl::StrCat(prefix, "resblocks.", n, ".attn.in_proj_weight")) > 0) ++n;
  return n;
}

absl::StatusOr<int> Heads(int width, int given, absl::string_view tower, absl::string_view flag) {
  if (given > 0) {
    if (width % given != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(tower, " heads (", given, ") must divide its width (", width, ")"));
    }
    return given;
  }
  if (width % 64 != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", tower, " width ", width,
                     " is not a multiple of 64, so its number of attention heads cannot be "
                     "defaulted to width / 64: give it (",
                     flag, ")"));
  }
  return width / 64;
}

absl::StatusOr<int> Positive(int64_t v, absl::string_view name, absl::string_view what) {
  if (v <= 0 || v > (int64_t{1} << 24)) {
    return absl::InvalidArgumentError(
        absl::StrCat("tensor '", name, "' gives ", what, " ", v, ", which is not usable"));
  }
  return static_cast<int>(v);
}

void AddBlocks(const std::string& prefix, int layers, int64_t w,
               std::vector<std::pair<std::string, Shape>>& out) {
  for (int i = 0; i < layers; ++i) {
    const std::string b = absl::StrCat(prefix, "resblocks.", i, ".");
    out.push_back({b + "attn.in_proj_weight", {3 * w, w}});
    out.push_back({b + "attn.in_proj_bias", {3 * w}});
    out.push_back({b + "attn.out_proj.weight", {w, w}});
    out.push_back({b + "attn.out_proj.bias", {w}});
    out.push_back({b + "ln_1.weight", {w}});
    out.push_back({b + "ln_1.bias", {w}});
    out.push_back({b + "mlp.c_fc.weight", {4 * w, w}});
    out.push_back({b + "mlp.c_fc.bias", {4 * w}});
    out.push_back({b + "mlp.c_proj.weight", {w, 4 * w}});
    out.push_back({b + "mlp.c_proj.bias", {w}});
    out.push_back({b + "ln_2.weight", {w}});
    out.push_back({b + "ln_2.bias", {w}});
  }
}

}  // namespace

std::string ShapeString(const std::vector<int64_t>& shape) {
  return absl::StrCat("[", absl::StrJoin(shape, ", "), "]");
}

absl::StatusOr<ClipShape> InferClipShape(const TensorMap& t, int vision_heads, int text_heads) {
  if (t.count("visual.layer1.0.conv1.weight") > 0 || t.count("visual.attnpool.c_proj.weight") > 0) {
    return absl::InvalidArgumentError(
        "this is a CLIP checkpoint with a ResNet image tower (RN50, RN101, ...): only ViT "
        "image towers are supported");
  }
  ClipShape s;
  ArchitectureSpec& a = s.architecture;
  XM_ASSIGN_OR_RETURN(Shape conv, ShapeOf(t, "visual.conv1.weight", 4));
  if (conv[1] != 3 || conv[2] != conv[3]) {
    return absl::InvalidArgumentError(absl::StrCat("tensor 'visual.conv1.weight' has shape ",
                                                   ShapeString(conv),
                                                   ", expected [width, 3, patch, patch]"));
  }
  XM_ASSIGN_OR_RETURN(a.vision.width, Positive(conv[0], "visual.conv1.weight", "a vision width"));
  XM_ASSIGN_OR_RETURN(a.patch_size, Positive(conv[2], "visual.conv1.weight", "a patch size"));
  XM_ASSIGN_OR_RETURN(Shape vpos, ShapeOf(t, "visual.positional_embedding", 2));
  const auto grid = static_cast<int64_t>(std::llround(std::sqrt(std::max<double>(vpos[0] - 1, 0))));
  if (vpos[0] < 2 || grid * grid + 1 != vpos[0]) {
    return absl::InvalidArgumentError(
        absl::StrCat("tensor 'visual.positional_embedding' has ", vpos[0],
                     " positions, expected a square grid of patches plus the class token"));
  }
  XM_ASSIGN_OR_RETURN(
      a.image_size, Positive(grid * a.patch_size, "visual.positional_embedding", "an image size"));
  a.vision.layers = CountLayers(t, "visual.transformer.");
  if (a.vision.layers == 0) return Missing("visual.transformer.resblocks.0.attn.in_proj_weight");
  XM_ASSIGN_OR_RETURN(Shape vproj, ShapeOf(t, "visual.proj", 2));
  XM_ASSIGN_OR_RETURN(s.embedding_dim, Positive(vproj[1], "visual.proj", "an embedding dim"));

  XM_ASSIGN_OR_RETURN(Shape tok, ShapeOf(t, "token_embedding.weight", 2));
  XM_ASSIGN_OR_RETURN(a.vocab_size, Positive(tok[0], "token_embedding.weight", "a vocabulary"));
  XM_ASSIGN_OR_RETURN(a.text.width, Positive(tok[1], "token_embedding.weight", "a text width"));
  XM_ASSIGN_OR_RETURN(Shape tpos, ShapeOf(t, "positional_embedding", 2));
  XM_ASSIGN_OR_RETURN(a.context_length,
                      Positive(tpos[0], "positional_embedding", "a context length"));
  a.text.layers = CountLayers(t, "transformer.");
  if (a.text.layers == 0) return Missing("transformer.resblocks.0.attn.in_proj_weight");

  XM_ASSIGN_OR_RETURN(a.vision.heads,
                      Heads(a.vision.width, vision_heads, "vision", "--vision_heads"));
  XM_ASSIGN_OR_RETURN(a.text.heads, Heads(a.text.width, text_heads, "text", "--text_heads"));
  XM_RETURN_IF_ERROR(CheckTensors(t, s));
  return s;
}

std::vector<std::pair<std::string, Shape>> ExpectedTensors(const ClipShape& s) {
  const ArchitectureSpec& a = s.architecture;
  const int64_t vw = a.vision.width;
  const int64_t tw = a.text.width;
  const int64_t grid = a.image_size / a.patch_size;
  std::vector<std::pair<std::string, Shape>> out = {
      {"visual.conv1.weight", {vw, 3, a.patch_size, a.patch_size}},
      {"visual.class_embedding", {vw}},
      {"visual.positional_embedding", {grid * grid + 1, vw}},
      {"visual.ln_pre.weight", {vw}},
      {"visual.ln_pre.bias", {vw}},
  };
  AddBlocks("visual.transformer.", a.vision.layers, vw, out);
  out.push_back({"visual.ln_post.weight", {vw}});
  out.push_back({"visual.ln_post.bias", {vw}});
  out.push_back({"visual.proj", {vw, s.embedding_dim}});
  out.push_back({"token_embedding.weight", {a.vocab_size, tw}});
  out.push_back({"positional_embedding", {a.context_length, tw}});
  AddBlocks("transformer.", a.text.layers, tw, out);
  out.push_back({"ln_final.weight", {tw}});
  out.push_back({"ln_final.bias", {tw}});
  out.push_back({"text_projection", {tw, s.embedding_dim}});
  out.push_back({"logit_scale", {}});
  return out;
}

absl::Status CheckTensors(const TensorMap& t, const ClipShape& s) {
  for (const auto& [name, shape] : ExpectedTensors(s)) {
    auto it = t.find(name);
    if (it == t.end()) return Missing(name);
    if (it->second.shape != shape) {
      return absl::InvalidArgumentError(
          absl::StrCat("tensor '", name, "' has shape ", ShapeString(it->second.shape),
                       ", expected ", ShapeString(shape),
                       " (the shapes of the other tensors "
                       "imply vision width ",
                       s.architecture.vision.width, ", text width ", s.architecture.text.width,
                       ", embedding dim ", s.embedding_dim, ")"));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> ExtraTensors(const TensorMap& t, const ClipShape& s) {
  std::set<std::string> expected;
  for (const auto& [name, shape] : ExpectedTensors(s)) expected.insert(name);
  std::vector<std::string> extra;
  for (const auto& [name, tensor] : t) {
    if (expected.count(name) == 0) extra.push_back(name);
  }
  return extra;
}

int64_t ParameterCount(const ClipShape& s) {
  int64_t total = 0;
  for (const auto& [name, shape] : ExpectedTensors(s)) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    total += n;
  }
  return total;
}

}  // namespace xmodal::model::clip
