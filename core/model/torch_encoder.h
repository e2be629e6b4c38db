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
#include "core/model/encoder_backend.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"

namespace xmodal::model {

class TorchEncoder final : public EncoderBackend {
 public:
  // Loads the file of each modality of `manifest` that names one from `package_dir` (a file named
  // by several modalities is loaded once), checks the named method exists and probes it with a
  // batch of one zero input. NOT_FOUND for a missing file, INVALID_ARGUMENT for a file that is not
  // TorchScript or lacks the method, FAILED_PRECONDITION when the probe fails or does not
  // return float32 [1, embedding_dim].
  static absl::StatusOr<std::unique_ptr<TorchEncoder>> Load(const std::string& package_dir,
                                                            const ModelManifest& manifest);
  ~TorchEncoder() override;
  TorchEncoder(const TorchEncoder&) = delete;
  TorchEncoder& operator=(const TorchEncoder&) = delete;

  // EncoderBackend::Run, for a modality that names a file. Thread-safe.
  absl::StatusOr<FloatMatrix> Run(Modality modality,
                                  std::span<const ModelInput* const> inputs) const override;

 private:
  struct Impl;
  explicit TorchEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_TORCH_ENCODER_H_
