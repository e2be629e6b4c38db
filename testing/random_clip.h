// Test and benchmark support: CLIP ViT models of random weights, full size or not, built in
// memory (for ClipEncoder::Create) or written as a model package through
// `xmodal-model import-clip`'s own code (modeltool::ImportClip), so the package is exactly what
// users get from a real checkpoint. The weights mean nothing: only speed and memory are
// representative, never rankings.
#ifndef XMODAL_TESTING_RANDOM_CLIP_H_
#define XMODAL_TESTING_RANDOM_CLIP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "core/model/clip/clip_config.h"
#include "core/model/clip/clip_weights.h"

namespace xmodal::testing {

// OpenAI's ViT-B/32: image 224 px, patch 32, vision width 768, 12 layers, 12 heads; text
// context 77, vocabulary 49408, width 512, 12 layers, 8 heads; embedding 512; QuickGELU.
// 151,277,313 parameters.
model::clip::ClipShape VitB32Shape();

// Every tensor of ExpectedTensors(shape), deterministic for (shape, seed) (each tensor's values
// depend on its name and the seed only): matrices, embeddings and biases normal-ish (a sum of
// four uniforms) with standard deviation 0.02; layer norms weight 1, bias 0; logit_scale
// log(100). Marked as stored in F32. About 4 bytes per parameter (600 MB for ViT-B/32), a
// second or so per 100M parameters.
model::clip::TensorMap RandomClipWeights(const model::clip::ClipShape& shape, uint32_t seed = 1);

struct RandomClipPackageOptions {
  uint32_t seed = 1;
  std::string name = "random-clip";
  bool f16 = true;  // weights.safetensors in F16 (half the size) or F32
};

// Writes RandomClipWeights(shape, seed) to a temporary safetensors file and imports it into
// `dir` with modeltool::ImportClip (model.json, weights.safetensors, the vocabulary, README.md),
// heads as in `shape`, activation quick_gelu, licence "none (random weights)". `dir` must not
// exist or be empty. The package's compute is shape.architecture.compute. Errors: ImportClip's
// (NOT_FOUND for a missing vocabulary, FAILED_PRECONDITION for a non-empty `dir`), file errors.
// Needs about 3x the F32 size in memory while it runs (about 2 GB for ViT-B/32).
absl::Status WriteRandomClipPackage(const std::string& dir, const model::clip::ClipShape& shape,
                                    const std::string& vocab_path,
                                    const RandomClipPackageOptions& options = {});

}  // namespace xmodal::testing

#endif  // XMODAL_TESTING_RANDOM_CLIP_H_
