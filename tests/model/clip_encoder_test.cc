// The native CLIP towers against the reference outputs of OpenAI's code on the tiny golden
// model (../shared/golden/clip; skipped when absent), from every weights format and naming.
#include "core/model/clip/clip_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <torch/script.h>
#include <torch/serialize.h>

#include <cmath>
#include <fstream>

#include "core/base/file_util.h"
#include "core/base/float_matrix.h"
#include "core/model/clip/clip_config.h"
#include "core/model/clip/clip_weights.h"
#include "core/model/weights/safetensors.h"
#include "testing/clip_golden.h"
#include "testing/golden.h"
#include "testing/status_matchers.h"

namespace xmodal::model::clip {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using weights::DType;
using ::xmodal::testing::StatusIs;

class ClipEncoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = xmodal::testing::GoldenDir("clip");
    if (dir.empty()) GTEST_SKIP() << xmodal::testing::GoldenMissing("clip");
    ASSERT_OK_AND_ASSIGN(golden_, xmodal::testing::LoadGoldenClip(dir));
  }

  static absl::StatusOr<std::unique_ptr<ClipEncoder>> Build(
      TensorMap tensors, const std::string& compute = "float32") {
    absl::Status named = ToOpenAiNaming(tensors);
    if (!named.ok()) return named;
    absl::StatusOr<ClipShape> shape = InferClipShape(tensors, xmodal::testing::kGoldenVisionHeads,
                                                     xmodal::testing::kGoldenTextHeads);
    if (!shape.ok()) return shape.status();
    shape->architecture.compute = compute;
    return ClipEncoder::Create(*shape, "quick_gelu", std::move(tensors));
  }

  // Runs `encoder` on the golden inputs of `modality`.
  FloatMatrix Encode(const ClipEncoder& encoder, Modality modality) {
    std::vector<ModelInput> inputs(3);
    const HostTensor& images = golden_.io.at("images");
    const HostTensor& ids = golden_.io.at("text_ids");
    const size_t image_size = images.values.size() / 3;
    for (int i = 0; i < 3; ++i) {
      inputs[i].modality = modality;
      if (modality == Modality::kImage) {
        inputs[i].features.assign(images.values.begin() + i * image_size,
                                  images.values.begin() + (i + 1) * image_size);
      } else {
        for (int j = 0; j < 77; ++j) inputs[i].ids.push_back(std::lround(ids.values[i * 77 + j]));
      }
    }
    std::vector<const ModelInput*> batch = {&inputs[0], &inputs[1], &inputs[2]};
    absl::StatusOr<FloatMatrix> out = encoder.Run(modality, batch);
    EXPECT_OK(out.status());
    return out.ok() ? *out : FloatMatrix();
  }

  static float MaxDiff(const FloatMatrix& got, const HostTensor& want) {
    EXPECT_EQ(got.data.size(), want.values.size());
    float max = 0;
    for (size_t i = 0; i < got.data.size() && i < want.values.size(); ++i) {
      max = std::max(max, std::abs(got.data[i] - want.values[i]));
    }
    return max;
  }

  // Embeddings and logits_per_image (scale * cosine) against the reference.
  void ExpectMatchesReference(const ClipEncoder& encoder, float tolerance) {
    const FloatMatrix images = Encode(encoder, Modality::kImage);
    const FloatMatrix texts = Encode(encoder, Modality::kText);
    EXPECT_LE(MaxDiff(images, golden_.io.at("image_embeddings")), tolerance);
    EXPECT_LE(MaxDiff(texts, golden_.io.at("text_embeddings")), tolerance);
    FloatMatrix a = images, b = texts;
    L2NormalizeRows(a);
    L2NormalizeRows(b);
    FloatMatrix logits(3, 3);
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j)
        logits.data[i * 3 + j] = encoder.logit_scale() * Dot(a.row(i), b.row(j));
    }
    // Logits are ~logit_scale (14.3 here) times a cosine: the tolerance scales with it.
    EXPECT_LE(MaxDiff(logits, golden_.io.at("logits_per_image")),
              tolerance * std::max(1.0f, encoder.logit_scale()));
  }

  static FloatMatrix ToMatrix(const HostTensor& t) {
    FloatMatrix m(t.shape.at(0), t.shape.at(1));
    m.data = t.values;
    return m;
  }

  // The weights through safetensors stored as `dtype`.
  TensorMap RoundTrip(DType dtype) {
    bytes_ = EncodeWeights(golden_.weights, dtype, {});
    absl::StatusOr<weights::SafetensorsFile> file = weights::ParseSafetensors(bytes_, "mem");
    EXPECT_OK(file.status());
    absl::StatusOr<TensorMap> t = TensorsFromSafetensors(*file, "mem");
    EXPECT_OK(t.status());
    return *t;
  }

  xmodal::testing::GoldenClip golden_;
  std::string bytes_;
};

