#include "trainer/train/recipe.h"

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"

namespace xmodal::train {
namespace {

absl::Status CheckLayers(const std::vector<ConvLayer>& layers, int groups, absl::string_view what) {
  if (layers.empty()) return absl::InvalidArgumentError(absl::StrCat(what, " has no layers"));
  if (groups < 0) return absl::InvalidArgumentError(absl::StrCat(what, " groups ", groups, " < 0"));
  for (size_t i = 0; i < layers.size(); ++i) {
    const ConvLayer& l = layers[i];
    if (l.out < 1 || l.kernel < 1 || l.stride < 1) {
      return absl::InvalidArgumentError(absl::StrCat(what, " layer ", i, " has out ", l.out,
                                                     ", kernel ", l.kernel, ", stride ", l.stride,
                                                     "; each must be >= 1"));
    }
    if (groups > 0 && l.out % groups != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, " layer ", i, " has ", l.out, " channels, not divisible by ", groups, " groups"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

ModelConfig TinyConfig() {
  ModelConfig c;
  c.name = "xmodal-stamps-tiny";
  c.dim = 32;
  c.ngram_max = 3;
  c.buckets = 1 << 12;
  c.context_length = 64;
  c.text_width = 32;
  c.text_hidden = 64;
  c.image_size = 32;
  c.image_layers = {{16, 3, 2}, {32, 3, 2}, {32, 3, 2}};
  c.image_groups = 4;
  c.n_mels = 32;
  c.segment_seconds = 1.0;
  c.audio_layers = {{32, 5, 2}, {32, 3, 2}};
  c.audio_groups = 4;
  return c;
}

absl::Status ValidateConfig(const ModelConfig& c) {
  if (c.fingerprint_dim < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("fingerprint_dim ", c.fingerprint_dim, " must be >= 1"));
  }
  if (c.dim < 1 || c.text_width < 1 || c.text_hidden < 1) {
    return absl::InvalidArgumentError(absl::StrCat("dim ", c.dim, ", text_width ", c.text_width,
                                                   " and text_hidden ", c.text_hidden,
                                                   " must be >= 1"));
  }
  XM_RETURN_IF_ERROR(CheckLayers(c.image_layers, c.image_groups, "the image tower"));
  XM_RETURN_IF_ERROR(CheckLayers(c.audio_layers, c.audio_groups, "the audio tower"));
  if (!(c.image_std > 0) || !(c.audio_scale > 0)) {
    return absl::InvalidArgumentError("image_std and audio_scale must be > 0");
  }
  // The manifest's own validation covers sizes, tokenizer, rates and segment lengths.
  return model::ModelManifest::Parse(MakeManifest(c).ToJson()).status();
}

model::ModelManifest MakeManifest(const ModelConfig& c) {
  model::ModelManifest m;
  m.name = c.name;
  m.version = c.version;
  m.license = c.license;
  m.embedding_dim = c.dim;
  model::TextSpec text;
  text.file = "text.pt";
  text.max_bytes = c.max_text_bytes;
  text.tokenizer.type = "char_ngram";
  text.tokenizer.context_length = c.context_length;
  text.tokenizer.lowercase = true;
  text.tokenizer.ngram_min = c.ngram_min;
  text.tokenizer.ngram_max = c.ngram_max;
  text.tokenizer.buckets = c.buckets;
  m.text = text;
  model::ImageSpec image;
  image.file = "image.pt";
  image.size = c.image_size;
  image.resize = "shorter_side";
  image.crop = "center";
  image.mean = {c.image_mean, c.image_mean, c.image_mean};
  image.std = {c.image_std, c.image_std, c.image_std};
  m.image = image;
  model::AudioSpec audio;
  audio.file = "audio.pt";
  audio.sample_rate = c.sample_rate;
  audio.window_seconds = 0.025;
  audio.hop_seconds = 0.010;
  audio.n_fft = 512;
  audio.n_mels = c.n_mels;
  audio.fmin = 0;
  audio.fmax = c.sample_rate / 2.0;
  audio.segment_seconds = c.segment_seconds;
  audio.segment_hop_seconds = c.segment_seconds;
  m.audio = audio;
  return m;
}

}  // namespace xmodal::train
