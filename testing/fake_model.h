// A Model without LibTorch for engine tests: a text "0.6,0.8,0" is its own (normalised)
// embedding; an image embeds as its mean R, G, B. Audio is not supported.
#ifndef XMODAL_TESTING_FAKE_MODEL_H_
#define XMODAL_TESTING_FAKE_MODEL_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace xmodal::testing {

class FakeModel : public model::Model {
 public:
  explicit FakeModel(int dim = 3, std::string name = "fake");
  const model::ModelManifest& manifest() const override { return manifest_; }
  const model::ModelPin& pin() const override { return pin_; }
  absl::StatusOr<model::ModelInput> PrepareText(absl::string_view text) const override;
  absl::StatusOr<model::ModelInput> PrepareImage(const media::Image& image) const override;
  absl::StatusOr<std::vector<model::ModelInput>> PrepareAudio(
      const media::Audio& audio) const override;
  absl::StatusOr<FloatMatrix> Encode(
      Modality modality, std::span<const model::ModelInput* const> inputs) const override;

  // Encode calls so far, and the rows they encoded.
  int encode_calls() const { return encode_calls_; }
  int encoded_rows() const { return encoded_rows_; }

 private:
  model::ModelManifest manifest_;
  model::ModelPin pin_;
  mutable std::atomic<int> encode_calls_ = 0;
  mutable std::atomic<int> encoded_rows_ = 0;
};

// "a,b,c" for a vector, the fake model's text form.
std::string VectorText(const std::vector<float>& v);

}  // namespace xmodal::testing

#endif  // XMODAL_TESTING_FAKE_MODEL_H_