TEST_F(ClipEncoderTest, InfersTheGoldenArchitecture) {
  ASSERT_OK_AND_ASSIGN(ClipShape s, InferClipShape(golden_.weights, 0, 2));
  EXPECT_EQ(s.embedding_dim, 32);
  EXPECT_EQ(s.architecture.image_size, 32);
  EXPECT_EQ(s.architecture.patch_size, 8);
  EXPECT_EQ(s.architecture.vision.width, 64);
  EXPECT_EQ(s.architecture.vision.layers, 2);
  EXPECT_EQ(s.architecture.vision.heads, 1);  // 64 / 64
  EXPECT_EQ(s.architecture.text.width, 32);
  EXPECT_EQ(s.architecture.text.layers, 2);
  EXPECT_EQ(s.architecture.text.heads, 2);
  EXPECT_EQ(s.architecture.context_length, 77);
  EXPECT_EQ(s.architecture.vocab_size, 49408);
  int64_t total = 0;
  for (const auto& [name, t] : golden_.weights) total += t.values.size();
  EXPECT_EQ(ParameterCount(s), total);
  EXPECT_TRUE(ExtraTensors(golden_.weights, s).empty());
}

TEST_F(ClipEncoderTest, TextWidthBelow64NeedsHeads) {
  EXPECT_THAT(InferClipShape(golden_.weights).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--text_heads")));
}

TEST_F(ClipEncoderTest, MatchesReferenceFromF32Safetensors) {
  ASSERT_OK_AND_ASSIGN(auto encoder, Build(RoundTrip(DType::kF32)));
  ExpectMatchesReference(*encoder, 1e-4f);
}

// bfloat16 arithmetic (architecture.compute): weights and activations lose 16 mantissa bits.
TEST_F(ClipEncoderTest, BFloat16ComputeStaysCloseToTheReference) {
  ASSERT_OK_AND_ASSIGN(auto encoder, Build(RoundTrip(DType::kF32), "bfloat16"));
  ExpectMatchesReference(*encoder, 5e-2f);
  FloatMatrix texts = Encode(*encoder, Modality::kText);
  FloatMatrix want = ToMatrix(golden_.io.at("text_embeddings"));
  L2NormalizeRows(texts);
  L2NormalizeRows(want);
  for (int i = 0; i < 3; ++i) EXPECT_GT(Dot(texts.row(i), want.row(i)), 0.999f) << i;
  EXPECT_THAT(Build(RoundTrip(DType::kF32), "float16").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("compute must be")));
}

TEST_F(ClipEncoderTest, MatchesReferenceAfterF16AndBf16RoundTrips) {
  ASSERT_OK_AND_ASSIGN(auto f16, Build(RoundTrip(DType::kF16)));
  ExpectMatchesReference(*f16, 1e-2f);
  ASSERT_OK_AND_ASSIGN(auto bf16, Build(RoundTrip(DType::kBF16)));
  ExpectMatchesReference(*bf16, 5e-2f);  // 8 mantissa bits instead of 11
}

