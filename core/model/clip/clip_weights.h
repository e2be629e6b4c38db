// CLIP weights in memory, whatever file they came from, under OpenAI's state_dict names
// ("visual.conv1.weight", "transformer.resblocks.0.attn.in_proj_weight", "text_projection",
// ...), which OpenCLIP's open_clip_model.safetensors also uses. Weight files are untrusted.
// Thread-safe (no shared state).
#ifndef XMODAL_CORE_MODEL_CLIP_CLIP_WEIGHTS_H_
#define XMODAL_CORE_MODEL_CLIP_CLIP_WEIGHTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/weights/safetensors.h"

namespace xmodal::model::clip {

// One tensor as float32 values, with the element type it was stored in.
struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;  // product(shape) values, row-major
  weights::DType stored = weights::DType::kF32;
};
using TensorMap = std::map<std::string, HostTensor>;

// Weight files are at most this large (ViT-bigG/14 in F32 is about 10 GB).
inline constexpr int64_t kMaxWeightsFileBytes = int64_t{16} << 30;

// Reads a weights file by its content: safetensors (any name), or a LibTorch zip archive
// (OpenAI's released TorchScript .pt files, or a torch.save state_dict; torch_archive.h).
// Integer tensors (Hugging Face's position_ids) are skipped; every float tensor becomes
// float32. NOT_FOUND for a missing file; INVALID_ARGUMENT naming the file and the tensor for
// a malformed file (safetensors.h lists the checks), RESOURCE_EXHAUSTED above
// kMaxWeightsFileBytes.
absl::StatusOr<TensorMap> ReadWeightsFile(const std::string& path);

// The float tensors of a parsed safetensors file, converted to float32.
absl::StatusOr<TensorMap> TensorsFromSafetensors(const weights::SafetensorsFile& file,
                                                 absl::string_view what);

// Renames tensors to OpenAI's names, in place: a "module." prefix (DataParallel checkpoints)
// is dropped, and Hugging Face CLIPModel names ("vision_model.encoder.layers.0.self_attn.q_proj
// .weight", "text_model.final_layer_norm.weight", "visual_projection.weight", ...) are mapped,
// q/k/v projections concatenated into in_proj_* and the two projections transposed. Tensors
// already in OpenAI naming are left alone. INVALID_ARGUMENT naming the tensor when a
// Hugging Face layer lacks one of q/k/v or their shapes disagree.
absl::Status ToOpenAiNaming(TensorMap& tensors);

// The tensors as safetensors, stored as `dtype` (kF32, kF16 or kBF16), in name order.
std::string EncodeWeights(const TensorMap& tensors, weights::DType dtype,
                          const std::map<std::string, std::string>& metadata);

}  // namespace xmodal::model::clip

#endif  // XMODAL_CORE_MODEL_CLIP_CLIP_WEIGHTS_H_
