// The architecture of a CLIP ViT checkpoint, read off its tensor shapes (OpenAI naming,
// clip_weights.h), and the check that a set of tensors is exactly what an architecture needs.
// The number of attention heads is not in the shapes: 0 means width / 64, as OpenAI's and
// OpenCLIP's configurations do. Pure functions, thread-safe, no LibTorch.
#ifndef XMODAL_CORE_MODEL_CLIP_CLIP_CONFIG_H_
#define XMODAL_CORE_MODEL_CLIP_CLIP_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/model/clip/clip_weights.h"
#include "core/model/model_manifest.h"

namespace xmodal::model::clip {

struct ClipShape {
  ArchitectureSpec architecture;  // weights, activation and compute left at their defaults
  int embedding_dim = 0;
};

// Infers widths, layers, patch size, image size, context length, vocabulary and embedding
// dim; `vision_heads` / `text_heads` > 0 override width / 64. INVALID_ARGUMENT naming the
// tensor for a missing or inconsistent tensor (a ResNet image tower is refused by name), and
// for a width that 64 does not divide when no head count is given.
absl::StatusOr<ClipShape> InferClipShape(const TensorMap& tensors, int vision_heads = 0,
                                         int text_heads = 0);

// The name and shape of every tensor the architecture reads (the MLPs are 4 x width wide).
std::vector<std::pair<std::string, std::vector<int64_t>>> ExpectedTensors(const ClipShape& shape);

// Every expected tensor present with its shape; INVALID_ARGUMENT naming the first missing or
// misshapen tensor ("tensor 'visual.proj' has shape [768, 256], expected [768, 512]").
// Extra tensors are allowed (the caller may list them with ExtraTensors).
absl::Status CheckTensors(const TensorMap& tensors, const ClipShape& shape);
std::vector<std::string> ExtraTensors(const TensorMap& tensors, const ClipShape& shape);

// Parameters the architecture holds (the sum of its expected tensors' sizes).
int64_t ParameterCount(const ClipShape& shape);

// "[768, 3, 32, 32]".
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace xmodal::model::clip

#endif  // XMODAL_CORE_MODEL_CLIP_CLIP_CONFIG_H_
