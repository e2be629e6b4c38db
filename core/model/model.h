// A loaded model package: prepares inputs (tokenise, preprocess images, segment audio and
// compute log-mel features) and runs the TorchScript encoders in batches.
#ifndef XMODAL_CORE_MODEL_MODEL_H_
#define XMODAL_CORE_MODEL_MODEL_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/float_matrix.h"
#include "core/base/modality.h"
#include "core/media/audio.h"
#include "core/media/image.h"
#include "core/model/model_manifest.h"

namespace xmodal::model {

// What a collection records so that it is never searched with vectors from another model.
struct ModelPin {
  std::string name;
  std::string version;
  int embedding_dim = 0;
  std::string files_sha256;  // SHA-256 over model.json and every file it names, in name order

  bool operator==(const ModelPin&) const = default;
  std::string ToString() const;  // "name version (dim D, sha256 abcd1234...)"
};

// One encoder input, ready to batch. Text fills `ids`; image and audio fill `features`
// (image: 3 x size x size, CHW; audio: n_mels x frames). Audio segments carry their time span.
struct ModelInput {
  Modality modality = Modality::kText;
  std::vector<int64_t> ids;
  std::vector<float> features;
  double start_seconds = 0.0;
  double end_seconds = 0.0;
};

class Model {
 public:
  virtual ~Model() = default;

  // Loads `package_dir/model.json` and its TorchScript files. NOT_FOUND for a missing
  // directory or file, INVALID_ARGUMENT for a bad manifest or a file that is not TorchScript
  // (or lacks the named method), FAILED_PRECONDITION when a probe forward pass does not give
  // [batch, embedding_dim] float32.
  static absl::StatusOr<std::unique_ptr<Model>> Load(const std::string& package_dir);

  virtual const ModelManifest& manifest() const = 0;
  virtual const ModelPin& pin() const = 0;
  bool Supports(Modality m) const { return manifest().Supports(m); }

  // Input preparation: pure CPU work, thread-safe, no LibTorch. INVALID_ARGUMENT for empty
  // text (after trimming), text longer than TextSpec::max_bytes or not valid UTF-8, an empty
  // image or audio clip; FAILED_PRECONDITION when the model lacks that modality.
  virtual absl::StatusOr<ModelInput> PrepareText(absl::string_view text) const = 0;
  virtual absl::StatusOr<ModelInput> PrepareImage(const media::Image& image) const = 0;
  // Resamples to the model rate and cuts deterministic segments (at least one).
  virtual absl::StatusOr<std::vector<ModelInput>> PrepareAudio(const media::Audio& audio) const = 0;

  // Runs the encoder of `modality` on a batch of prepared inputs of that modality; returns
  // [inputs.size(), embedding_dim] with L2-normalised rows. INVALID_ARGUMENT for an empty
  // batch or mixed modalities, INTERNAL when LibTorch fails (its message included).
  // Thread-safe: concurrent calls are allowed.
  virtual absl::StatusOr<FloatMatrix> Encode(Modality modality,
                                             std::span<const ModelInput* const> inputs) const = 0;
};

// Sets LibTorch's intra-op thread count for the process (one thread budget, DESIGN.md).
void SetEncoderThreads(int threads);

// Computes the pin of a package directory without loading TorchScript (hashes the files).
absl::StatusOr<ModelPin> ComputeModelPin(const std::string& package_dir);

// Reads and validates `package_dir/model.json` without loading any encoder. NOT_FOUND /
// INVALID_ARGUMENT as Model::Load.
absl::StatusOr<ModelManifest> ReadModelManifest(const std::string& package_dir);

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_MODEL_H_
