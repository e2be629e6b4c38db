#include "trainer/train/training_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/base/file_util.h"
#include "testing/status_matchers.h"
#include "trainer/corpus/splits.h"

namespace xmodal::train {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

std::string WritePng(const std::string& path, int w, int h) {
  media::Image image{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3, 200)};
  EXPECT_OK(WriteFileAtomically(path, *media::EncodePng(image)));
  return path;
}

std::string WriteWav(const std::string& path, int rate, double seconds) {
  media::Audio a{rate, std::vector<float>(static_cast<size_t>(rate * seconds))};
  for (size_t i = 0; i < a.samples.size(); ++i) {
    a.samples[i] = 0.3f * static_cast<float>(std::sin(2 * std::numbers::pi * 440 * i / rate));
  }
  EXPECT_OK(WriteFileAtomically(path, *media::EncodeAudio(a, media::AudioContainer::kWav)));
  return path;
}

// Two stamps written to a temp directory; the second one's image is corrupt.
corpus::StampCorpus SyntheticCorpus(const std::string& dir) {
  corpus::StampCorpus c;
  c.root = dir;
  corpus::Stamp lion;
  lion.name = "lion";
  lion.image_path = WritePng(dir + "/lion.png", 400, 300);
  lion.descriptions = {{"en", "A lion."},    {"fr", "Un lion."}, {"pt", "Um leão."},
                       {"en_GB", "A lion."}, {"uk", "Лев."},     {"sr@latin", "Lav."}};
  lion.sound_path = WriteWav(dir + "/lion.wav", 44100, 1.0);
  lion.spoken = {{"en", WriteWav(dir + "/lion_desc.wav", 22050, 0.5)},
                 {"pt_BR", WriteWav(dir + "/lion_desc_pt_BR.wav", 22050, 0.5)},
                 {"ru", dir + "/missing_desc_ru.ogg"}};
  lion.group = 0;
  c.stamps.push_back(lion);
  corpus::Stamp broken;
  broken.name = "broken";
  broken.image_path = dir + "/broken.png";
  EXPECT_OK(WriteFileAtomically(broken.image_path, "not a png"));
  broken.descriptions = {{"en", "Broken."}};
  broken.group = 1;
  c.stamps.push_back(broken);
  c.num_groups = 2;
  return c;
}

TEST(TrainingDataTest, LoadsResamplesAndLeavesHeldOutLanguagesOut) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("training_data_"));
  const corpus::StampCorpus c = SyntheticCorpus(dir);
  ASSERT_OK_AND_ASSIGN(const TrainingData data,
                       LoadTrainingData(c, {.image_side = 64, .threads = 2}));
  ASSERT_EQ(data.stamps.size(), 1u);  // the broken image dropped its stamp
  const TrainingStamp& lion = data.stamps[0];
  EXPECT_EQ(lion.name, "lion");
  // Held-out languages dropped; the duplicate en_GB text is kept once.
  ASSERT_EQ(lion.texts.size(), 2u);
  EXPECT_EQ(lion.texts[0].lang, "en");
  EXPECT_EQ(lion.texts[1].lang, "fr");
  EXPECT_EQ(data.held_out_texts_dropped, 3);
  // Image shrunk to a shorter side of 64 with its mask.
  EXPECT_EQ(lion.image.image.height, 64);
  EXPECT_EQ(lion.image.image.width, 85);
  EXPECT_EQ(lion.image.background.size(), 85u * 64u);
  // Audio at the model rate; the pt_BR clip left out, the missing one a failure.
  ASSERT_TRUE(lion.sound.has_value());
  EXPECT_EQ(lion.sound->sample_rate, 16000);
  EXPECT_NEAR(static_cast<double>(lion.sound->samples.size()), 16000, 50);
  ASSERT_EQ(lion.speech.size(), 1u);
  EXPECT_NEAR(static_cast<double>(lion.speech[0].samples.size()), 8000, 50);
  EXPECT_EQ(data.failures, 2);  // broken.png and the missing ru clip
  EXPECT_EQ(data.with_sound, std::vector<int>{0});
  EXPECT_EQ(data.with_speech, std::vector<int>{0});
}

TEST(TrainingDataTest, NoLoadableStampIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("training_data_"));
  corpus::StampCorpus c = SyntheticCorpus(dir);
  c.stamps.erase(c.stamps.begin());
  EXPECT_THAT(LoadTrainingData(c, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no stamp of the corpus")));
}

TEST(TrainingDataTest, RealCorpusSliceHasNoHeldOutText) {
  absl::StatusOr<corpus::StampCorpus> c = corpus::ReadStampCorpus();
  if (!c.ok()) GTEST_SKIP() << "the stamp corpus is not installed: " << c.status();
  c->stamps.resize(std::min<size_t>(c->stamps.size(), 6));
  ASSERT_OK_AND_ASSIGN(const TrainingData data, LoadTrainingData(*c, {.threads = 2}));
  EXPECT_EQ(data.stamps.size(), 6u);
  for (const TrainingStamp& s : data.stamps) {
    ASSERT_FALSE(s.texts.empty());
    EXPECT_EQ(s.texts[0].lang, "en");
    for (const TrainingText& t : s.texts) EXPECT_FALSE(corpus::IsHeldOutLanguage(t.lang)) << t.lang;
  }
  EXPECT_GT(data.held_out_texts_dropped, 0);
}

}  // namespace
}  // namespace xmodal::train
