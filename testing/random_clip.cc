#include "testing/random_clip.h"

#include <cmath>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "modeltool/import_clip.h"

namespace xmodal::testing {
namespace {

using model::clip::ClipShape;
using model::clip::HostTensor;
using model::clip::TensorMap;

// SplitMix64: tiny, fast and good enough for weights nobody trains.
struct SplitMix64 {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

// Fills `out` with values of mean 0 and standard deviation `std`: the sum of four uniforms
// (16 bits each, from one 64-bit draw) is close enough to a normal for this purpose.
void FillNormalish(std::vector<float>& out, float std, uint64_t seed) {
  SplitMix64 rng{seed};
  // Each 16-bit uniform has mean 32767.5 and variance (65536^2 - 1) / 12.
  const double mean = 4 * 32767.5;
  const double sd = std::sqrt(4 * (65536.0 * 65536.0 - 1) / 12);
  const auto scale = static_cast<float>(std / sd);
  for (float& v : out) {
    const uint64_t r = rng.Next();
    const double sum = double(r & 0xFFFF) + double((r >> 16) & 0xFFFF) +
                       double((r >> 32) & 0xFFFF) + double(r >> 48);
    v = static_cast<float>(sum - mean) * scale;
  }
}

}  // namespace

ClipShape VitB32Shape() {
  ClipShape s;
  model::ArchitectureSpec& a = s.architecture;
  a.vision = {.width = 768, .layers = 12, .heads = 12};
  a.patch_size = 32;
  a.image_size = 224;
  a.text = {.width = 512, .layers = 12, .heads = 8};
  a.context_length = 77;
  a.vocab_size = 49408;
  s.embedding_dim = 512;
  return s;
}

TensorMap RandomClipWeights(const ClipShape& shape, uint32_t seed) {
  TensorMap tensors;
  for (auto& [name, dims] : model::clip::ExpectedTensors(shape)) {
    HostTensor t;
    int64_t n = 1;
    for (const int64_t d : dims) n *= d;
    t.shape = dims;
    t.stored = model::weights::DType::kF32;
    t.values.resize(static_cast<size_t>(n));
    const bool layer_norm = absl::StrContains(name, "ln_");
    if (name == "logit_scale") {
      t.values.assign(1, std::log(100.0f));
    } else if (layer_norm && absl::EndsWith(name, ".weight")) {
      t.values.assign(t.values.size(), 1.0f);
    } else if (layer_norm) {
      t.values.assign(t.values.size(), 0.0f);
    } else {
      FillNormalish(t.values, 0.02f, Fnv1a(name) ^ (uint64_t{seed} * 0x9E3779B97F4A7C15ull));
    }
    tensors.emplace(name, std::move(t));
  }
  return tensors;
}

absl::Status WriteRandomClipPackage(const std::string& dir, const ClipShape& shape,
                                    const std::string& vocab_path,
                                    const RandomClipPackageOptions& options) {
  XM_ASSIGN_OR_RETURN(const std::string tmp, MakeTempDirectory("xmodal-random-clip-"));
  const std::string weights = tmp + "/" + options.name + ".safetensors";
  absl::Status status = [&]() -> absl::Status {
    {
      const std::string bytes = model::clip::EncodeWeights(
          RandomClipWeights(shape, options.seed),
          options.f16 ? model::weights::DType::kF16 : model::weights::DType::kF32,
          {{"xmodal", "random CLIP weights (testing/random_clip.h)"},
           {"seed", absl::StrCat(options.seed)}});
      XM_RETURN_IF_ERROR(WriteFileAtomically(weights, bytes));
    }
    modeltool::ImportClipOptions o;
    o.weights = weights;
    o.vocab = vocab_path;
    o.out_dir = dir;
    o.name = options.name;
    o.license = "none (random weights, testing/random_clip.h)";
    o.vision_heads = shape.architecture.vision.heads;
    o.text_heads = shape.architecture.text.heads;
    o.activation = "quick_gelu";
    o.compute = shape.architecture.compute;
    o.dtype = options.f16 ? "f16" : "f32";
    return modeltool::ImportClip(o).status();
  }();
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  return status;
}

}  // namespace xmodal::testing
