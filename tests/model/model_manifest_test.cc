#include "core/model/model_manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>

#include "core/base/json.h"
#include "testing/status_matchers.h"

namespace xmodal::model {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::xmodal::testing::StatusIs;

Json FullManifest() {
  return Json::parse(R"({
    "name": "clipish", "version": "2.1", "license": "MIT", "embedding_dim": 512,
    "modalities": {
      "text": {"file": "text.pt", "method": "encode_text", "max_bytes": 1000,
               "tokenizer": {"type": "char_ngram", "context_length": 77, "lowercase": false,
                             "ngram_min": 2, "ngram_max": 4, "buckets": 50000}},
      "image": {"file": "encoders/image.pt", "method": "encode_image", "size": 224,
                "resize": "shorter_side", "crop": "center",
                "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
      "audio": {"file": "audio.pt", "sample_rate": 32000, "window_seconds": 0.032,
                "hop_seconds": 0.01, "n_fft": 1024, "n_mels": 128, "fmin": 50,
                "fmax": 14000, "segment_seconds": 10, "segment_hop_seconds": 5}
    }})");
}

TEST(ModelManifestTest, ParsesEveryField) {
  ASSERT_OK_AND_ASSIGN(ModelManifest m, ModelManifest::Parse(FullManifest().dump()));
  EXPECT_EQ(m.name, "clipish");
  EXPECT_EQ(m.version, "2.1");
  EXPECT_EQ(m.license, "MIT");
  EXPECT_EQ(m.embedding_dim, 512);
  ASSERT_TRUE(m.text && m.image && m.audio);
  EXPECT_TRUE(m.Supports(Modality::kText) && m.Supports(Modality::kAudio));
  EXPECT_EQ(m.text->method, "encode_text");
  EXPECT_EQ(m.text->max_bytes, 1000);
  EXPECT_EQ(m.text->tokenizer.type, "char_ngram");
  EXPECT_EQ(m.text->tokenizer.context_length, 77);
  EXPECT_FALSE(m.text->tokenizer.lowercase);
  EXPECT_EQ(m.text->tokenizer.ngram_min, 2);
  EXPECT_EQ(m.text->tokenizer.ngram_max, 4);
  EXPECT_EQ(m.text->tokenizer.buckets, 50000);
  EXPECT_EQ(m.image->file, "encoders/image.pt");
  EXPECT_FLOAT_EQ(m.image->mean[0], 0.485f);
  EXPECT_FLOAT_EQ(m.image->std[2], 0.225f);
  EXPECT_EQ(m.audio->method, "forward");  // default
  EXPECT_EQ(m.audio->sample_rate, 32000);
  EXPECT_EQ(m.audio->n_fft, 1024);
  EXPECT_DOUBLE_EQ(m.audio->fmin, 50.0);
  EXPECT_DOUBLE_EQ(m.audio->segment_hop_seconds, 5.0);
}

TEST(ModelManifestTest, AppliesDefaults) {
  ASSERT_OK_AND_ASSIGN(ModelManifest m, ModelManifest::Parse(R"({
      "name": "n", "version": "v", "embedding_dim": 4,
      "modalities": {"image": {"file": "i.pt"}}})"));
  EXPECT_EQ(m.license, "");
  EXPECT_FALSE(m.Supports(Modality::kText));
  EXPECT_FALSE(m.Supports(Modality::kAudio));
  ASSERT_TRUE(m.image);
  const ImageSpec defaults;
  EXPECT_EQ(m.image->method, "forward");
  EXPECT_EQ(m.image->size, defaults.size);
  EXPECT_EQ(m.image->resize, "shorter_side");
  EXPECT_EQ(m.image->crop, "center");
  EXPECT_EQ(m.image->mean, defaults.mean);
  EXPECT_EQ(m.image->std, defaults.std);
}

TEST(ModelManifestTest, TextPreprocessingDefaultsToAsciiAndNoneAndRoundTrips) {
  ASSERT_OK_AND_ASSIGN(const ModelManifest old_style, ModelManifest::Parse(R"({
      "name": "n", "version": "1", "embedding_dim": 4,
      "modalities": {"text": {"file": "t.pt", "tokenizer": {"lowercase": true}}}})"));
  EXPECT_EQ(old_style.text->tokenizer.case_fold, "ascii");
  EXPECT_EQ(old_style.text->tokenizer.normalize, "none");
  // Absent defaults stay absent, so a v1 manifest is written back unchanged.
  EXPECT_THAT(old_style.ToJson(), Not(HasSubstr("case_fold")));
  EXPECT_THAT(old_style.ToJson(), Not(HasSubstr("normalize")));

  ASSERT_OK_AND_ASSIGN(const ModelManifest m, ModelManifest::Parse(R"({
      "name": "n", "version": "2", "embedding_dim": 4,
      "modalities": {"text": {"file": "t.pt", "tokenizer": {
          "lowercase": true, "case_fold": "unicode", "normalize": "nfc"}}}})"));
  EXPECT_EQ(m.text->tokenizer.case_fold, "unicode");
  EXPECT_EQ(m.text->tokenizer.normalize, "nfc");
  ASSERT_OK_AND_ASSIGN(const ModelManifest again, ModelManifest::Parse(m.ToJson()));
  EXPECT_EQ(again.text->tokenizer.case_fold, "unicode");
  EXPECT_EQ(again.text->tokenizer.normalize, "nfc");
  EXPECT_EQ(again.ToJson(), m.ToJson());
}

TEST(ModelManifestTest, ToJsonRoundTrips) {
  ASSERT_OK_AND_ASSIGN(ModelManifest m, ModelManifest::Parse(FullManifest().dump()));
  const std::string json = m.ToJson();
  EXPECT_THAT(json, HasSubstr("\"mean\": [\n        0.485,"));  // shortest float spelling
  ASSERT_OK_AND_ASSIGN(ModelManifest again, ModelManifest::Parse(json));
  EXPECT_EQ(again.ToJson(), json);
  EXPECT_EQ(again.image->mean, m.image->mean);
  EXPECT_DOUBLE_EQ(again.audio->window_seconds, 0.032);
}

TEST(ModelManifestTest, AcceptsBicubicShorterSideWithACentreCropOnly) {
  Json doc = FullManifest();
  doc["modalities"]["image"]["resize"] = "bicubic_shorter_side";
  ASSERT_OK_AND_ASSIGN(const ModelManifest m, ModelManifest::Parse(doc.dump()));
  EXPECT_EQ(m.image->resize, "bicubic_shorter_side");
  EXPECT_EQ(m.image->crop, "center");
  ASSERT_OK_AND_ASSIGN(const ModelManifest again, ModelManifest::Parse(m.ToJson()));
  EXPECT_EQ(again.image->resize, "bicubic_shorter_side");

  doc["modalities"]["image"]["crop"] = "none";
  EXPECT_THAT(ModelManifest::Parse(doc.dump()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("field 'modalities.image.crop' may be \"none\" only with resize "
                                 "\"stretch\"")));
  doc["modalities"]["image"]["crop"] = "center";
  doc["modalities"]["image"]["resize"] = "bicubic";
  EXPECT_THAT(ModelManifest::Parse(doc.dump()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("field 'modalities.image.resize' must be \"shorter_side\" or "
                                 "\"stretch\" or \"bicubic_shorter_side\", got \"bicubic\"")));
}

TEST(ModelManifestTest, RejectsDocumentsThatAreNotManifests) {
  EXPECT_THAT(ModelManifest::Parse("{not json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
  EXPECT_THAT(ModelManifest::Parse("[1, 2]"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be a JSON object")));
}

struct BadField {
  std::string pointer;  // JSON pointer of the field to change
  std::string value;    // new value as JSON; empty: remove the field
  std::string message;  // expected in the error
};

void PrintTo(const BadField& bad, std::ostream* os) {
  *os << bad.pointer << " = " << (bad.value.empty() ? "(removed)" : bad.value);
}

// e.g. "modalities_audio_n_fft_29": the field's path and the case's index.
std::string BadFieldName(const ::testing::TestParamInfo<BadField>& info) {
  std::string name = info.param.pointer.substr(1) + "_" + std::to_string(info.index);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class BadFieldTest : public ::testing::TestWithParam<BadField> {};

// Applies `bad` to `doc` and expects Parse to name the field.
void ExpectNamesTheField(Json doc, const BadField& bad) {
  const Json::json_pointer ptr(bad.pointer);
  if (bad.value.empty()) {
    doc[ptr.parent_pointer()].erase(ptr.back());
  } else {
    doc[ptr] = Json::parse(bad.value);
  }
  EXPECT_THAT(ModelManifest::Parse(doc.dump()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(bad.message)));
}

TEST_P(BadFieldTest, NamesTheField) { ExpectNamesTheField(FullManifest(), GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Fields, BadFieldTest,
    ::testing::Values(
        BadField{"/name", "", "missing field 'name'"},
        BadField{"/name", "\"\"", "field 'name' must not be empty"},
        BadField{"/version", "3", "field 'version' must be a string"},
        BadField{"/embedding_dim", "0", "field 'embedding_dim' must be an integer from 1 to"},
        BadField{"/embedding_dim", "1.5", "field 'embedding_dim' must be an integer"},
        BadField{"/embedding_dim", "", "missing field 'embedding_dim'"},
        BadField{"/modalities", "", "missing field 'modalities'"},
        BadField{"/modalities", "{}", "field 'modalities' must name at least one"},
        BadField{"/modalities/video", "{}", "unknown field 'modalities.video'"},
        BadField{"/modalities/text", "[]", "field 'modalities.text' must be an object"},
        BadField{"/modalities/text/file", "", "missing field 'modalities.text.file'"},
        BadField{"/modalities/text/file", "\"../escape.pt\"",
                 "field 'modalities.text.file' must be a plain relative path"},
        BadField{"/modalities/text/file", "\"/abs/text.pt\"",
                 "field 'modalities.text.file' must be a relative path"},
        BadField{"/modalities/text/method", "\"encode()\"",
                 "field 'modalities.text.method' must be a method name"},
        BadField{"/modalities/text/max_bytes", "-1", "field 'modalities.text.max_bytes'"},
        BadField{"/modalities/text/tokenizer/type", "\"wordpiece\"",
                 "field 'modalities.text.tokenizer.type' must be \"bytes\", \"char_ngram\" or "
                 "\"clip_bpe\", got \"wordpiece\""},
        BadField{"/modalities/text/tokenizer/context_length", "0",
                 "field 'modalities.text.tokenizer.context_length' must be an integer from 1"},
        BadField{"/modalities/text/tokenizer/lowercase", "\"yes\"",
                 "field 'modalities.text.tokenizer.lowercase' must be true or false"},
        BadField{"/modalities/text/tokenizer/case_fold", "\"title\"",
                 "field 'modalities.text.tokenizer.case_fold' must be \"ascii\" or \"unicode\", "
                 "got \"title\""},
        // FullManifest has "lowercase": false.
        BadField{"/modalities/text/tokenizer/case_fold", "\"unicode\"",
                 "field 'modalities.text.tokenizer.case_fold' \"unicode\" needs"},
        BadField{"/modalities/text/tokenizer/normalize", "\"nfd\"",
                 "field 'modalities.text.tokenizer.normalize' must be \"none\" or \"nfc\""},
        BadField{"/modalities/text/tokenizer/normalize", "true",
                 "field 'modalities.text.tokenizer.normalize' must be a string"},
        BadField{"/modalities/text/tokenizer/ngram_max", "1",
                 "field 'modalities.text.tokenizer.ngram_max' must be an integer from 2"},
        BadField{"/modalities/text/tokenizer/buckets", "0",
                 "field 'modalities.text.tokenizer.buckets'"},
        BadField{"/modalities/text/tokenizer/vocab", "\"v.txt\"",
                 "field 'modalities.text.tokenizer.vocab' is only for type \"clip_bpe\""},
        BadField{"/modalities/image/size", "0", "field 'modalities.image.size'"},
        BadField{"/modalities/image/resize", "\"fit\"",
                 "field 'modalities.image.resize' must be \"shorter_side\" or \"stretch\""},
        BadField{"/modalities/image/crop", "\"none\"",
                 "field 'modalities.image.crop' may be \"none\" only with resize \"stretch\""},
        BadField{"/modalities/image/crop", "\"top\"",
                 "field 'modalities.image.crop' must be \"center\" or \"none\""},
        BadField{"/modalities/image/mean", "[0.5, 0.5]",
                 "field 'modalities.image.mean' must be an array of 3 numbers"},
        BadField{"/modalities/image/std", "[0.5, 0, 0.5]",
                 "field 'modalities.image.std' must be an array of 3 positive numbers"},
        BadField{"/modalities/audio/sample_rate", "0", "field 'modalities.audio.sample_rate'"},
        BadField{"/modalities/audio/n_fft", "1000",
                 "field 'modalities.audio.n_fft' must be a power of two, got 1000"},
        BadField{"/modalities/audio/window_seconds", "0.1",
                 "field 'modalities.audio.window_seconds' gives 3200 samples, more than n_fft"},
        BadField{"/modalities/audio/hop_seconds", "0",
                 "field 'modalities.audio.hop_seconds' must be a positive duration"},
        BadField{"/modalities/audio/hop_seconds", "0.00001",
                 "field 'modalities.audio.hop_seconds' is shorter than one sample"},
        BadField{"/modalities/audio/n_mels", "0", "field 'modalities.audio.n_mels'"},
        BadField{"/modalities/audio/fmin", "-5", "field 'modalities.audio.fmin' must be >= 0"},
        BadField{"/modalities/audio/fmax", "20000",
                 "field 'modalities.audio.fmax' must be <= sample_rate / 2 (16000)"},
        BadField{"/modalities/audio/fmax", "40",
                 "field 'modalities.audio.fmax' must be greater than fmin"},
        BadField{"/modalities/audio/segment_seconds", "-1",
                 "field 'modalities.audio.segment_seconds' must be a positive duration"},
        BadField{"/modalities/audio/segment_seconds", "3600",
                 "field 'modalities.audio.segment_seconds' must be at most 600"},
        BadField{"/modalities/audio/segment_hop_seconds", "\"5\"",
                 "field 'modalities.audio.segment_hop_seconds' must be a number"},
        BadField{"/modalities/audio/n_mel", "64", "unknown field 'modalities.audio.n_mel'"}),
    BadFieldName);

// A package as `xmodal-model import-clip` writes it (docs/model-package.md, "architecture").
Json ClipManifest() {
  return Json::parse(R"({
    "name": "clip-tiny", "version": "1", "embedding_dim": 32,
    "architecture": {"type": "clip", "weights": "weights.safetensors", "activation": "gelu",
                     "vision": {"width": 64, "layers": 2, "heads": 1, "patch_size": 8,
                                "image_size": 32},
                     "text": {"width": 32, "layers": 2, "heads": 2, "context_length": 77,
                              "vocab_size": 49408}},
    "modalities": {
      "text": {"tokenizer": {"type": "clip_bpe", "vocab": "bpe_simple_vocab_16e6.txt.gz"}},
      "image": {"size": 32, "resize": "bicubic_shorter_side"}
    }})");
}

TEST(ModelManifestTest, ParsesAClipPackageAndRoundTrips) {
  ASSERT_OK_AND_ASSIGN(const ModelManifest m, ModelManifest::Parse(ClipManifest().dump()));
  ASSERT_TRUE(m.architecture.has_value());
  EXPECT_EQ(m.architecture->weights, "weights.safetensors");
  EXPECT_EQ(m.architecture->activation, "gelu");
  EXPECT_EQ(m.architecture->compute, "float32");  // the default
  EXPECT_EQ(m.architecture->vision.width, 64);
  EXPECT_EQ(m.architecture->vision.heads, 1);
  EXPECT_EQ(m.architecture->patch_size, 8);
  EXPECT_EQ(m.architecture->text.heads, 2);
  EXPECT_EQ(m.architecture->vocab_size, 49408);
  ASSERT_TRUE(m.text && m.image);
  EXPECT_EQ(m.text->file, "");
  EXPECT_EQ(m.text->tokenizer.type, "clip_bpe");
  EXPECT_EQ(m.text->tokenizer.vocab, "bpe_simple_vocab_16e6.txt.gz");
  EXPECT_EQ(m.text->tokenizer.context_length, 77);  // clip_bpe's default
  EXPECT_FALSE(m.text->tokenizer.truncate);         // long texts are refused by default
  EXPECT_EQ(m.LicenseOrUnknown(), "unknown (model.json states no licence)");
  ASSERT_OK_AND_ASSIGN(const ModelManifest again, ModelManifest::Parse(m.ToJson()));
  EXPECT_EQ(again.ToJson(), m.ToJson());
  EXPECT_EQ(again.architecture->context_length, 77);
}

TEST(ModelManifestTest, ClipTokenizerNeedsTheClipArchitecture) {
  Json doc = ClipManifest();
  doc.erase("architecture");
  doc["modalities"]["text"]["file"] = "text.pt";
  doc["modalities"].erase("image");
  EXPECT_THAT(ModelManifest::Parse(doc.dump()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("\"clip_bpe\" is for a package with \"architecture\": \"clip\"")));
  doc = ClipManifest();
  doc["modalities"]["text"]["tokenizer"] = {{"type", "char_ngram"}};
  EXPECT_THAT(ModelManifest::Parse(doc.dump()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must be \"clip_bpe\" for a CLIP architecture")));
}

class BadClipFieldTest : public ::testing::TestWithParam<BadField> {};

TEST_P(BadClipFieldTest, NamesTheField) { ExpectNamesTheField(ClipManifest(), GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Clip, BadClipFieldTest,
    ::testing::Values(
        BadField{"/architecture/type", "\"vit\"",
                 "field 'architecture.type' must be \"clip\", got \"vit\""},
        BadField{"/architecture/weights", "", "missing field 'architecture.weights'"},
        BadField{"/architecture/weights", "\"../w.safetensors\"",
                 "field 'architecture.weights' must be a plain relative path"},
        BadField{"/architecture/activation", "\"relu\"",
                 "field 'architecture.activation' must be \"quick_gelu\" or \"gelu\""},
        BadField{"/architecture/compute", "\"float16\"",
                 "field 'architecture.compute' must be \"float32\" or \"bfloat16\""},
        BadField{"/architecture/vision/heads", "3",
                 "field 'architecture.vision.heads' must divide the width (64), got 3"},
        BadField{"/architecture/vision/image_size", "30",
                 "field 'architecture.vision.image_size' must be a multiple of patch_size (8)"},
        BadField{"/architecture/text/layers", "", "missing field 'architecture.text.layers'"},
        BadField{"/architecture/text/vocab_size", "1000",
                 "but the architecture's vocab_size is 1000"},
        BadField{"/architecture/text/depth", "2", "unknown field 'architecture.text.depth'"},
        BadField{"/modalities/text/file", "\"text.pt\"",
                 "field 'modalities.text.file' must be absent: the \"clip\" architecture"},
        BadField{"/modalities/text/tokenizer/type", "\"char_ngram\"",
                 "field 'modalities.text.tokenizer.vocab' is only for type \"clip_bpe\""},
        BadField{"/modalities/text/tokenizer/vocab", "",
                 "missing field 'modalities.text.tokenizer.vocab'"},
        BadField{"/modalities/text/tokenizer/truncate", "\"yes\"",
                 "field 'modalities.text.tokenizer.truncate' must be true or false"},
        BadField{"/modalities/text/tokenizer/context_length", "64",
                 "must equal the architecture's context_length (77), got 64"},
        BadField{"/modalities/image/size", "224",
                 "field 'modalities.image.size' must equal the architecture's image_size (32)"},
        // Without an architecture, every modality is a TorchScript file again.
        BadField{"/architecture", "", "missing field 'modalities.text.file'"}),
    BadFieldName);

}  // namespace
}  // namespace xmodal::model