TEST_F(ClipEncoderTest, MatchesReferenceFromHuggingFaceNaming) {
  TensorMap hf = xmodal::testing::ToHuggingFaceNaming(golden_.weights);
  ASSERT_EQ(hf.count("visual.conv1.weight"), 0u);
  ASSERT_EQ(hf.count("vision_model.encoder.layers.1.self_attn.k_proj.weight"), 1u);
  ASSERT_OK_AND_ASSIGN(auto encoder, Build(std::move(hf)));
  ExpectMatchesReference(*encoder, 1e-4f);
}

TEST_F(ClipEncoderTest, HuggingFaceLayerWithoutVIsRefused) {
  TensorMap hf = xmodal::testing::ToHuggingFaceNaming(golden_.weights);
  hf.erase("text_model.encoder.layers.0.self_attn.v_proj.bias");
  EXPECT_THAT(ToOpenAiNaming(hf), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("v_proj of 'transformer.resblocks.0.attn")));
}

TEST_F(ClipEncoderTest, TruncatesTheTextTowerAtTheLastEndToken) {
  // Padding after the end token cannot change a causal tower's output: fill it with ids.
  ASSERT_OK_AND_ASSIGN(auto encoder, Build(golden_.weights));
  HostTensor& ids = golden_.io.at("text_ids");
  for (int i = 0; i < 3; ++i) {
    bool after_end = false;
    for (int j = 0; j < 77; ++j) {
      if (after_end) ids.values[i * 77 + j] = 320;
      after_end = after_end || ids.values[i * 77 + j] == 49407;
    }
  }
  EXPECT_LE(MaxDiff(Encode(*encoder, Modality::kText), golden_.io.at("text_embeddings")), 1e-4f);
}

// A TorchScript archive with the weights as parameters under OpenAI's module paths, as
// OpenAI's released .pt files hold them (fp16).
void WriteTorchScriptArchive(const TensorMap& weights, const std::string& path) {
  torch::jit::Module root("__torch__.CLIP");
  std::map<std::string, torch::jit::Module> modules;  // by dotted path
  std::function<torch::jit::Module(const std::string&)> module_at =
      [&](const std::string& dotted) -> torch::jit::Module {
    if (dotted.empty()) return root;
    auto it = modules.find(dotted);
    if (it != modules.end()) return it->second;
    const size_t dot = dotted.rfind('.');
    torch::jit::Module parent = module_at(dot == std::string::npos ? "" : dotted.substr(0, dot));
    torch::jit::Module child("__torch__.M" + std::to_string(modules.size()));
    parent.register_module(dot == std::string::npos ? dotted : dotted.substr(dot + 1), child);
    modules.emplace(dotted, child);
    return child;
  };
  for (const auto& [name, t] : weights) {
    const size_t dot = name.rfind('.');
    at::Tensor value =
        torch::from_blob(const_cast<float*>(t.values.data()), t.shape, at::kFloat).to(at::kHalf);
    module_at(dot == std::string::npos ? "" : name.substr(0, dot))
        .register_parameter(dot == std::string::npos ? name : name.substr(dot + 1), value, false);
  }
  root.save(path);
}

TEST_F(ClipEncoderTest, ReadsOpenAiTorchScriptArchives) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("clip_pt_"));
  const std::string path = dir + "/ViT-tiny.pt";
  WriteTorchScriptArchive(golden_.weights, path);
  ASSERT_OK_AND_ASSIGN(TensorMap read, ReadWeightsFile(path));
  EXPECT_EQ(read.at("visual.conv1.weight").stored, DType::kF16);
  ASSERT_OK_AND_ASSIGN(auto encoder, Build(std::move(read)));
  ExpectMatchesReference(*encoder, 1e-2f);
}

TEST_F(ClipEncoderTest, ReadsStateDictsWrittenByLibTorch) {
  c10::Dict<std::string, at::Tensor> dict;
  for (const auto& [name, t] : golden_.weights) {
    dict.insert(name,
                torch::from_blob(const_cast<float*>(t.values.data()), t.shape, at::kFloat).clone());
  }
  dict.insert("position_ids", torch::arange(77));  // integers are skipped
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("clip_bin_"));
  const std::string path = dir + "/pytorch_model.bin";
  std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
  ASSERT_OK_AND_ASSIGN(TensorMap read, ReadWeightsFile(path));
  EXPECT_EQ(read.count("position_ids"), 0u);
  ASSERT_OK_AND_ASSIGN(auto encoder, Build(std::move(read)));
  ExpectMatchesReference(*encoder, 1e-4f);
}

