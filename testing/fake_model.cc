#include "testing/fake_model.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace xmodal::testing {

FakeModel::FakeModel(int dim, std::string name) {
  manifest_.name = name;
  manifest_.version = "1";
  manifest_.embedding_dim = dim;
  manifest_.text = model::TextSpec{.file = "none"};
  manifest_.image = model::ImageSpec{.file = "none"};
  pin_ = model::ModelPin{name, "1", dim, "fakehash-" + name};
}

absl::StatusOr<model::ModelInput> FakeModel::PrepareText(absl::string_view text) const {
  if (text.empty()) return absl::InvalidArgumentError("text is empty");
  model::ModelInput in{.modality = Modality::kText};
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    float v = 0;
    if (!absl::SimpleAtof(part, &v)) return absl::InvalidArgumentError("not a vector");
    in.features.push_back(v);
  }
  if (static_cast<int>(in.features.size()) != manifest_.embedding_dim) {
    return absl::InvalidArgumentError("wrong width");
  }
  return in;
}

absl::StatusOr<model::ModelInput> FakeModel::PrepareImage(const media::Image& image) const {
  model::ModelInput in{.modality = Modality::kImage};
  in.features.assign(manifest_.embedding_dim, 0.0f);
  const size_t pixels = static_cast<size_t>(image.width) * image.height;
  for (size_t i = 0; i < pixels; ++i) {
    for (int c = 0; c < 3 && c < manifest_.embedding_dim; ++c) {
      in.features[c] += image.rgb[3 * i + c] / 255.0f / pixels;
    }
  }
  return in;
}

absl::StatusOr<std::vector<model::ModelInput>> FakeModel::PrepareAudio(
    const media::Audio& audio) const {
  return absl::FailedPreconditionError("fake model has no audio encoder");
}

absl::StatusOr<FloatMatrix> FakeModel::Encode(
    Modality modality, std::span<const model::ModelInput* const> inputs) const {
  ++encode_calls_;
  encoded_rows_ += static_cast<int>(inputs.size());
  FloatMatrix out;
  for (const model::ModelInput* in : inputs) out.AppendRow(in->features);
  L2NormalizeRows(out);
  return out;
}

std::string VectorText(const std::vector<float>& v) { return absl::StrJoin(v, ","); }

}  // namespace xmodal::testing
