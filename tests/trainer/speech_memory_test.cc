#include "trainer/train/speech_memory.h"

#include <gtest/gtest.h>

#include <cmath>

#include "testing/status_matchers.h"
#include "tests/trainer/sine_tone.h"
#include "trainer/train/recipe.h"

namespace xmodal::train {
namespace {

torch::Tensor Rows(std::vector<std::vector<float>> rows) {
  std::vector<torch::Tensor> out;
  for (auto& r : rows) out.push_back(torch::tensor(r));
  return torch::stack(out);
}

// Keys e0 (stamp 1) and e1 (stamp 0) in 3-D; values are two unit vectors of dim 2.
SpeechMemory HandMadeMemory() {
  SpeechMemory m;
  m.keys = Rows({{1, 0, 0}, {0, 1, 0}});
  m.stamp = torch::tensor(std::vector<int64_t>{1, 0}, torch::kLong);
  m.values = Rows({{1, 0}, {0, 1}});
  m.calibration.threshold = 0.8;
  m.gate_slope = 200;
  return m;
}

TEST(ApplySpeechMemoryTest, AStoredFingerprintTakesItsStampsValue) {
  const SpeechMemory m = HandMadeMemory();
  const torch::Tensor embedding = Rows({{0.6f, 0.8f}, {0.6f, 0.8f}});
  const torch::Tensor out = ApplySpeechMemory(m, embedding, Rows({{1, 0, 0}, {0, 1, 0}}));
  EXPECT_TRUE(torch::allclose(out, Rows({{0, 1}, {1, 0}}), 1e-4, 1e-4)) << out;
}

TEST(ApplySpeechMemoryTest, AnUnknownFingerprintKeepsTheTowersEmbedding) {
  const SpeechMemory m = HandMadeMemory();
  const torch::Tensor embedding = Rows({{0.6f, 0.8f}});
  const torch::Tensor out = ApplySpeechMemory(m, embedding, Rows({{0, 0, 1}}));
  EXPECT_TRUE(torch::allclose(out, embedding, 1e-4, 1e-4)) << out;
}

TEST(ApplySpeechMemoryTest, OutputRowsAreUnit) {
  const SpeechMemory m = HandMadeMemory();
  const float s = std::sqrt(0.5f);
  const torch::Tensor out =
      ApplySpeechMemory(m, Rows({{1, 0}, {0, 1}}), Rows({{s, s, 0}, {0.9f, 0, 0.43589f}}));
  EXPECT_TRUE(torch::allclose(out.norm(2, {1}), torch::ones({2}), 1e-5, 1e-5));
}

TrainingData ThreeStamps() {
  TrainingData data;
  for (int s = 0; s < 3; ++s) {
    media::Image image{40, 40, std::vector<uint8_t>(40 * 40 * 3, static_cast<uint8_t>(60 * s))};
    TrainingStamp stamp;
    stamp.name = "stamp" + std::to_string(s);
    stamp.group = s;
    stamp.image = MakeTrainingImage(image, 40);
    stamp.texts = {{"en", "thing " + std::to_string(s)}};
    if (s != 1) stamp.speech.push_back(SineTone(300 + 200 * s, 0.8));
    if (s == 2) stamp.speech.push_back(SineTone(1500, 2.5));  // two segments of a 1 s model
    if (s == 0) stamp.sound = SineTone(3000, 0.5);
    data.stamps.push_back(std::move(stamp));
  }
  return data;
}

TEST(BuildSpeechMemoryTest, StoresEverySegmentWithItsStampsImageEmbedding) {
  torch::manual_seed(3);
  Towers towers(TinyConfig());
  const model::ModelManifest manifest = MakeManifest(towers->config());
  const TrainingData data = ThreeStamps();
  ASSERT_OK_AND_ASSIGN(const SpeechMemory m, BuildSpeechMemory(*towers, data, manifest, 1, 2));
  EXPECT_EQ(m.calibration.recordings, 3);
  // 0.8 s -> 1 segment each; 2.5 s -> 2 full segments + a partial one of 0.5 s (>= 1/4).
  ASSERT_EQ(m.size(), 5);
  EXPECT_TRUE(torch::equal(m.stamp, torch::tensor(std::vector<int64_t>{0, 2, 2, 2, 2})));
  EXPECT_EQ(m.keys.size(1), towers->config().fingerprint_dim);
  EXPECT_TRUE(torch::allclose(m.keys.norm(2, {1}), torch::ones({5}), 1e-3, 1e-3));
  EXPECT_TRUE(torch::equal(m.keys, m.keys.to(torch::kHalf).to(torch::kFloat)));
  ASSERT_EQ(m.values.size(0), 3);
  EXPECT_EQ(m.values.size(1), towers->config().dim);
  EXPECT_GT(m.gate_slope, 0);
  EXPECT_GE(m.gate_slope, 10);
  EXPECT_LE(m.gate_slope, 200);
  EXPECT_NEAR(m.calibration.threshold,
              (m.calibration.matched_p05 + m.calibration.unmatched_p95) / 2, 1e-9);
}

TEST(BuildSpeechMemoryTest, NoSpokenClipsGiveAnEmptyMemory) {
  torch::manual_seed(3);
  Towers towers(TinyConfig());
  TrainingData data = ThreeStamps();
  for (TrainingStamp& s : data.stamps) s.speech.clear();
  ASSERT_OK_AND_ASSIGN(const SpeechMemory m,
                       BuildSpeechMemory(*towers, data, MakeManifest(towers->config()), 1, 1));
  EXPECT_EQ(m.size(), 0);
  EXPECT_EQ(m.calibration.recordings, 0);
}

}  // namespace
}  // namespace xmodal::train