// torch.save(collections.OrderedDict([("visual.proj", torch.tensor([[1., 2.], [3., 4.]]))]))
// by Debian's python3-torch 1.13: what every Python state_dict file is (torch_archive.h).
constexpr char kPythonStateDictFile[] =
    "\x50\x4b\x03\x04\x00\x00\x08\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00"
    "\x00\x00\x11\x00\x11\x00\x70\x79\x5f\x73\x6d\x61\x6c\x6c\x2f\x64\x61\x74\x61\x2e\x70\x6b\x6c"
    "\x46"
    "\x42\x0d\x00\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x80\x02\x63\x63\x6f\x6c\x6c"
    "\x65"
    "\x63\x74\x69\x6f\x6e\x73\x0a\x4f\x72\x64\x65\x72\x65\x64\x44\x69\x63\x74\x0a\x71\x00\x29\x52"
    "\x71"
    "\x01\x58\x0b\x00\x00\x00\x76\x69\x73\x75\x61\x6c\x2e\x70\x72\x6f\x6a\x71\x02\x63\x74\x6f\x72"
    "\x63"
    "\x68\x2e\x5f\x75\x74\x69\x6c\x73\x0a\x5f\x72\x65\x62\x75\x69\x6c\x64\x5f\x74\x65\x6e\x73\x6f"
    "\x72"
    "\x5f\x76\x32\x0a\x71\x03\x28\x28\x58\x07\x00\x00\x00\x73\x74\x6f\x72\x61\x67\x65\x71\x04\x63"
    "\x74"
    "\x6f\x72\x63\x68\x0a\x46\x6c\x6f\x61\x74\x53\x74\x6f\x72\x61\x67\x65\x0a\x71\x05\x58\x01\x00"
    "\x00"
    "\x00\x30\x71\x06\x58\x03\x00\x00\x00\x63\x70\x75\x71\x07\x4b\x04\x74\x71\x08\x51\x4b\x00\x4b"
    "\x02"
    "\x4b\x02\x86\x71\x09\x4b\x02\x4b\x01\x86\x71\x0a\x89\x68\x00\x29\x52\x71\x0b\x74\x71\x0c\x52"
    "\x71"
    "\x0d\x73\x2e\x50\x4b\x07\x08\x11\x4e\x9c\x38\xb3\x00\x00\x00\xb3\x00\x00\x00\x50\x4b\x03\x04"
    "\x00"
    "\x00\x08\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0f\x00"
    "\x10"
    "\x00\x70\x79\x5f\x73\x6d\x61\x6c\x6c\x2f\x64\x61\x74\x61\x2f\x30\x46\x42\x0c\x00\x5a\x5a\x5a"
    "\x5a"
    "\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40\x00\x00\x80"
    "\x40"
    "\x50\x4b\x07\x08\x54\x14\xa7\x8b\x10\x00\x00\x00\x10\x00\x00\x00\x50\x4b\x03\x04\x00\x00\x08"
    "\x08"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00\x32\x00\x70"
    "\x79"
    "\x5f\x73\x6d\x61\x6c\x6c\x2f\x76\x65\x72\x73\x69\x6f\x6e\x46\x42\x2e\x00\x5a\x5a\x5a\x5a\x5a"
    "\x5a"
    "\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a"
    "\x5a"
    "\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x5a\x33\x0a\x50\x4b\x07\x08\xd1"
    "\x9e"
    "\x67\x55\x02\x00\x00\x00\x02\x00\x00\x00\x50\x4b\x01\x02\x00\x00\x00\x00\x08\x08\x00\x00\x00"
    "\x00"
    "\x00\x00\x11\x4e\x9c\x38\xb3\x00\x00\x00\xb3\x00\x00\x00\x11\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x70\x79\x5f\x73\x6d\x61\x6c\x6c\x2f\x64\x61\x74\x61\x2e\x70"
    "\x6b"
    "\x6c\x50\x4b\x01\x02\x00\x00\x00\x00\x08\x08\x00\x00\x00\x00\x00\x00\x54\x14\xa7\x8b\x10\x00"
    "\x00"
    "\x00\x10\x00\x00\x00\x0f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x01\x00\x00"
    "\x70"
    "\x79\x5f\x73\x6d\x61\x6c\x6c\x2f\x64\x61\x74\x61\x2f\x30\x50\x4b\x01\x02\x00\x00\x00\x00\x08"
    "\x08"
    "\x00\x00\x00\x00\x00\x00\xd1\x9e\x67\x55\x02\x00\x00\x00\x02\x00\x00\x00\x10\x00\x00\x00\x00"
    "\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x60\x01\x00\x00\x70\x79\x5f\x73\x6d\x61\x6c\x6c\x2f\x76\x65"
    "\x72"
    "\x73\x69\x6f\x6e\x50\x4b\x06\x06\x2c\x00\x00\x00\x00\x00\x00\x00\x1e\x03\x2d\x00\x00\x00\x00"
    "\x00"
    "\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\xba\x00\x00"
    "\x00"
    "\x00\x00\x00\x00\xd2\x01\x00\x00\x00\x00\x00\x00\x50\x4b\x06\x07\x00\x00\x00\x00\x8c\x02\x00"
    "\x00"
    "\x00\x00\x00\x00\x01\x00\x00\x00\x50\x4b\x05\x06\x00\x00\x00\x00\x03\x00\x03\x00\xba\x00\x00"
    "\x00"
    "\xd2\x01\x00\x00\x00\x00";

