// Parsing and validation of model.json. Every message names the field at fault with its
// dotted path, e.g. "model.json: field 'modalities.audio.n_fft' must be a power of two".
#include "core/model/model_manifest.h"

#include <cmath>
#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"
#include "core/model/clip/bpe_tokenizer.h"  // its constants only
#include "core/model/manifest_fields.h"

namespace xmodal::model {
namespace {

using internal::kManifestName;

// "" when absent: whether the modality needs a file depends on the architecture (Parse).
absl::StatusOr<std::string> OptionalPackageFile(const JsonFields& r, absl::string_view key) {
  if (!r.Has(key)) return std::string();
  return internal::PackageFile(r, key);
}

absl::StatusOr<ArchitectureSpec::Tower> ParseTower(const JsonFields& r) {
  ArchitectureSpec::Tower t;
  XM_ASSIGN_OR_RETURN(t.width, r.RequiredInt("width", 1, 1 << 16));
  XM_ASSIGN_OR_RETURN(t.layers, r.RequiredInt("layers", 1, 1024));
  XM_ASSIGN_OR_RETURN(t.heads, r.RequiredInt("heads", 1, t.width));
  if (t.width % t.heads != 0) {
    return r.Invalid("heads", absl::StrCat("must divide the width (", t.width, "), got ", t.heads));
  }
  return t;
}

absl::StatusOr<ArchitectureSpec> ParseArchitecture(const JsonFields& r) {
  ArchitectureSpec a;
  XM_RETURN_IF_ERROR(r.CheckKeys({"type", "weights", "activation", "compute", "vision", "text"}));
  XM_ASSIGN_OR_RETURN(a.type, r.NonEmptyString("type"));
  if (a.type != "clip") {
    return r.Invalid("type", absl::StrCat("must be \"clip\", got \"", a.type, "\""));
  }
  XM_ASSIGN_OR_RETURN(a.weights, internal::PackageFile(r, "weights"));
  XM_ASSIGN_OR_RETURN(a.activation, r.String("activation", a.activation));
  if (a.activation != "quick_gelu" && a.activation != "gelu") {
    return r.Invalid("activation", absl::StrCat("must be \"quick_gelu\" or \"gelu\", got \"",
                                                a.activation, "\""));
  }
  XM_ASSIGN_OR_RETURN(a.compute, r.String("compute", a.compute));
  if (a.compute != "float32" && a.compute != "bfloat16") {
    return r.Invalid("compute",
                     absl::StrCat("must be \"float32\" or \"bfloat16\", got \"", a.compute, "\""));
  }
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> vision, r.Object("vision", true));
  XM_RETURN_IF_ERROR(vision->CheckKeys({"width", "layers", "heads", "patch_size", "image_size"}));
  XM_ASSIGN_OR_RETURN(a.vision, ParseTower(*vision));
  XM_ASSIGN_OR_RETURN(a.patch_size, vision->RequiredInt("patch_size", 1, 4096));
  XM_ASSIGN_OR_RETURN(a.image_size, vision->RequiredInt("image_size", 1, 4096));
  if (a.image_size % a.patch_size != 0) {
    return vision->Invalid("image_size", absl::StrCat("must be a multiple of patch_size (",
                                                      a.patch_size, "), got ", a.image_size));
  }
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> text, r.Object("text", true));
  XM_RETURN_IF_ERROR(text->CheckKeys({"width", "layers", "heads", "context_length", "vocab_size"}));
  XM_ASSIGN_OR_RETURN(a.text, ParseTower(*text));
  XM_ASSIGN_OR_RETURN(a.context_length, text->RequiredInt("context_length", 2, 65536));
  XM_ASSIGN_OR_RETURN(a.vocab_size, text->RequiredInt("vocab_size", 1, 1 << 24));
  return a;
}

