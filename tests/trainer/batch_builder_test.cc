#include "trainer/train/batch_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/model/audio_preprocess.h"
#include "core/model/log_mel.h"
#include "testing/status_matchers.h"
#include "tests/trainer/sine_tone.h"
#include "trainer/train/recipe.h"

namespace xmodal::train {
namespace {

// Five stamps: solid colour images; stamps 0 and 1 share group 0; stamps 1 and 3 have a sound
// effect; stamps 0, 2 and 3 have spoken clips.
TrainingData SyntheticData() {
  TrainingData data;
  for (int i = 0; i < 5; ++i) {
    TrainingStamp s;
    s.name = "stamp" + std::to_string(i);
    s.group = std::max(0, i - 1);  // groups 0, 0, 1, 2, 3
    media::Image image{80, 60, std::vector<uint8_t>(80 * 60 * 3)};
    for (size_t p = 0; p < image.rgb.size(); ++p)
      image.rgb[p] = static_cast<uint8_t>(40 * i + p % 3);
    s.image = MakeTrainingImage(image, 64);
    s.texts = {{"en", "A thing number " + std::to_string(i) + "."}, {"fr", "Une chose."}};
    if (i == 1 || i == 3) s.sound = SineTone(300 + 100 * i, 1.5);
    if (i == 0 || i == 2 || i == 3) s.speech = {SineTone(500, 0.7), SineTone(700, 2.5)};
    data.stamps.push_back(std::move(s));
  }
  data.with_sound = {1, 3};
  data.with_speech = {0, 2, 3};
  return data;
}

TEST(EpochSampleTest, EachEpochIsAPermutation) {
  std::vector<int> seen;
  for (int64_t step = 0; step < 7; ++step) {
    for (int i : EpochSample(7, 3, step, 99)) seen.push_back(i);
  }
  ASSERT_EQ(seen.size(), 21u);
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::set<int> unique(seen.begin() + epoch * 7, seen.begin() + epoch * 7 + 7);
    EXPECT_EQ(unique.size(), 7u) << "epoch " << epoch;
  }
  EXPECT_EQ(EpochSample(7, 3, 4, 99), EpochSample(7, 3, 4, 99));
  EXPECT_NE(EpochSample(100, 10, 0, 1), EpochSample(100, 10, 0, 2));
}

TEST(BatchBuilderTest, ShapesAndPairings) {
  const TrainingData data = SyntheticData();
  const model::ModelManifest manifest = MakeManifest(TinyConfig());
  BatchBuilder builder(data, manifest, {.batch = 4, .sound_batch = 3}, 7, 2);
  ASSERT_OK_AND_ASSIGN(const StepBatch b, builder.Build(0));
  const int64_t size = manifest.image->size;
  const int64_t context = manifest.text->tokenizer.context_length;
  const int64_t frames = model::SegmentFrames(*manifest.audio);
  EXPECT_EQ(b.audio_frames, frames);
  EXPECT_EQ(b.rows, 4);
  EXPECT_EQ(b.images.size(), static_cast<size_t>(4 * 3 * size * size));
  EXPECT_EQ(b.text_ids.size(), static_cast<size_t>(4 * context));
  EXPECT_EQ(b.speech.size(), b.speech_rows.size() * manifest.audio->n_mels * frames);
  EXPECT_EQ(b.sound_rows, 3);
  EXPECT_EQ(b.sounds.size(), static_cast<size_t>(3 * manifest.audio->n_mels * frames));
  EXPECT_EQ(b.sound_images.size(), static_cast<size_t>(3 * 3 * size * size));
  EXPECT_EQ(b.sound_text_ids.size(), static_cast<size_t>(3 * context));
  // Sound rows come from stamps 1 and 3 only (groups 0 and 2).
  for (int64_t g : b.sound_groups) EXPECT_TRUE(g == 0 || g == 2) << g;
  // Every text row starts with real n-gram ids and ends padded.
  for (int64_t r = 0; r < b.rows; ++r) {
    EXPECT_GT(b.text_ids[r * context], 0);
    EXPECT_EQ(b.text_ids[r * context + context - 1], 0);
  }
  for (float v : b.speech) ASSERT_TRUE(std::isfinite(v));
}

TEST(BatchBuilderTest, SpeechRowsAreTheRowsWhoseStampSpeaks) {
  const TrainingData data = SyntheticData();
  const model::ModelManifest manifest = MakeManifest(TinyConfig());
  BatchBuilder builder(data, manifest, {.batch = 5, .sound_batch = 0}, 3, 1);
  ASSERT_OK_AND_ASSIGN(const StepBatch b, builder.Build(0));
  // One epoch: every stamp once; three of them have speech.
  EXPECT_EQ(b.speech_rows.size(), 3u);
  EXPECT_EQ(b.sound_rows, 0);
  std::multiset<int64_t> groups(b.groups.begin(), b.groups.end());
  EXPECT_EQ(groups.count(0), 2u);  // stamps 0 and 1 share group 0
}

// The clean view of a clip is its first segment as core/model cuts it (what the speech memory
// stores), the same whenever the clip is drawn again (it is kept after the first time).
TEST(BatchBuilderTest, CleanSpeechIsTheFirstSegmentEveryTimeItIsDrawn) {
  const TrainingData data = SyntheticData();
  const model::ModelManifest manifest = MakeManifest(TinyConfig());
  const model::LogMel mel(*manifest.audio);
  BatchBuilder builder(data, manifest, {.batch = 5, .sound_batch = 0, .speech_per_row = 2}, 3, 2);
  // Stamps 0, 2 and 3 speak the same two clips; the 0.7 s tone is one segment.
  ASSERT_OK_AND_ASSIGN(std::vector<model::ModelInput> cut,
                       model::PreprocessAudio(*manifest.audio, mel, data.stamps[0].speech[0]));
  const std::vector<float>& short_tone = cut.front().features;
  const int64_t values = builder.audio_values();
  for (int64_t step : {0, 1, 2}) {  // every stamp every step: each clip is drawn three times
    ASSERT_OK_AND_ASSIGN(const StepBatch b, builder.Build(step));
    ASSERT_EQ(b.speech_clean.size(), b.speech.size());
    int matches = 0;
    for (size_t k = 0; k < b.speech_rows.size(); ++k) {
      const std::vector<float> row(b.speech_clean.begin() + k * values,
                                   b.speech_clean.begin() + (k + 1) * values);
      if (row == short_tone) ++matches;
    }
    EXPECT_EQ(matches, 3) << "step " << step;  // the short tone of each speaking stamp
  }
}

TEST(BatchBuilderTest, DeterministicWhateverTheThreadCount) {
  const TrainingData data = SyntheticData();
  const model::ModelManifest manifest = MakeManifest(TinyConfig());
  BatchBuilder one(data, manifest, {.batch = 4, .sound_batch = 2}, 5, 1);
  BatchBuilder three(data, manifest, {.batch = 4, .sound_batch = 2}, 5, 3);
  for (int64_t step : {0, 1, 9}) {
    ASSERT_OK_AND_ASSIGN(const StepBatch a, one.Build(step));
    ASSERT_OK_AND_ASSIGN(const StepBatch b, three.Build(step));
    EXPECT_EQ(a.images, b.images);
    EXPECT_EQ(a.text_ids, b.text_ids);
    EXPECT_EQ(a.speech, b.speech);
    EXPECT_EQ(a.sounds, b.sounds);
    EXPECT_EQ(a.groups, b.groups);
  }
  ASSERT_OK_AND_ASSIGN(const StepBatch s0, one.Build(0));
  ASSERT_OK_AND_ASSIGN(const StepBatch s1, one.Build(1));
  EXPECT_NE(s0.images, s1.images);
}

}  // namespace
}  // namespace xmodal::train
