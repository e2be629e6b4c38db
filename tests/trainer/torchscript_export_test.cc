#include "trainer/train/torchscript_export.h"

#include <gtest/gtest.h>
#include <torch/script.h>

#include <cmath>
#include <numbers>

#include "core/base/file_util.h"
#include "core/model/model.h"
#include "testing/status_matchers.h"

namespace xmodal::train {
namespace {

using ::testing::HasSubstr;

constexpr double kTolerance = 1e-4;

double MaxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

torch::Tensor ToTensor(const FloatMatrix& m) {
  return torch::from_blob(const_cast<float*>(m.data.data()), {m.rows, m.cols}, torch::kFloat)
      .clone();
}

class TorchScriptExportTest : public ::testing::TestWithParam<bool> {
 protected:
  ModelConfig Config() const { return GetParam() ? TinyConfig() : ModelConfig(); }
};

// The exported TorchScript computes what the training-time towers compute.
TEST_P(TorchScriptExportTest, ExportedModulesMatchTheTowers) {
  torch::manual_seed(5);
  Towers towers(Config());
  const ModelConfig& c = towers->config();
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("export_"));
  ASSERT_OK(WriteModelFiles(*towers, dir));

  torch::NoGradGuard no_grad;
  torch::Tensor ids = torch::randint(1, c.buckets + 1, {4, c.context_length}, torch::kLong);
  ids.index_put_({torch::indexing::Slice(), torch::indexing::Slice(c.context_length / 3)}, 0);
  const torch::Tensor images = torch::randn({3, 3, c.image_size, c.image_size});
  const torch::Tensor audio = torch::randn({2, c.n_mels, 201}) * 3 - 4;
  torch::jit::Module text = torch::jit::load(dir + "/text.pt");
  torch::jit::Module image = torch::jit::load(dir + "/image.pt");
  torch::jit::Module sound = torch::jit::load(dir + "/audio.pt");
  EXPECT_LT(MaxAbsDiff(text.forward({ids}).toTensor(), towers->EncodeText(ids)), kTolerance);
  EXPECT_LT(MaxAbsDiff(image.forward({images}).toTensor(), towers->EncodeImage(images)),
            kTolerance);
  EXPECT_LT(MaxAbsDiff(sound.forward({audio}).toTensor(), towers->EncodeAudio(audio)), kTolerance);
}

// Through the serving model: inputs prepared by core/model, encoded by the package, equal the
// towers' embeddings of the same prepared inputs.
TEST_P(TorchScriptExportTest, ServingModelMatchesTheTowersOnPreparedInputs) {
  torch::manual_seed(6);
  Towers towers(Config());
  const ModelConfig& c = towers->config();
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("export_"));
  ASSERT_OK(WriteModelFiles(*towers, dir));
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<model::Model> model, model::Model::Load(dir));
  EXPECT_EQ(model->manifest().embedding_dim, c.dim);
  EXPECT_EQ(model->manifest().ToJson(), MakeManifest(c).ToJson());

  ASSERT_OK_AND_ASSIGN(const model::ModelInput text, model->PrepareText("Un león."));
  media::Image picture{90, 70, std::vector<uint8_t>(90 * 70 * 3)};
  for (size_t i = 0; i < picture.rgb.size(); ++i) picture.rgb[i] = static_cast<uint8_t>(i * 7);
  ASSERT_OK_AND_ASSIGN(const model::ModelInput img, model->PrepareImage(picture));
  media::Audio tone{22050, std::vector<float>(22050 * 3)};
  for (size_t i = 0; i < tone.samples.size(); ++i) {
    tone.samples[i] = 0.4f * static_cast<float>(std::sin(2 * std::numbers::pi * 330 * i / 22050.0));
  }
  ASSERT_OK_AND_ASSIGN(const std::vector<model::ModelInput> segments, model->PrepareAudio(tone));
  ASSERT_GE(segments.size(), 1u);

  const model::ModelInput* text_in[] = {&text};
  const model::ModelInput* image_in[] = {&img};
  const model::ModelInput* audio_in[] = {&segments[0]};
  ASSERT_OK_AND_ASSIGN(const FloatMatrix te, model->Encode(Modality::kText, text_in));
  ASSERT_OK_AND_ASSIGN(const FloatMatrix ie, model->Encode(Modality::kImage, image_in));
  ASSERT_OK_AND_ASSIGN(const FloatMatrix ae, model->Encode(Modality::kAudio, audio_in));

  torch::NoGradGuard no_grad;
  const torch::Tensor ids = torch::tensor(text.ids, torch::kLong).unsqueeze(0);
  const torch::Tensor x = torch::tensor(img.features).reshape({1, 3, c.image_size, c.image_size});
  const torch::Tensor a = torch::tensor(segments[0].features).reshape({1, c.n_mels, -1});
  EXPECT_LT(MaxAbsDiff(ToTensor(te), towers->EncodeText(ids)), kTolerance);
  EXPECT_LT(MaxAbsDiff(ToTensor(ie), towers->EncodeImage(x)), kTolerance);
  EXPECT_LT(MaxAbsDiff(ToTensor(ae), towers->EncodeAudio(a)), kTolerance);
}

