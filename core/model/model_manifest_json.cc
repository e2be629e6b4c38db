// ModelManifest::ToJson: every field, defaults included (except tokenizer.case_fold and
// tokenizer.normalize, written only when not their defaults; the n-gram fields only for the
// tokenizers that are not clip_bpe, vocab and truncate only for clip_bpe; file and method only
// for TorchScript modalities), in the documented order
// (docs/model-package.md), so that Parse(ToJson(m)) gives back m.
#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "core/model/model_manifest.h"

namespace xmodal::model {
namespace {

using OrderedJson = nlohmann::ordered_json;

// The shortest decimal that reads back as the same float (0.485f prints as 0.485, not as
// 0.48500001430511475).
double ShortestDouble(float f) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf) - 1, f);
  *end = '\0';
  return std::strtod(buf, nullptr);
}

OrderedJson Triple(const std::array<float, 3>& v) {
  return OrderedJson::array({ShortestDouble(v[0]), ShortestDouble(v[1]), ShortestDouble(v[2])});
}

// A TorchScript modality names its file and method; one of the architecture names neither.
void EncoderFile(const std::string& file, const std::string& method, OrderedJson& j) {
  if (file.empty()) return;
  j["file"] = file;
  j["method"] = method;
}

OrderedJson ArchitectureJson(const ArchitectureSpec& a) {
  const auto tower = [](const ArchitectureSpec::Tower& t) {
    OrderedJson j;
    j["width"] = t.width;
    j["layers"] = t.layers;
    j["heads"] = t.heads;
    return j;
  };
  OrderedJson j;
  j["type"] = a.type;
  j["weights"] = a.weights;
  j["activation"] = a.activation;
  j["compute"] = a.compute;
  j["vision"] = tower(a.vision);
  j["vision"]["patch_size"] = a.patch_size;
  j["vision"]["image_size"] = a.image_size;
  j["text"] = tower(a.text);
  j["text"]["context_length"] = a.context_length;
  j["text"]["vocab_size"] = a.vocab_size;
  return j;
}

OrderedJson TextJson(const TextSpec& s) {
  OrderedJson tok;
  tok["type"] = s.tokenizer.type;
  tok["context_length"] = s.tokenizer.context_length;
  tok["lowercase"] = s.tokenizer.lowercase;
  // Written only when not the default, so that a v1 manifest (which predates them) is written
  // back byte for byte.
  if (s.tokenizer.case_fold != "ascii") tok["case_fold"] = s.tokenizer.case_fold;
  if (s.tokenizer.normalize != "none") tok["normalize"] = s.tokenizer.normalize;
  if (s.tokenizer.type == "clip_bpe") {
    tok["vocab"] = s.tokenizer.vocab;
    tok["truncate"] = s.tokenizer.truncate;
  } else {
    tok["ngram_min"] = s.tokenizer.ngram_min;
    tok["ngram_max"] = s.tokenizer.ngram_max;
    tok["buckets"] = s.tokenizer.buckets;
  }
  OrderedJson j;
  EncoderFile(s.file, s.method, j);
  j["max_bytes"] = s.max_bytes;
  j["tokenizer"] = std::move(tok);
  return j;
}

OrderedJson ImageJson(const ImageSpec& s) {
  OrderedJson j;
  EncoderFile(s.file, s.method, j);
  j["size"] = s.size;
  j["resize"] = s.resize;
  j["crop"] = s.crop;
  j["mean"] = Triple(s.mean);
  j["std"] = Triple(s.std);
  return j;
}

OrderedJson AudioJson(const AudioSpec& s) {
  OrderedJson j;
  j["file"] = s.file;
  j["method"] = s.method;
  j["sample_rate"] = s.sample_rate;
  j["window_seconds"] = s.window_seconds;
  j["hop_seconds"] = s.hop_seconds;
  j["n_fft"] = s.n_fft;
  j["n_mels"] = s.n_mels;
  j["fmin"] = s.fmin;
  j["fmax"] = s.fmax;
  j["segment_seconds"] = s.segment_seconds;
  j["segment_hop_seconds"] = s.segment_hop_seconds;
  return j;
}

}  // namespace

std::string ModelManifest::ToJson() const {
  OrderedJson j;
  j["name"] = name;
  j["version"] = version;
  j["license"] = license;
  j["embedding_dim"] = embedding_dim;
  if (architecture) j["architecture"] = ArchitectureJson(*architecture);
  OrderedJson mods = OrderedJson::object();
  if (text) mods["text"] = TextJson(*text);
  if (image) mods["image"] = ImageJson(*image);
  if (audio) mods["audio"] = AudioJson(*audio);
  j["modalities"] = std::move(mods);
  // Names and files come from Parse (valid UTF-8 JSON strings), so dump cannot throw; the
  // replace handler keeps that true for hand-built manifests with invalid UTF-8.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace xmodal::model
