// CLIP's two towers on LibTorch, built natively from weights (no TorchScript graph):
//  image: patch embedding (conv, no bias), class token, positional embedding, ln_pre,
//         residual attention blocks, ln_post of the class token, projection;
//  text:  token + positional embedding, causal residual attention blocks, ln_final, the
//         features at the end token (the largest id of the row, as CLIP's argmax), projection.
// Blocks are pre-LayerNorm (eps 1e-5): x + attn(ln_1(x)), then x + mlp(ln_2(x)), the MLP
// c_fc -> QuickGELU (x * sigmoid(1.702 x)) or GELU (erf) -> c_proj. The text tower runs only
// up to the last end token of the batch: with a causal mask nothing after it changes the
// result. Outputs are raw float32 (Model::Encode L2-normalises them). Weights and activations
// are float32, or bfloat16 when the architecture's `compute` says so.
// This header is free of LibTorch. Thread-safe after construction.
#ifndef XMODAL_CORE_MODEL_CLIP_CLIP_ENCODER_H_
#define XMODAL_CORE_MODEL_CLIP_CLIP_ENCODER_H_

#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "core/model/clip/clip_config.h"
#include "core/model/clip/clip_weights.h"
#include "core/model/encoder_backend.h"
#include "core/model/model_manifest.h"

namespace xmodal::model::clip {

class ClipEncoder final : public EncoderBackend {
 public:
  // From tensors that CheckTensors accepted for `shape` (they are moved in; extras dropped).
  // `activation` is "quick_gelu" or "gelu"; shape.architecture.compute "float32" or "bfloat16".
  // INVALID_ARGUMENT for other values, or when CheckTensors fails.
  static absl::StatusOr<std::unique_ptr<ClipEncoder>> Create(const ClipShape& shape,
                                                             const std::string& activation,
                                                             TensorMap tensors);
  // Reads `package_dir/<architecture.weights>` and checks it against the manifest's
  // architecture and embedding_dim: NOT_FOUND for a missing file, INVALID_ARGUMENT for a bad
  // file or weights whose shapes contradict model.json.
  static absl::StatusOr<std::unique_ptr<ClipEncoder>> Load(const std::string& package_dir,
                                                           const ModelManifest& manifest);
  ~ClipEncoder() override;
  ClipEncoder(const ClipEncoder&) = delete;
  ClipEncoder& operator=(const ClipEncoder&) = delete;

  // EncoderBackend::Run for text (context_length ids per input) and image (3 x size x size
  // normalised values, CHW). Audio is not CLIP's: CHECK-fails (the model routes it elsewhere).
  absl::StatusOr<FloatMatrix> Run(Modality modality,
                                  std::span<const ModelInput* const> inputs) const override;

  // exp(logit_scale), CLIP's temperature for logits = scale * cosine.
  float logit_scale() const;

 private:
  struct Impl;
  explicit ClipEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xmodal::model::clip

#endif  // XMODAL_CORE_MODEL_CLIP_CLIP_ENCODER_H_
