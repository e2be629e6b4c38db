// Internal to the model module: what runs a modality's encoder on a checked batch. Two kinds
// implement it: TorchScript files (torch_encoder.h) and native architectures built from a
// weights file (clip/clip_encoder.h). Headers of implementations stay free of LibTorch.
#ifndef XMODAL_CORE_MODEL_ENCODER_BACKEND_H_
#define XMODAL_CORE_MODEL_ENCODER_BACKEND_H_

#include <span>

#include "absl/status/statusor.h"
#include "core/base/float_matrix.h"
#include "core/base/modality.h"
#include "core/model/model.h"

namespace xmodal::model {

class EncoderBackend {
 public:
  virtual ~EncoderBackend() = default;

  // Runs the encoder of `modality` on `inputs`, which the caller has checked: non-empty, all
  // of `modality`, each of the size the manifest implies (text: context_length ids in range;
  // image: 3 * size * size; audio: n_mels * SegmentFrames). Returns the raw [batch, dim]
  // output (not yet L2-normalised). INTERNAL with the library's message when the forward pass
  // fails or gives a wrong shape or non-finite values. Thread-safe.
  virtual absl::StatusOr<FloatMatrix> Run(Modality modality,
                                          std::span<const ModelInput* const> inputs) const = 0;
};

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_ENCODER_BACKEND_H_
