#include "modeltool/inspect.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/base/status_macros.h"
#include "core/model/clip/clip_config.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"

namespace xmodal::modeltool {
namespace {

std::string Triple(const std::array<float, 3>& v) {
  return absl::StrFormat("%.8g %.8g %.8g", v[0], v[1], v[2]);
}

std::string ArchitectureLines(const model::ModelManifest& m) {
  if (!m.architecture) return "architecture: TorchScript files (one per modality)\n";
  const model::ArchitectureSpec& a = *m.architecture;
  model::clip::ClipShape shape{a, m.embedding_dim};
  return absl::StrCat(
      "architecture: ", a.type, " (native), weights ", a.weights, ", activation ", a.activation,
      ", compute ", a.compute, "\n  image tower: ", a.image_size, " px, patch ", a.patch_size,
      ", width ", a.vision.width, ", ", a.vision.layers, " layers, ", a.vision.heads,
      " heads\n  text tower: context ", a.context_length, ", vocabulary ", a.vocab_size, ", width ",
      a.text.width, ", ", a.text.layers, " layers, ", a.text.heads,
      " heads\n  parameters: ", model::clip::ParameterCount(shape), "\n");
}

std::string ModalityLines(const model::ModelManifest& m) {
  std::string out;
  if (m.text) {
    const model::TokenizerSpec& t = m.text->tokenizer;
    absl::StrAppend(
        &out, "text: ", m.text->file.empty() ? "" : m.text->file + ", ", "tokenizer ", t.type,
        t.vocab.empty() ? "" : " (" + t.vocab + ")", ", context ", t.context_length, ", at most ",
        m.text->max_bytes, " bytes",
        t.type == "clip_bpe" ? (t.truncate ? ", longer texts cut" : ", longer texts refused") : "",
        "\n");
  }
  if (m.image) {
    const model::ImageSpec& i = m.image.value();
    absl::StrAppend(&out, "image: ", i.file.empty() ? "" : i.file + ", ", i.size, "x", i.size,
                    ", resize ", i.resize, ", crop ", i.crop, ", mean ", Triple(i.mean), ", std ",
                    Triple(i.std), "\n");
  }
  if (m.audio) {
    const model::AudioSpec& a = m.audio.value();
    absl::StrAppend(&out, "audio: ", a.file, ", ", a.sample_rate, " Hz, ", a.n_mels,
                    " mel bands, segments of ", a.segment_seconds, " s every ",
                    a.segment_hop_seconds, " s\n");
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> InspectPackage(const std::string& dir) {
  XM_ASSIGN_OR_RETURN(const model::ModelManifest m, model::ReadModelManifest(dir));
  XM_ASSIGN_OR_RETURN(const model::ModelPin pin, model::ComputeModelPin(dir));
  return absl::StrCat("package: ", dir, "\nmodel: ", m.name, " ", m.version,
                      "\nlicence: ", m.LicenseOrUnknown(), "\nembedding dim: ", m.embedding_dim,
                      "\npin: ", pin.files_sha256, "\n", ArchitectureLines(m), ModalityLines(m));
}

}  // namespace xmodal::modeltool
