// Internal to the model module: the TorchScript encoders of one package. This header is free
// of LibTorch; torch_encoder.cc is the only translation unit of the module that includes it.
#ifndef XMODAL_CORE_MODEL_TORCH_ENCODER_H_
#define XMODAL_CORE_MODEL_TORCH_ENCODER_H_

#include <memory>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "core/base/float_matrix.h"
#include "core/base/modality.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"

namespace xmodal::model {

class TorchEncoder {
 public:
  // Loads each modality's file of `manifest` from `package_dir` (a file named by several
  // modalities is loaded once), checks the named method exists and probes it with a batch of
  // one zero input. NOT_FOUND for a missing file, INVALID_ARGUMENT for a file that is not
  // TorchScript or lacks the method, FAILED_PRECONDITION when the probe fails or does not
  // return float32 [1, embedding_dim].
  static absl::StatusOr<std::unique_ptr<TorchEncoder>> Load(const std::string& package_dir,
                                                            const ModelManifest& manifest);
  ~TorchEncoder();
  TorchEncoder(const TorchEncoder&) = delete;
  TorchEncoder& operator=(const TorchEncoder&) = delete;

  // Runs the encoder of `modality` on `inputs`, which the caller has checked: non-empty, all
  // of `modality`, each of the size the manifest implies (text: context_length ids; image:
  // 3 * size * size; audio: n_mels * SegmentFrames). Returns the raw [batch, dim] output.
  // INTERNAL with LibTorch's message when the forward pass fails or gives a wrong shape or
  // non-finite values. Thread-safe.
  absl::StatusOr<FloatMatrix> Run(Modality modality,
                                  std::span<const ModelInput* const> inputs) const;

 private:
  struct Impl;
  explicit TorchEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_TORCH_ENCODER_H_
