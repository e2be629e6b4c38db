#include "modeltool/import_clip.h"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/file_util.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"
#include "core/model/clip/bpe_tokenizer.h"
#include "core/model/clip/clip_config.h"
#include "core/model/clip/clip_weights.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"

namespace xmodal::modeltool {
namespace {

namespace fs = std::filesystem;
using model::clip::ClipShape;
using model::weights::DType;

constexpr char kWeightsFile[] = "weights.safetensors";
constexpr char kDefaultVocabName[] = "bpe_simple_vocab_16e6.txt.gz";

absl::StatusOr<DType> StoredType(const std::string& dtype, const model::clip::TensorMap& t) {
  if (dtype == "f32") return DType::kF32;
  if (dtype == "f16") return DType::kF16;
  if (dtype == "bf16") return DType::kBF16;
  if (dtype != "auto") {
    return absl::InvalidArgumentError(
        absl::StrCat("--dtype must be auto, f32, f16 or bf16, got \"", dtype, "\""));
  }
  // The type most parameters came in (by count), so that a half checkpoint stays half.
  std::map<DType, int64_t> count;
  for (const auto& [name, tensor] : t) count[tensor.stored] += tensor.values.size();
  if (count[DType::kF16] > count[DType::kF32] && count[DType::kF16] >= count[DType::kBF16]) {
    return DType::kF16;
  }
  if (count[DType::kBF16] > count[DType::kF32]) return DType::kBF16;
  return DType::kF32;
}

model::ModelManifest MakeManifest(const ImportClipOptions& o, const ClipShape& shape,
                                  const std::string& vocab_name) {
  model::ModelManifest m;
  m.name = o.name.empty() ? fs::path(o.weights).stem().string() : o.name;
  m.version = o.version;
  m.license = o.license;
  m.embedding_dim = shape.embedding_dim;
  m.architecture = shape.architecture;
  m.architecture->weights = kWeightsFile;
  m.architecture->activation = o.activation;
  m.architecture->compute = o.compute;
  model::TextSpec text;
  text.max_bytes = o.max_bytes;
  text.tokenizer.type = "clip_bpe";
  text.tokenizer.vocab = vocab_name;
  text.tokenizer.context_length = shape.architecture.context_length;
  text.tokenizer.truncate = o.truncate;
  m.text = text;
  model::ImageSpec image;
  image.size = shape.architecture.image_size;
  image.resize = "bicubic_shorter_side";
  image.crop = "center";
  image.mean = {0.48145466f, 0.4578275f, 0.40821073f};  // CLIP's normalisation
  image.std = {0.26862954f, 0.26130258f, 0.27577711f};
  m.image = image;
  return m;
}

std::string Summary(const model::ModelManifest& m, const ClipShape& s) {
  const model::ArchitectureSpec& a = *m.architecture;
  return absl::StrCat(
      "CLIP ViT: image ", a.image_size, " px, patch ", a.patch_size, ", width ", a.vision.width,
      ", ", a.vision.layers, " layers, ", a.vision.heads, " heads; text context ", a.context_length,
      ", vocabulary ", a.vocab_size, ", width ", a.text.width, ", ", a.text.layers, " layers, ",
      a.text.heads, " heads; embedding dim ", s.embedding_dim, "; ", model::clip::ParameterCount(s),
      " parameters; activation ", a.activation, "; compute ", a.compute);
}

std::string ModelCard(const model::ModelManifest& m, const ImportClipOptions& o,
                      const std::string& weights_sha256, const std::string& summary) {
  return absl::StrCat(
      "# ", m.name, " ", m.version, "\n\n", "Imported with `xmodal-model import-clip` from `",
      fs::path(o.weights).filename().string(), "` (SHA-256 ", weights_sha256, ").\n\n",
      "- Architecture: ", summary, ".\n", "- Licence: ", m.LicenseOrUnknown(),
      m.license.empty() ? ". Find the licence of these weights before serving or sharing them."
                        : ", as stated by whoever imported the weights.",
      "\n- Preprocessing: CLIP's (bicubic resize of the shorter side, centre crop, CLIP's mean "
      "and std); CLIP's BPE tokenizer, texts over ",
      m.architecture->context_length, " tokens ",
      o.truncate ? "cut with the end token kept last" : "refused", ".\n\n",
      "This card is a stub. Say where the weights come from, what they were trained on, what they "
      "are for and how well they do on your data (`xmodal-eval`, docs/eval.md), and what they "
      "cannot do.\n");
}

absl::Status CheckOutDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return absl::OkStatus();
  if (!fs::is_directory(dir, ec) || !fs::is_empty(dir, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "output '", dir, "' exists and is not an empty directory; choose a new --out"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImportClipReport> ImportClip(const ImportClipOptions& o) {
  if (o.weights.empty() || o.vocab.empty() || o.out_dir.empty()) {
    return absl::InvalidArgumentError("import-clip needs WEIGHTS, --vocab and --out");
  }
  if (o.activation != "quick_gelu" && o.activation != "gelu") {
    return absl::InvalidArgumentError(
        absl::StrCat("--activation must be quick_gelu or gelu, got \"", o.activation, "\""));
  }
  if (o.compute != "float32" && o.compute != "bfloat16") {
    return absl::InvalidArgumentError(
        absl::StrCat("--compute must be float32 or bfloat16, got \"", o.compute, "\""));
  }
  XM_RETURN_IF_ERROR(CheckOutDir(o.out_dir));
  XM_ASSIGN_OR_RETURN(model::clip::TensorMap tensors, model::clip::ReadWeightsFile(o.weights));
  XM_RETURN_IF_ERROR(model::clip::ToOpenAiNaming(tensors));
  absl::StatusOr<ClipShape> shape =
      model::clip::InferClipShape(tensors, o.vision_heads, o.text_heads);
  if (!shape.ok()) {
    return absl::Status(shape.status().code(),
                        absl::StrCat(o.weights, ": ", shape.status().message()));
  }
  XM_ASSIGN_OR_RETURN(DType dtype, StoredType(o.dtype, tensors));
  XM_ASSIGN_OR_RETURN(std::string vocab_bytes, ReadFile(o.vocab, 64 << 20));
  XM_RETURN_IF_ERROR(model::clip::BpeTokenizer::FromGzip(vocab_bytes, o.vocab).status());

  ImportClipReport report;
  report.out_dir = o.out_dir;
  report.ignored_tensors = model::clip::ExtraTensors(tensors, *shape);
  for (const std::string& name : report.ignored_tensors) tensors.erase(name);

  std::string vocab_name = fs::path(o.vocab).filename().string();
  if (vocab_name == "model.json" || vocab_name == "README.md" || vocab_name == kWeightsFile) {
    vocab_name = kDefaultVocabName;
  }
  model::ModelManifest manifest = MakeManifest(o, *shape, vocab_name);
  report.summary = Summary(manifest, *shape);
  XM_ASSIGN_OR_RETURN(std::string weights_sha256, Sha256OfFile(o.weights));
  const std::string weights = model::clip::EncodeWeights(
      tensors, dtype,
      {{"xmodal", "clip, OpenAI naming"}, {"source", fs::path(o.weights).filename().string()}});
  tensors.clear();

  const std::string tmp = absl::StrCat(o.out_dir, ".tmp-", getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  XM_RETURN_IF_ERROR(MakeDirectories(tmp));
  XM_RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(tmp, "/", kWeightsFile), weights));
  XM_RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(tmp, "/", vocab_name), vocab_bytes));
  XM_RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(tmp, "/model.json"), manifest.ToJson()));
  XM_RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(tmp, "/README.md"),
                                         ModelCard(manifest, o, weights_sha256, report.summary)));
  if (absl::StatusOr<std::unique_ptr<model::Model>> loaded = model::Model::Load(tmp);
      !loaded.ok()) {
    fs::remove_all(tmp, ec);
    return absl::InternalError(
        absl::StrCat("the package written does not load back: ", loaded.status().message()));
  }
  fs::remove(o.out_dir, ec);  // an empty directory, checked above
  fs::rename(tmp, o.out_dir, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot move the package to '", o.out_dir, "': ", ec.message()));
  }
  XM_RETURN_IF_ERROR(SyncDirectory(fs::path(o.out_dir).parent_path().empty()
                                       ? "."
                                       : fs::path(o.out_dir).parent_path().string()));
  return report;
}

}  // namespace xmodal::modeltool
