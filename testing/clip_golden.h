// The tiny CLIP of ../shared/golden/clip (testing/golden.h) for tests and benchmarks: its
// weights, the reference inputs and outputs, and the same weights renamed to Hugging Face's
// CLIPModel naming (the inverse of clip::ToOpenAiNaming, for that naming's tests).
#ifndef XMODAL_TESTING_CLIP_GOLDEN_H_
#define XMODAL_TESTING_CLIP_GOLDEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/model/clip/clip_weights.h"

namespace xmodal::testing {

// From the golden manifest.json: the tiny model's head counts (not readable from shapes).
inline constexpr int kGoldenVisionHeads = 1;
inline constexpr int kGoldenTextHeads = 2;

struct GoldenClip {
  std::string dir;
  model::clip::TensorMap weights;  // tiny_vit_clip.safetensors
  // tiny_vit_clip_io.safetensors: images [3,3,32,32] (normalised), text_ids [3,77],
  // image_embeddings and text_embeddings [3,32] (not normalised), logits_per_image [3,3].
  model::clip::TensorMap io;
  // The texts whose ids are text_ids (the reference tokenizer's output for them).
  std::vector<std::string> texts;
};

// Reads the golden folder `dir` (GoldenDir("clip")).
absl::StatusOr<GoldenClip> LoadGoldenClip(const std::string& dir);

// The weights (OpenAI naming) under Hugging Face CLIPModel names: q/k/v split, projections
// transposed, "vision_model.pre_layrnorm" and the rest.
model::clip::TensorMap ToHuggingFaceNaming(const model::clip::TensorMap& openai);

}  // namespace xmodal::testing

#endif  // XMODAL_TESTING_CLIP_GOLDEN_H_
