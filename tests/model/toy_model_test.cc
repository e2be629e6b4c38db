// The toy-rgb package's semantics that engine, server and integration tests rely on:
// red / green / blue texts, images and tones land on axes 0 / 1 / 2.
#include "testing/toy_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "core/base/file_util.h"
#include "core/model/log_mel.h"
#include "core/model/model.h"
#include "testing/status_matchers.h"

namespace xmodal::testing {
namespace {

using model::Model;
using model::ModelInput;

class ToyModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::string> dir = MakeTempDirectory("toy_model_test_");
    ASSERT_OK(dir);
    ASSERT_OK(WriteToyModelPackage(*dir));
    absl::StatusOr<std::unique_ptr<Model>> m = Model::Load(*dir);
    ASSERT_OK(m);
    model_ = m->release();
  }
  static void TearDownTestSuite() { delete model_; }

  static std::vector<float> Embed(const ModelInput& in) {
    const ModelInput* batch[] = {&in};
    absl::StatusOr<FloatMatrix> out = model_->Encode(in.modality, batch);
    EXPECT_OK(out);
    if (!out.ok()) return std::vector<float>(8, 0.0f);
    return out->data;
  }

  static Model* model_;
};

Model* ToyModelTest::model_ = nullptr;

media::Audio Tone(double hz) {
  media::Audio a{16000, std::vector<float>(16000)};
  for (size_t i = 0; i < a.samples.size(); ++i) {
    a.samples[i] = 0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * i / 16000));
  }
  return a;
}

TEST_F(ToyModelTest, ColourWordsLandOnTheirAxes) {
  const std::vector<std::pair<std::string, int>> cases = {
      {"red car", 0}, {"Red", 0}, {"green tree", 1}, {"blue sky", 2}};
  for (const auto& [text, axis] : cases) {
    ASSERT_OK_AND_ASSIGN(ModelInput in, model_->PrepareText(text));
    EXPECT_NEAR(Embed(in)[axis], 1.0f, 1e-6) << text;
  }
  // Other first letters live in dims 3..7, orthogonal to the colours.
  ASSERT_OK_AND_ASSIGN(ModelInput other, model_->PrepareText("a yellow taxi"));
  const std::vector<float> e = Embed(other);
  EXPECT_EQ(e[0], 0.0f);
  EXPECT_EQ(e[1], 0.0f);
  EXPECT_EQ(e[2], 0.0f);
}

TEST_F(ToyModelTest, SolidImagesLandOnTheirColourAxes) {
  for (int axis = 0; axis < 3; ++axis) {
    media::Image img{20, 10, {}};
    for (int i = 0; i < 200; ++i) {
      for (int c = 0; c < 3; ++c) img.rgb.push_back(c == axis ? 230 : 10);
    }
    ASSERT_OK_AND_ASSIGN(ModelInput in, model_->PrepareImage(img));
    EXPECT_GT(Embed(in)[axis], 0.98f) << "axis " << axis;
  }
}

TEST_F(ToyModelTest, TonesLandInTheirMelBandsAndOnTheirAxes) {
  const model::LogMel mel(*model_->manifest().audio);
  const std::vector<std::pair<double, int>> cases = {{300.0, 0}, {1500.0, 1}, {5000.0, 2}};
  for (const auto& [hz, axis] : cases) {
    // The tone's strongest mel band is in the group of 8 bands that feeds `axis`.
    const std::vector<float> f = mel.Compute(Tone(hz).samples);
    const int64_t frames = mel.Frames(16000);
    int peak = 0;
    double peak_sum = -1e30;
    for (int m = 0; m < 24; ++m) {
      double sum = 0;
      for (int64_t t = 0; t < frames; ++t) sum += f[m * frames + t];
      if (sum > peak_sum) peak_sum = sum, peak = m;
    }
    EXPECT_EQ(peak / 8, axis) << hz << " Hz peaks in band " << peak;
    ASSERT_OK_AND_ASSIGN(std::vector<ModelInput> in, model_->PrepareAudio(Tone(hz)));
    ASSERT_EQ(in.size(), 1u);
    const std::vector<float> e = Embed(in[0]);
    for (int d = 0; d < 3; ++d) {
      if (d == axis) {
        EXPECT_GT(e[d], 0.95f) << hz << " Hz";
      } else {
        EXPECT_LT(e[d], 0.1f) << hz << " Hz, axis " << d;
      }
    }
  }
}

TEST(ToyModelPackageTest, WritesTheDocumentedManifest) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("toy_manifest_"));
  ASSERT_OK(WriteToyModelPackage(dir, {.name = "toy-x", .version = "7"}));
  ASSERT_OK_AND_ASSIGN(std::string json, ReadFile(dir + "/model.json"));
  ASSERT_OK_AND_ASSIGN(model::ModelManifest m, model::ModelManifest::Parse(json));
  EXPECT_EQ(m.name, "toy-x");
  EXPECT_EQ(m.version, "7");
  EXPECT_EQ(m.embedding_dim, 8);
  EXPECT_EQ(m.text->tokenizer.context_length, 32);
  EXPECT_EQ(m.text->max_bytes, 256);
  EXPECT_EQ(m.image->size, 16);
  EXPECT_EQ(m.image->resize, "stretch");
  EXPECT_EQ(m.audio->n_mels, 24);
  EXPECT_DOUBLE_EQ(m.audio->segment_seconds, 1.0);
}

TEST(ToyModelPackageTest, SameOptionsGiveTheSamePin) {
  ASSERT_OK_AND_ASSIGN(std::string a, MakeTempDirectory("toy_pin_a_"));
  ASSERT_OK_AND_ASSIGN(std::string b, MakeTempDirectory("toy_pin_b_"));
  ASSERT_OK(WriteToyModelPackage(a));
  ASSERT_OK(WriteToyModelPackage(b));
  ASSERT_OK_AND_ASSIGN(model::ModelPin pin_a, model::ComputeModelPin(a));
  ASSERT_OK_AND_ASSIGN(model::ModelPin pin_b, model::ComputeModelPin(b));
  EXPECT_EQ(pin_a, pin_b);
}

}  // namespace
}  // namespace xmodal::testing