// With an architecture, text and image are its towers (no file, sizes as it says); without
// one, every modality names its TorchScript file. Audio always names a file.
absl::Status CheckEncoders(const ModelManifest& m, const JsonFields& mods) {
  const auto file_rule = [&](absl::string_view modality, const std::string& file) -> absl::Status {
    const std::string key = absl::StrCat(modality, ".file");
    if (m.architecture && !file.empty()) {
      return mods.Invalid(key, absl::StrCat("must be absent: the \"", m.architecture->type,
                                            "\" architecture encodes ", modality));
    }
    if (!m.architecture && file.empty()) return mods.Missing(key);
    return absl::OkStatus();
  };
  if (m.text) XM_RETURN_IF_ERROR(file_rule("text", m.text->file));
  if (m.image) XM_RETURN_IF_ERROR(file_rule("image", m.image->file));
  if (m.audio && m.audio->file.empty()) return mods.Missing("audio.file");
  if (!m.architecture) {
    if (m.text && m.text->tokenizer.type == "clip_bpe") {
      return mods.Invalid("text.tokenizer.type",
                          "\"clip_bpe\" is for a package with \"architecture\": \"clip\"");
    }
    return absl::OkStatus();
  }
  const ArchitectureSpec& a = *m.architecture;
  if (m.text) {
    const TokenizerSpec& t = m.text->tokenizer;
    if (t.type != "clip_bpe") {
      return mods.Invalid("text.tokenizer.type", "must be \"clip_bpe\" for a CLIP architecture");
    }
    if (a.vocab_size < clip::BpeTokenizer::kVocabSize) {
      return mods.Invalid(
          "text.tokenizer.type",
          absl::StrCat("\"clip_bpe\" gives ids up to ", clip::BpeTokenizer::kVocabSize - 1,
                       " but the architecture's vocab_size is ", a.vocab_size));
    }
    if (t.context_length != a.context_length) {
      return mods.Invalid("text.tokenizer.context_length",
                          absl::StrCat("must equal the architecture's context_length (",
                                       a.context_length, "), got ", t.context_length));
    }
  }
  if (m.image && m.image->size != a.image_size) {
    return mods.Invalid("image.size", absl::StrCat("must equal the architecture's image_size (",
                                                   a.image_size, "), got ", m.image->size));
  }
  return absl::OkStatus();
}

absl::StatusOr<TokenizerSpec> ParseTokenizer(const JsonFields& r) {
  TokenizerSpec t;
  XM_RETURN_IF_ERROR(r.CheckKeys({"type", "context_length", "lowercase", "case_fold", "normalize",
                                  "ngram_min", "ngram_max", "buckets", "vocab", "truncate"}));
  XM_ASSIGN_OR_RETURN(t.type, r.String("type", t.type));
  if (t.type != "bytes" && t.type != "char_ngram" && t.type != "clip_bpe") {
    return r.Invalid(
        "type",
        absl::StrCat("must be \"bytes\", \"char_ngram\" or \"clip_bpe\", got \"", t.type, "\""));
  }
  if (t.type == "clip_bpe") {
    XM_ASSIGN_OR_RETURN(t.vocab, internal::PackageFile(r, "vocab"));
    XM_ASSIGN_OR_RETURN(t.truncate, r.Bool("truncate", t.truncate));
    XM_ASSIGN_OR_RETURN(t.context_length, r.Int("context_length", 77, 2, 65536));
  } else if (r.Has("vocab") || r.Has("truncate")) {
    return r.Invalid(r.Has("vocab") ? "vocab" : "truncate", "is only for type \"clip_bpe\"");
  }
  XM_ASSIGN_OR_RETURN(t.context_length, r.Int("context_length", t.context_length, 1, 65536));
  XM_ASSIGN_OR_RETURN(t.lowercase, r.Bool("lowercase", t.lowercase));
  XM_ASSIGN_OR_RETURN(t.case_fold, r.String("case_fold", t.case_fold));
  if (t.case_fold != "ascii" && t.case_fold != "unicode") {
    return r.Invalid("case_fold",
                     absl::StrCat("must be \"ascii\" or \"unicode\", got \"", t.case_fold, "\""));
  }
  if (t.case_fold == "unicode" && !t.lowercase) {
    return r.Invalid("case_fold", "\"unicode\" needs \"lowercase\": true");
  }
  XM_ASSIGN_OR_RETURN(t.normalize, r.String("normalize", t.normalize));
  if (t.normalize != "none" && t.normalize != "nfc") {
    return r.Invalid("normalize",
                     absl::StrCat("must be \"none\" or \"nfc\", got \"", t.normalize, "\""));
  }
  XM_ASSIGN_OR_RETURN(t.ngram_min, r.Int("ngram_min", t.ngram_min, 1, 32));
  XM_ASSIGN_OR_RETURN(t.ngram_max, r.Int("ngram_max", t.ngram_max, t.ngram_min, 32));
  XM_ASSIGN_OR_RETURN(t.buckets, r.Int("buckets", t.buckets, 1, 1 << 30));
  return t;
}