TEST_F(ClipEncoderTest, PythonTorchSaveFilesAreRefusedSayingWhy) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("clip_py_"));
  const std::string path = dir + "/pytorch_model.bin";
  std::ofstream(path, std::ios::binary)
      .write(kPythonStateDictFile, sizeof(kPythonStateDictFile) - 1);
  EXPECT_THAT(ReadWeightsFile(path).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("torch.save state_dict written by Python"),
                             HasSubstr("safetensors"))));
}

TEST_F(ClipEncoderTest, ZipThatIsNeitherKindIsRefused) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("clip_zip_"));
  const std::string path = dir + "/model.pt";
  std::ofstream(path, std::ios::binary) << std::string("PK\x03\x04garbage", 11);
  EXPECT_THAT(ReadWeightsFile(path).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("neither a TorchScript module nor a torch.save state_dict")));
}

// Shapes that contradict one another, and missing tensors, name the tensor.
TEST_F(ClipEncoderTest, InconsistentWeightsNameTheTensor) {
  TensorMap missing = golden_.weights;
  missing.erase("visual.transformer.resblocks.1.mlp.c_proj.bias");
  EXPECT_THAT(
      InferClipShape(missing, 1, 2).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("missing tensor 'visual.transformer.resblocks.1.mlp.c_proj.bias'")));
  TensorMap bad = golden_.weights;
  bad.at("text_projection").shape = {32, 16};
  bad.at("text_projection").values.resize(32 * 16);
  EXPECT_THAT(
      InferClipShape(bad, 1, 2).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("tensor 'text_projection' has shape [32, 16], expected [32, 32]")));
  TensorMap grid = golden_.weights;
  grid.at("visual.positional_embedding").shape = {18, 64};
  grid.at("visual.positional_embedding").values.resize(18 * 64);
  EXPECT_THAT(InferClipShape(grid, 1, 2).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'visual.positional_embedding' has 18 positions")));
  TensorMap resnet = golden_.weights;
  resnet["visual.layer1.0.conv1.weight"] = HostTensor{{1}, {0.0f}};
  EXPECT_THAT(InferClipShape(resnet, 1, 2).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ResNet image tower")));
}

}  // namespace
}  // namespace xmodal::model::clip
