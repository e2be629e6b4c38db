// Model::Load and the model implementation: input preparation (no LibTorch here) and batch
// validation in front of the encoders: TorchScript files (torch_encoder.cc) and a native
// architecture (clip/clip_encoder.cc) for the modalities that name no file.
#include "core/model/model.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/base/text.h"
#include "core/base/utf8.h"
#include "core/model/audio_preprocess.h"
#include "core/model/clip/bpe_tokenizer.h"
#include "core/model/clip/clip_encoder.h"
#include "core/model/encoder_backend.h"
#include "core/model/image_preprocess.h"
#include "core/model/log_mel.h"
#include "core/model/package.h"
#include "core/model/tokenizer.h"
#include "core/model/torch_encoder.h"

namespace xmodal::model {
namespace {

class ModelImpl final : public Model {
 public:
  ModelImpl(ModelManifest manifest, ModelPin pin, std::unique_ptr<EncoderBackend> torch,
            std::unique_ptr<EncoderBackend> native, std::unique_ptr<clip::BpeTokenizer> bpe)
      : manifest_(std::move(manifest)),
        pin_(std::move(pin)),
        torch_(std::move(torch)),
        native_(std::move(native)),
        bpe_(std::move(bpe)) {
    if (manifest_.audio) mel_.emplace(*manifest_.audio);
  }

  const ModelManifest& manifest() const override { return manifest_; }
  const ModelPin& pin() const override { return pin_; }

  absl::StatusOr<ModelInput> PrepareText(absl::string_view text) const override {
    XM_RETURN_IF_ERROR(CheckSupported(Modality::kText));
    const TextSpec& spec = *manifest_.text;
    if (text.size() > static_cast<size_t>(spec.max_bytes)) {
      return absl::InvalidArgumentError(
          absl::StrCat("text is ", text.size(), " bytes long; the limit is ", spec.max_bytes));
    }
    if (!IsValidUtf8(text)) return absl::InvalidArgumentError("text is not valid UTF-8");
    const std::string normalized = NormalizeWhitespace(text);
    if (normalized.empty()) {
      return absl::InvalidArgumentError("text is empty (or only whitespace)");
    }
    ModelInput input;
    input.modality = Modality::kText;
    if (bpe_ != nullptr) {  // CLIP cleans the text its own way
      XM_ASSIGN_OR_RETURN(
          input.ids, bpe_->Tokenize(text, spec.tokenizer.context_length, spec.tokenizer.truncate));
    } else {
      input.ids = Tokenize(spec.tokenizer, normalized);
    }
    return input;
  }

  absl::StatusOr<ModelInput> PrepareImage(const media::Image& image) const override {
    XM_RETURN_IF_ERROR(CheckSupported(Modality::kImage));
    ModelInput input;
    input.modality = Modality::kImage;
    XM_ASSIGN_OR_RETURN(input.features, PreprocessImage(*manifest_.image, image));
    return input;
  }

  absl::StatusOr<std::vector<ModelInput>> PrepareAudio(const media::Audio& audio) const override {
    XM_RETURN_IF_ERROR(CheckSupported(Modality::kAudio));
    return PreprocessAudio(*manifest_.audio, *mel_, audio);
  }

  absl::StatusOr<FloatMatrix> Encode(Modality modality,
                                     std::span<const ModelInput* const> inputs) const override {
    if (inputs.empty()) return absl::InvalidArgumentError("cannot encode an empty batch");
    XM_RETURN_IF_ERROR(CheckSupported(modality));
    for (size_t i = 0; i < inputs.size(); ++i) {
      XM_RETURN_IF_ERROR(CheckInput(modality, inputs[i], i));
    }
    XM_ASSIGN_OR_RETURN(FloatMatrix out, BackendOf(modality).Run(modality, inputs));
    L2NormalizeRows(out);
    return out;
  }

 private:
  // The architecture encodes the modalities that name no TorchScript file.
  const EncoderBackend& BackendOf(Modality m) const {
    const bool native = (m == Modality::kText && manifest_.text->file.empty()) ||
                        (m == Modality::kImage && manifest_.image->file.empty());
    return native ? *native_ : *torch_;
  }

  absl::Status CheckSupported(Modality m) const {
    if (manifest_.Supports(m)) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("model '", manifest_.name, "' has no ", ModalityName(m), " encoder"));
  }

  // The input must be of `modality` and of the size the manifest implies (ids in range).
  absl::Status CheckInput(Modality modality, const ModelInput* input, size_t i) const {
    if (input == nullptr) return absl::InvalidArgumentError(absl::StrCat("input ", i, " is null"));
    if (input->modality != modality) {
      return absl::InvalidArgumentError(
          absl::StrCat("input ", i, " is ", ModalityName(input->modality), " in a batch of ",
                       ModalityName(modality), " (mixed modalities)"));
    }
    size_t want = 0;
    size_t got = input->features.size();
    if (modality == Modality::kText) {
      want = manifest_.text->tokenizer.context_length;
      got = input->ids.size();
      const int64_t max_id = MaxTokenId(manifest_.text->tokenizer);
      for (int64_t id : input->ids) {
        if (id < 0 || id > max_id) {
          return absl::InvalidArgumentError(
              absl::StrCat("input ", i, " has token id ", id, " outside 0..", max_id));
        }
      }
    } else if (modality == Modality::kImage) {
      want = 3 * static_cast<size_t>(manifest_.image->size) * manifest_.image->size;
    } else {
      want = static_cast<size_t>(mel_->n_mels()) * SegmentFrames(*manifest_.audio);
    }
    if (got != want) {
      return absl::InvalidArgumentError(absl::StrCat("input ", i, " has ", got, " ",
                                                     ModalityName(modality),
                                                     " values; the model "
                                                     "takes ",
                                                     want));
    }
    return absl::OkStatus();
  }

  const ModelManifest manifest_;
  const ModelPin pin_;
  const std::unique_ptr<EncoderBackend> torch_;
  const std::unique_ptr<EncoderBackend> native_;   // set when the manifest has an architecture
  const std::unique_ptr<clip::BpeTokenizer> bpe_;  // set for the "clip_bpe" tokenizer
  std::optional<LogMel> mel_;  // set when the model has audio; immutable afterwards
};

}  // namespace

absl::StatusOr<std::unique_ptr<Model>> Model::Load(const std::string& package_dir) {
  XM_ASSIGN_OR_RETURN(Package package, ReadPackage(package_dir));
  XM_ASSIGN_OR_RETURN(ModelPin pin, PinOf(package));
  const ModelManifest& m = package.manifest;
  XM_ASSIGN_OR_RETURN(std::unique_ptr<TorchEncoder> torch, TorchEncoder::Load(package_dir, m));
  std::unique_ptr<EncoderBackend> native;
  if (m.architecture) {
    XM_ASSIGN_OR_RETURN(native, clip::ClipEncoder::Load(package_dir, m));
  }
  std::unique_ptr<clip::BpeTokenizer> bpe;
  if (m.text && m.text->tokenizer.type == "clip_bpe") {
    XM_ASSIGN_OR_RETURN(
        bpe, clip::BpeTokenizer::Load(absl::StrCat(package_dir, "/", m.text->tokenizer.vocab)));
  }
  return std::unique_ptr<Model>(new ModelImpl(std::move(package.manifest), std::move(pin),
                                              std::move(torch), std::move(native), std::move(bpe)));
}

}  // namespace xmodal::model
