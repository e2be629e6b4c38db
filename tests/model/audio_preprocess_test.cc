#include "core/model/audio_preprocess.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <ostream>
#include <vector>

#include "testing/status_matchers.h"

namespace xmodal::model {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

// The toy model's audio spec: 16 kHz, 1 s segments every 1 s, 24 mels.
AudioSpec ToySpec() {
  AudioSpec s;
  s.sample_rate = 16000;
  s.n_mels = 24;
  s.segment_seconds = 1.0;
  s.segment_hop_seconds = 1.0;
  return s;
}

media::Audio Tone(double seconds, int rate, double hz = 440.0) {
  media::Audio a;
  a.sample_rate = rate;
  a.samples.resize(static_cast<size_t>(std::llround(seconds * rate)));
  for (size_t i = 0; i < a.samples.size(); ++i) {
    a.samples[i] = 0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * i / rate));
  }
  return a;
}

TEST(PlanSegmentsTest, FullSegmentsThenAPartialOneOfAtLeastAQuarter) {
  EXPECT_THAT(PlanSegments(0, 100, 100), ElementsAre());
  EXPECT_THAT(PlanSegments(30, 100, 100), ElementsAre(SegmentSpan{0, 30}));  // only partial
  EXPECT_THAT(PlanSegments(100, 100, 100), ElementsAre(SegmentSpan{0, 100}));
  EXPECT_THAT(PlanSegments(124, 100, 100), ElementsAre(SegmentSpan{0, 100}));  // 24 < 25
  EXPECT_THAT(PlanSegments(125, 100, 100), ElementsAre(SegmentSpan{0, 100}, SegmentSpan{100, 125}));
  // Overlapping segments (hop 50): full ones at 0, 50, 100, then one partial at 150.
  EXPECT_THAT(PlanSegments(210, 100, 50),
              ElementsAre(SegmentSpan{0, 100}, SegmentSpan{50, 150}, SegmentSpan{100, 200},
                          SegmentSpan{150, 210}));
}

struct SegmentCase {
  double seconds;
  std::vector<std::pair<double, double>> spans;
};

void PrintTo(const SegmentCase& c, std::ostream* os) { *os << c.seconds << " s"; }

class ToySegmentsTest : public ::testing::TestWithParam<SegmentCase> {};

TEST_P(ToySegmentsTest, CountsStartsAndEnds) {
  const AudioSpec spec = ToySpec();
  const LogMel mel(spec);
  ASSERT_OK_AND_ASSIGN(std::vector<ModelInput> inputs,
                       PreprocessAudio(spec, mel, Tone(GetParam().seconds, 16000)));
  ASSERT_EQ(inputs.size(), GetParam().spans.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    EXPECT_EQ(inputs[i].modality, Modality::kAudio);
    EXPECT_DOUBLE_EQ(inputs[i].start_seconds, GetParam().spans[i].first);
    EXPECT_DOUBLE_EQ(inputs[i].end_seconds, GetParam().spans[i].second);
    EXPECT_EQ(inputs[i].features.size(), 24u * 101u);  // n_mels x (1 + 16000 / 160)
    EXPECT_TRUE(inputs[i].ids.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Clips, ToySegmentsTest,
                         ::testing::Values(SegmentCase{0.3, {{0.0, 0.3}}},
                                           SegmentCase{1.0, {{0.0, 1.0}}},
                                           SegmentCase{2.2, {{0.0, 1.0}, {1.0, 2.0}}},
                                           SegmentCase{2.6, {{0.0, 1.0}, {1.0, 2.0}, {2.0, 2.6}}}),
                         [](const ::testing::TestParamInfo<SegmentCase>& info) {
                           return "Ms" + std::to_string(std::lround(info.param.seconds * 1000));
                         });

TEST(PreprocessAudioTest, PartialSegmentIsZeroPadded) {
  const AudioSpec spec = ToySpec();
  const LogMel mel(spec);
  ASSERT_OK_AND_ASSIGN(std::vector<ModelInput> inputs,
                       PreprocessAudio(spec, mel, Tone(0.3, 16000, 1000.0)));
  ASSERT_EQ(inputs.size(), 1u);
  // Frames centred after 0.3 s + half a window see only the zero padding.
  const std::vector<float>& f = inputs[0].features;
  const float silent = std::log(1e-6f);
  for (int m = 0; m < 24; ++m) {
    EXPECT_NEAR(f[m * 101 + 60], silent, 1e-4);
    EXPECT_NEAR(f[m * 101 + 100], silent, 1e-4);
  }
  EXPECT_GT(f[0 * 101 + 10] + f[8 * 101 + 10], 2 * silent + 1.0f);
}

TEST(PreprocessAudioTest, ResamplesToTheModelRate) {
  const AudioSpec spec = ToySpec();
  const LogMel mel(spec);
  ASSERT_OK_AND_ASSIGN(std::vector<ModelInput> inputs, PreprocessAudio(spec, mel, Tone(2.6, 8000)));
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_DOUBLE_EQ(inputs[1].start_seconds, 1.0);
  EXPECT_NEAR(inputs[2].end_seconds, 2.6, 0.01);
}

TEST(PreprocessAudioTest, RejectsEmptyAndBrokenClips) {
  const AudioSpec spec = ToySpec();
  const LogMel mel(spec);
  EXPECT_THAT(PreprocessAudio(spec, mel, media::Audio{16000, {}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no samples")));
  EXPECT_THAT(PreprocessAudio(spec, mel, media::Audio{0, {0.1f}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sample rate must be positive, got 0")));
  EXPECT_THAT(PreprocessAudio(spec, mel, media::Audio{16000, {0.1f, NAN}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sample 1 is not finite")));
}

}  // namespace
}  // namespace xmodal::model