absl::StatusOr<TextSpec> ParseText(const JsonFields& r) {
  TextSpec s;
  XM_RETURN_IF_ERROR(r.CheckKeys({"file", "method", "max_bytes", "tokenizer"}));
  XM_ASSIGN_OR_RETURN(s.file, OptionalPackageFile(r, "file"));
  XM_ASSIGN_OR_RETURN(s.method, internal::MethodName(r, "method", s.method));
  XM_ASSIGN_OR_RETURN(s.max_bytes, r.Int("max_bytes", s.max_bytes, 1, 1 << 20));
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> tok, r.Object("tokenizer", /*required=*/false));
  if (tok.has_value()) {
    XM_ASSIGN_OR_RETURN(s.tokenizer, ParseTokenizer(*tok));
  }
  return s;
}

absl::StatusOr<ImageSpec> ParseImage(const JsonFields& r) {
  ImageSpec s;
  XM_RETURN_IF_ERROR(r.CheckKeys({"file", "method", "size", "resize", "crop", "mean", "std"}));
  XM_ASSIGN_OR_RETURN(s.file, OptionalPackageFile(r, "file"));
  XM_ASSIGN_OR_RETURN(s.method, internal::MethodName(r, "method", s.method));
  XM_ASSIGN_OR_RETURN(s.size, r.Int("size", s.size, 1, 4096));
  XM_ASSIGN_OR_RETURN(s.resize, r.String("resize", s.resize));
  if (s.resize != "shorter_side" && s.resize != "stretch" && s.resize != "bicubic_shorter_side") {
    return r.Invalid("resize", absl::StrCat("must be \"shorter_side\" or \"stretch\" or "
                                            "\"bicubic_shorter_side\", got \"",
                                            s.resize, "\""));
  }
  XM_ASSIGN_OR_RETURN(s.crop, r.String("crop", s.crop));
  if (s.crop != "center" && s.crop != "none") {
    return r.Invalid("crop", absl::StrCat("must be \"center\" or \"none\", got \"", s.crop, "\""));
  }
  if (s.crop == "none" && s.resize != "stretch") {
    return r.Invalid("crop", "may be \"none\" only with resize \"stretch\"");
  }
  XM_ASSIGN_OR_RETURN(s.mean, internal::Triple(r, "mean", s.mean, /*positive=*/false));
  XM_ASSIGN_OR_RETURN(s.std, internal::Triple(r, "std", s.std, /*positive=*/true));
  return s;
}

bool IsPowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }

absl::StatusOr<AudioSpec> ParseAudio(const JsonFields& r) {
  AudioSpec s;
  XM_RETURN_IF_ERROR(
      r.CheckKeys({"file", "method", "sample_rate", "window_seconds", "hop_seconds", "n_fft",
                   "n_mels", "fmin", "fmax", "segment_seconds", "segment_hop_seconds"}));
  XM_ASSIGN_OR_RETURN(s.file, internal::PackageFile(r, "file"));
  XM_ASSIGN_OR_RETURN(s.method, internal::MethodName(r, "method", s.method));
  XM_ASSIGN_OR_RETURN(s.sample_rate, r.Int("sample_rate", s.sample_rate, 1000, 384000));
  const double rate = s.sample_rate;
  XM_ASSIGN_OR_RETURN(s.n_fft, r.Int("n_fft", s.n_fft, 2, 65536));
  if (!IsPowerOfTwo(s.n_fft)) {
    return r.Invalid("n_fft", absl::StrCat("must be a power of two, got ", s.n_fft));
  }
  XM_ASSIGN_OR_RETURN(s.window_seconds,
                      internal::Seconds(r, "window_seconds", s.window_seconds, rate));
  if (std::lround(s.window_seconds * rate) > s.n_fft) {
    return r.Invalid("window_seconds", absl::StrCat("gives ", std::lround(s.window_seconds * rate),
                                                    " samples, more than n_fft (", s.n_fft, ")"));
  }
  XM_ASSIGN_OR_RETURN(s.hop_seconds, internal::Seconds(r, "hop_seconds", s.hop_seconds, rate));
  XM_ASSIGN_OR_RETURN(s.n_mels, r.Int("n_mels", s.n_mels, 1, s.n_fft / 2 + 1));
  XM_ASSIGN_OR_RETURN(s.fmin, r.Number("fmin", s.fmin));
  XM_ASSIGN_OR_RETURN(s.fmax, r.Number("fmax", s.fmax));
  if (s.fmin < 0) return r.Invalid("fmin", absl::StrCat("must be >= 0, got ", s.fmin));
  if (s.fmax > rate / 2) {
    return r.Invalid("fmax",
                     absl::StrCat("must be <= sample_rate / 2 (", rate / 2, "), got ", s.fmax));
  }
  if (s.fmax <= s.fmin) {
    return r.Invalid("fmax",
                     absl::StrCat("must be greater than fmin (", s.fmin, "), got ", s.fmax));
  }
  XM_ASSIGN_OR_RETURN(s.segment_seconds,
                      internal::Seconds(r, "segment_seconds", s.segment_seconds, rate));
  if (s.segment_seconds > 600) {
    return r.Invalid("segment_seconds",
                     absl::StrCat("must be at most 600, got ", s.segment_seconds));
  }
  XM_ASSIGN_OR_RETURN(s.segment_hop_seconds,
                      internal::Seconds(r, "segment_hop_seconds", s.segment_hop_seconds, rate));
  return s;
}

}  // namespace

std::string ModelManifest::LicenseOrUnknown() const {
  return license.empty() ? "unknown (model.json states no licence)" : license;
}

bool ModelManifest::Supports(Modality m) const {
  switch (m) {
    case Modality::kText:
      return text.has_value();
    case Modality::kImage:
      return image.has_value();
    case Modality::kAudio:
      return audio.has_value();
  }
  return false;
}

absl::StatusOr<ModelManifest> ModelManifest::Parse(absl::string_view json_text) {
  XM_ASSIGN_OR_RETURN(Json doc, ParseJson(json_text, kManifestName));
  if (!doc.is_object()) return absl::InvalidArgumentError("model.json: must be a JSON object");
  const JsonFields root(doc, std::string(kManifestName));
  ModelManifest m;
  XM_ASSIGN_OR_RETURN(m.name, root.NonEmptyString("name"));
  XM_ASSIGN_OR_RETURN(m.version, root.NonEmptyString("version"));
  XM_ASSIGN_OR_RETURN(m.license, root.String("license", ""));
  XM_ASSIGN_OR_RETURN(m.embedding_dim, root.RequiredInt("embedding_dim", 1, 65536));
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> arch, root.Object("architecture", false));
  if (arch) {
    XM_ASSIGN_OR_RETURN(m.architecture, ParseArchitecture(*arch));
  }
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> mods, root.Object("modalities", true));
  XM_RETURN_IF_ERROR(mods->CheckKeys({"text", "image", "audio"}));
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> text, mods->Object("text", false));
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> image, mods->Object("image", false));
  XM_ASSIGN_OR_RETURN(std::optional<JsonFields> audio, mods->Object("audio", false));
  if (!text && !image && !audio) {
    return mods->Invalid("", "must name at least one of \"text\", \"image\", \"audio\"");
  }
  if (text) {
    XM_ASSIGN_OR_RETURN(m.text, ParseText(*text));
  }
  if (image) {
    XM_ASSIGN_OR_RETURN(m.image, ParseImage(*image));
  }
  if (audio) {
    XM_ASSIGN_OR_RETURN(m.audio, ParseAudio(*audio));
  }
  XM_RETURN_IF_ERROR(CheckEncoders(m, *mods));
  return m;
}

}  // namespace xmodal::model
