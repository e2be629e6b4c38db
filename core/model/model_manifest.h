// The model package manifest (`model.json`): what a model is, which modalities it encodes,
// and how each input is prepared. docs/model-package.md documents the format.
#ifndef XMODAL_CORE_MODEL_MODEL_MANIFEST_H_
#define XMODAL_CORE_MODEL_MODEL_MANIFEST_H_

#include <array>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"

namespace xmodal::model {

struct TokenizerSpec {
  // "bytes": UTF-8 bytes; "char_ngram": hashed character n-grams; "clip_bpe": CLIP's byte-level
  // BPE (core/model/clip/bpe_tokenizer.h) over the merges file `vocab`.
  std::string type = "bytes";
  int context_length = 64;  // ids per text (padded with 0, truncated)
  bool lowercase = true;
  // How `lowercase` lower-cases: "ascii" (A-Z only; models/default v1) or "unicode" (full
  // Unicode case folding: "ÉLAN" -> "élan", "Straße" -> "strasse"). "unicode" needs lowercase.
  std::string case_fold = "ascii";
  // Unicode normalisation before lower-casing: "none" or "nfc" (decomposed "é" = composed "é").
  std::string normalize = "none";
  int ngram_min = 1;      // char_ngram only
  int ngram_max = 3;      // char_ngram only
  int buckets = 1 << 16;  // char_ngram only: ids are 1..buckets (0 is padding)
  std::string vocab;      // clip_bpe only (required): the gzip merges file, a package file
  // clip_bpe only: a text of more than context_length tokens is cut, the end token kept last
  // (CLIP's tokenize(truncate=True)); false (the default) refuses it with INVALID_ARGUMENT.
  bool truncate = false;
};

struct TextSpec {
  // TorchScript file, relative to the package directory; empty when the package's
  // architecture encodes this modality.
  std::string file;
  std::string method = "forward";
  TokenizerSpec tokenizer;
  int max_bytes = 2048;  // longer texts are refused, never silently cut
};

struct ImageSpec {
  std::string file;  // as TextSpec::file
  std::string method = "forward";
  int size = 224;                       // square input side
  std::string resize = "shorter_side";  // or "stretch"; or "bicubic_shorter_side" (CLIP's PIL
                                        // bicubic); image_preprocess.h says how each resizes
  std::string crop = "center";          // "center" or "none" (only with "stretch")
  std::array<float, 3> mean = {0.0f, 0.0f, 0.0f};
  std::array<float, 3> std = {1.0f, 1.0f, 1.0f};
};

struct AudioSpec {
  std::string file;
  std::string method = "forward";
  int sample_rate = 16000;
  // Short-time Fourier transform of the log-mel front end.
  double window_seconds = 0.025;
  double hop_seconds = 0.010;
  int n_fft = 512;
  int n_mels = 64;
  double fmin = 0.0;
  double fmax = 8000.0;
  // Long clips are cut into deterministic segments of `segment_seconds` every
  // `segment_hop_seconds`, each its own vector; the last is padded with silence.
  double segment_seconds = 5.0;
  double segment_hop_seconds = 5.0;
};

// A native architecture built in C++ from one weights file instead of TorchScript files. Only
// "clip": OpenAI CLIP / OpenCLIP ViT towers (core/model/clip/). The sizes are what import
// inferred from the tensor shapes; loading checks the weights against them.
struct ArchitectureSpec {
  std::string type = "clip";
  std::string weights;                    // a safetensors file, relative to the package
  std::string activation = "quick_gelu";  // MLP activation: "quick_gelu" (OpenAI) or "gelu"
  // Arithmetic of the towers: "float32" (the reference's) or "bfloat16" (weights and
  // activations in bfloat16: about twice as fast on CPUs with AVX512-BF16, embeddings within
  // about 1e-2 of float32's; docs/model-package.md).
  std::string compute = "float32";
  struct Tower {
    int width = 0;
    int layers = 0;
    int heads = 0;
  };
  Tower vision;
  int patch_size = 0;
  int image_size = 0;
  Tower text;
  int context_length = 0;
  int vocab_size = 0;
};

struct ModelManifest {
  std::string name;
  std::string version;
  std::string license;
  int embedding_dim = 0;
  // When set, it encodes text and image (which then name no file); audio, if present, is
  // still a TorchScript file.
  std::optional<ArchitectureSpec> architecture;
  std::optional<TextSpec> text;
  std::optional<ImageSpec> image;
  std::optional<AudioSpec> audio;

  bool Supports(Modality m) const;
  // `license`, or a phrase saying it is unknown (for logs and `xmodal-model inspect`).
  std::string LicenseOrUnknown() const;

  // Parses and validates (positive sizes, known tokenizer/resize/crop names, fmax <= rate/2,
  // at least one modality; with an architecture, image.size and the tokenizer's
  // context_length agree with it). INVALID_ARGUMENT names the field at fault.
  static absl::StatusOr<ModelManifest> Parse(absl::string_view json_text);
  std::string ToJson() const;
};

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_MODEL_MANIFEST_H_