// With a speech memory, the exported audio module computes ApplySpeechMemory over the
// towers' embedding and fingerprint; a stored recording takes its stamp's value.
TEST_P(TorchScriptExportTest, ExportedAudioAppliesTheSpeechMemory) {
  torch::manual_seed(7);
  Towers towers(Config());
  const ModelConfig& c = towers->config();
  torch::NoGradGuard no_grad;
  const torch::Tensor probe = torch::randn({3, c.n_mels, 201}) * 3 - 4;
  const auto [emb, fp] = towers->EncodeAudioAndFingerprint(probe);
  SpeechMemory memory;
  memory.keys = fp.narrow(0, 0, 1).to(torch::kHalf).to(torch::kFloat);  // probe 0, stamp 1
  memory.stamp = torch::tensor(std::vector<int64_t>{1}, torch::kLong);
  memory.values = NormalizeRows(torch::randn({2, c.dim}));
  memory.calibration.threshold = 0.9;
  memory.gate_slope = 200;
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("export_"));
  ASSERT_OK(WriteModelFiles(*towers, dir, &memory));
  torch::jit::Module sound = torch::jit::load(dir + "/audio.pt");

  const torch::Tensor exported = sound.forward({probe}).toTensor();
  EXPECT_LT(MaxAbsDiff(exported, ApplySpeechMemory(memory, emb, fp)), kTolerance);
  EXPECT_GT(exported[0].dot(memory.values[1]).item<double>(), 0.999);
}

INSTANTIATE_TEST_SUITE_P(Configs, TorchScriptExportTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Tiny" : "Default"; });

TEST(TowerScriptTest, SourcesUseOnlyWhatDefineAccepts) {
  const ModelConfig c;
  const std::string image = TowerScript(c, "image");
  EXPECT_THAT(image,
              HasSubstr("torch.conv2d(h, self.image_c0_w, self.image_c0_b, [2, 2], [1, 1])"));
  EXPECT_THAT(image, HasSubstr("torch.group_norm(h, 8, self.image_g3_w"));
  EXPECT_THAT(TowerScript(c, "audio"), HasSubstr("(x.float() + 4) * 0.25"));
  EXPECT_THAT(TowerScript(c, "text"), HasSubstr("index_select(0, ids.reshape([-1]))"));
  for (const char* tower : {"text", "image", "audio"}) {
    const std::string s = TowerScript(c, tower);
    EXPECT_EQ(s.find("torch.nn.functional"), std::string::npos) << tower;
    EXPECT_EQ(s.find("torch.float32"), std::string::npos) << tower;
    EXPECT_EQ(s.find("dim="), std::string::npos) << tower;
  }
}

TEST(SaveTowerTest, UnwritablePathIsInternal) {
  torch::manual_seed(0);
  Towers towers(TinyConfig());
  EXPECT_THAT(SaveTower(*towers, "text", "/nonexistent-dir/text.pt"),
              xmodal::testing::StatusIs(absl::StatusCode::kInternal, HasSubstr("text tower")));
}

}  // namespace
}  // namespace xmodal::train
