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
  std::string type = "bytes";  // "bytes": UTF-8 bytes; "char_ngram": hashed character n-grams
  int context_length = 64;     // ids per text (padded with 0, truncated)
  bool lowercase = true;
  // How `lowercase` lower-cases: "ascii" (A-Z only; models/default v1) or "unicode" (full
  // Unicode case folding: "ÉLAN" -> "élan", "Straße" -> "strasse"). "unicode" needs lowercase.
  std::string case_fold = "ascii";
  // Unicode normalisation before lower-casing: "none" or "nfc" (decomposed "é" = composed "é").
  std::string normalize = "none";
  int ngram_min = 1;      // char_ngram only
  int ngram_max = 3;      // char_ngram only
  int buckets = 1 << 16;  // char_ngram only: ids are 1..buckets (0 is padding)
};

struct TextSpec {
  std::string file;  // TorchScript file, relative to the package directory
  std::string method = "forward";
  TokenizerSpec tokenizer;
  int max_bytes = 2048;  // longer texts are refused, never silently cut
};

struct ImageSpec {
  std::string file;
  std::string method = "forward";
  int size = 224;                       // square input side
  std::string resize = "shorter_side";  // "shorter_side" (keep aspect) or "stretch"
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

struct ModelManifest {
  std::string name;
  std::string version;
  std::string license;
  int embedding_dim = 0;
  std::optional<TextSpec> text;
  std::optional<ImageSpec> image;
  std::optional<AudioSpec> audio;

  bool Supports(Modality m) const;

  // Parses and validates (positive sizes, known tokenizer/resize/crop names, fmax <= rate/2,
  // at least one modality). INVALID_ARGUMENT names the field at fault.
  static absl::StatusOr<ModelManifest> Parse(absl::string_view json_text);
  std::string ToJson() const;
};

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_MODEL_MANIFEST_H_
