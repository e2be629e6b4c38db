// Tests for core/media/audio.h. Fixtures are generated here: sines encoded with EncodeAudio,
// WAV files assembled byte by byte (stereo, odd headers), and MP3 written with libsndfile.
#include "core/media/audio.h"

#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "core/base/file_util.h"
#include "testing/status_matchers.h"

namespace xmodal::media {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

Audio Sine(int rate, double seconds, double frequency, float amplitude = 0.5f) {
  Audio audio;
  audio.sample_rate = rate;
  const int n = static_cast<int>(std::lround(rate * seconds));
  for (int i = 0; i < n; ++i) {
    audio.samples.push_back(amplitude *
                            static_cast<float>(std::sin(2 * M_PI * frequency * i / rate)));
  }
  return audio;
}

// Rising zero crossings per second: the frequency of a clean tone.
double ZeroCrossingFrequency(const std::vector<float>& samples, int rate) {
  int crossings = 0;
  for (size_t i = 1; i < samples.size(); ++i) crossings += samples[i - 1] < 0 && samples[i] >= 0;
  return crossings * static_cast<double>(rate) / samples.size();
}

void AppendLittleEndian(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

// A 16-bit PCM RIFF WAV; `claimed_data_bytes` overrides the data chunk size (-1: the truth).
std::string MakeWav(int channels, int rate, const std::vector<int16_t>& interleaved,
                    int64_t claimed_data_bytes = -1) {
  const uint32_t data_bytes = static_cast<uint32_t>(interleaved.size() * 2);
  std::string wav = "RIFF";
  AppendLittleEndian(wav, 36 + data_bytes, 4);
  wav += "WAVEfmt ";
  AppendLittleEndian(wav, 16, 4);
  AppendLittleEndian(wav, 1, 2);  // PCM
  AppendLittleEndian(wav, channels, 2);
  AppendLittleEndian(wav, rate, 4);
  AppendLittleEndian(wav, rate * channels * 2, 4);
  AppendLittleEndian(wav, channels * 2, 2);
  AppendLittleEndian(wav, 16, 2);
  wav += "data";
  AppendLittleEndian(wav, claimed_data_bytes >= 0 ? claimed_data_bytes : data_bytes, 4);
  for (int16_t s : interleaved) AppendLittleEndian(wav, static_cast<uint16_t>(s), 2);
  return wav;
}

std::string Encode(const Audio& audio, AudioContainer container) {
  absl::StatusOr<std::string> bytes = EncodeAudio(audio, container);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

class AudioRoundTripTest : public ::testing::TestWithParam<AudioContainer> {};

TEST_P(AudioRoundTripTest, KeepsRateDurationAndFrequency) {
  const Audio original = Sine(22050, 1.5, 440.0);
  const std::string bytes = Encode(original, GetParam());
  ASSERT_OK_AND_ASSIGN(Audio decoded, DecodeAudio(bytes));
  EXPECT_EQ(decoded.sample_rate, 22050);
  EXPECT_NEAR(decoded.duration_seconds(), 1.5, 0.01);
  EXPECT_NEAR(ZeroCrossingFrequency(decoded.samples, 22050), 440.0, 440.0 * 0.02);
  if (GetParam() != AudioContainer::kOgg) {  // Lossless: 16-bit quantisation only.
    ASSERT_EQ(decoded.samples.size(), original.samples.size());
    for (size_t i = 0; i < original.samples.size(); ++i) {
      ASSERT_NEAR(decoded.samples[i], original.samples[i], 1.0 / 32768 + 1e-6) << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Containers, AudioRoundTripTest,
                         ::testing::Values(AudioContainer::kWav, AudioContainer::kFlac,
                                           AudioContainer::kOgg),
                         [](const ::testing::TestParamInfo<AudioContainer>& info) {
                           switch (info.param) {
                             case AudioContainer::kWav:
                               return "Wav";
                             case AudioContainer::kFlac:
                               return "Flac";
                             case AudioContainer::kOgg:
                               return "Ogg";
                           }
                           return "Unknown";
                         });

TEST(AudioDecodeTest, DecodesMp3WhenLibsndfileCanWriteIt) {
  SF_INFO info = {};
  info.samplerate = 44100;
  info.channels = 1;
  info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  if (!sf_format_check(&info)) GTEST_SKIP() << "this libsndfile has no MP3 encoder";
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("media_mp3_"));
  const std::string path = dir + "/sine.mp3";
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  const Audio sine = Sine(44100, 1.0, 440.0);
  ASSERT_EQ(sf_writef_float(file, sine.samples.data(), sine.samples.size()),
            static_cast<sf_count_t>(sine.samples.size()));
  ASSERT_EQ(sf_close(file), 0);
  ASSERT_OK_AND_ASSIGN(std::string mp3, ReadFile(path));
  ASSERT_OK_AND_ASSIGN(Audio decoded, DecodeAudio(mp3));
  EXPECT_EQ(decoded.sample_rate, 44100);
  EXPECT_NEAR(decoded.duration_seconds(), 1.0, 0.05);
  EXPECT_NEAR(ZeroCrossingFrequency(decoded.samples, 44100), 440.0, 440.0 * 0.03);
}

TEST(AudioDecodeTest, StereoIsDownmixedToTheMeanOfTheChannels) {
  std::vector<int16_t> interleaved;
  for (int i = 0; i < 1000; ++i) interleaved.insert(interleaved.end(), {16384, -8192});
  ASSERT_OK_AND_ASSIGN(Audio audio, DecodeAudio(MakeWav(2, 8000, interleaved)));
  EXPECT_EQ(audio.sample_rate, 8000);
  ASSERT_EQ(audio.samples.size(), 1000u);
  for (float s : audio.samples) ASSERT_FLOAT_EQ(s, 0.125f);
}

TEST(AudioDecodeTest, TruncatedWavIsInvalidArgument) {
  const std::string wav = Encode(Sine(22050, 1.5, 440.0), AudioContainer::kWav);
  const size_t half = 44 + (wav.size() - 44) / 2;
  EXPECT_THAT(DecodeAudio(wav.substr(0, half)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("truncated or corrupt WAV: header claims 33075 frames, read ")));
  for (int tenth = 0; tenth <= 18; ++tenth) {
    const size_t length = wav.size() * tenth / 20;
    EXPECT_THAT(DecodeAudio(wav.substr(0, length)),
                StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
        << "cut to " << length << " of " << wav.size();
  }
}

TEST(AudioDecodeTest, TruncatedOggAndFlacAreInvalidArgument) {
  const Audio sine = Sine(22050, 3.0, 440.0);
  const std::string ogg = Encode(sine, AudioContainer::kOgg);
  const std::string flac = Encode(sine, AudioContainer::kFlac);
  EXPECT_THAT(DecodeAudio(ogg.substr(0, ogg.size() / 2)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated Ogg")));
  EXPECT_THAT(DecodeAudio(flac.substr(0, flac.size() / 2)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("truncated or corrupt FLAC: header claims 66150 frames")));
  for (const std::string& full : {ogg, flac}) {
    for (int step = 1; step < 20; ++step) {
      const size_t length = full.size() * step / 20;
      EXPECT_THAT(DecodeAudio(full.substr(0, length)),
                  StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
          << "cut to " << length << " of " << full.size();
    }
  }
  // Ogg is strict: without the end-of-stream page the stream is cut, however little is missing.
  EXPECT_THAT(DecodeAudio(ogg.substr(0, ogg.size() - 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated Ogg")));
  std::string damaged = ogg;
  damaged[damaged.size() / 2] ^= 0x10;
  EXPECT_THAT(DecodeAudio(damaged),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrupt Ogg: checksum")));
}

TEST(AudioDecodeTest, SlightlyShortWavAndFlacStillDecode) {
  // A shortfall within the slack (2% of the claim, at least 2048 frames) is tolerated: the
  // samples that are there decode.
  const Audio sine = Sine(22050, 3.0, 440.0);
  const std::string wav = Encode(sine, AudioContainer::kWav);
  ASSERT_OK_AND_ASSIGN(Audio short_wav, DecodeAudio(wav.substr(0, wav.size() - 1000)));
  EXPECT_EQ(short_wav.samples.size(), sine.samples.size() - 500);
  const std::string flac = Encode(sine, AudioContainer::kFlac);
  ASSERT_OK_AND_ASSIGN(Audio short_flac, DecodeAudio(flac.substr(0, flac.size() - 1)));
  EXPECT_GT(short_flac.samples.size(), sine.samples.size() - 4096);
}

TEST(AudioDecodeTest, GarbageAndEmptyAreInvalidArgument) {
  EXPECT_THAT(DecodeAudio(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(
      DecodeAudio("definitely not a sound file, just some text"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("unsupported or corrupt audio"), HasSubstr("unrecognised bytes"))));
  EXPECT_THAT(DecodeAudio("\x89PNG\r\n\x1A\n and the rest of a picture"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("unsupported or corrupt audio"), HasSubstr("PNG image"))));
  // A RIFF/WAVE signature followed by nonsense reaches libsndfile, which refuses it.
  EXPECT_THAT(DecodeAudio(std::string("RIFF\x10\0\0\0WAVEjunkjunkjunkjunk", 28)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unsupported or corrupt audio: libsndfile cannot open the WAV")));
}

TEST(AudioDecodeTest, HeaderClaimsBeyondLimitsAreInvalidArguments) {
  const Audio two_seconds = Sine(16000, 2.0, 300.0);
  AudioLimits one_second;
  one_second.max_seconds = 1.0;
  for (AudioContainer container :
       {AudioContainer::kWav, AudioContainer::kFlac, AudioContainer::kOgg}) {
    EXPECT_THAT(DecodeAudio(Encode(two_seconds, container), one_second),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("audio header claims 2.0 seconds; the limit is 1 seconds")));
  }
  // A tiny WAV whose data chunk claims two hours: refused from the header, nothing is read.
  const std::string liar = MakeWav(1, 8000, std::vector<int16_t>(100, 0), 2 * 3600 * 8000 * 2);
  EXPECT_THAT(DecodeAudio(liar), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("claims 7200.0 seconds; the limit is 3600")));
  EXPECT_THAT(DecodeAudio(MakeWav(32, 8000, std::vector<int16_t>(32 * 10, 0))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("audio header claims 32 channels; the limit is 16")));
  EXPECT_THAT(DecodeAudio(MakeWav(1, 768000, std::vector<int16_t>(100, 0))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("sample rate of 768000 Hz; the limit is 384000 Hz")));
  AudioLimits small;
  small.max_bytes = 100;
  EXPECT_THAT(DecodeAudio(Encode(two_seconds, AudioContainer::kWav), small),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("the limit is 100")));
}

TEST(AudioDecodeTest, RandomByteFlipsNeverCrash) {
  const Audio clip = Sine(8000, 0.3, 500.0);
  const std::vector<std::string> inputs = {Encode(clip, AudioContainer::kWav),
                                           Encode(clip, AudioContainer::kFlac),
                                           Encode(clip, AudioContainer::kOgg)};
  std::mt19937 rng(77);
  for (int iteration = 0; iteration < 300; ++iteration) {
    std::string bytes = inputs[iteration % inputs.size()];
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f)
      bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
    absl::StatusOr<Audio> result = DecodeAudio(bytes);
    if (result.ok()) {
      ASSERT_GT(result->sample_rate, 0);
      for (float s : result->samples) ASSERT_TRUE(s >= -1.0f && s <= 1.0f);
    } else {
      ASSERT_TRUE(result.status().code() == absl::StatusCode::kInvalidArgument ||
                  result.status().code() == absl::StatusCode::kResourceExhausted)
          << result.status();
    }
  }
}

TEST(AudioEncodeTest, RejectsEmptyClipsAndBadRates) {
  EXPECT_THAT(EncodeAudio(Audio{16000, {}}, AudioContainer::kWav),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(EncodeAudio(Audio{0, {0.1f, 0.2f}}, AudioContainer::kFlac),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("0 Hz")));
}

TEST(ResampleTest, KeepsDurationAndFrequency) {
  const Audio sine = Sine(44100, 1.0, 440.0);
  ASSERT_OK_AND_ASSIGN(std::vector<float> resampled, Resample(sine.samples, 44100, 16000));
  EXPECT_NEAR(static_cast<double>(resampled.size()), 16000.0, 2.0);
  EXPECT_NEAR(ZeroCrossingFrequency(resampled, 16000), 440.0, 440.0 * 0.01);
  float peak = 0;
  for (size_t i = 100; i + 100 < resampled.size(); ++i)
    peak = std::max(peak, std::abs(resampled[i]));
  EXPECT_NEAR(peak, 0.5f, 0.02f);
}

TEST(ResampleTest, EqualRatesAndBadRates) {
  const std::vector<float> samples = {0.1f, -0.2f, 0.3f};
  ASSERT_OK_AND_ASSIGN(std::vector<float> same, Resample(samples, 16000, 16000));
  EXPECT_EQ(same, samples);
  EXPECT_THAT(Resample(samples, 0, 16000),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("positive")));
  EXPECT_THAT(Resample(samples, 384000, 1000),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1/256 to 256")));
}

TEST(AudioDecodeTest, ConcurrentDecodesAgree) {
  const std::string flac = Encode(Sine(16000, 0.5, 440.0), AudioContainer::kFlac);
  const std::vector<float> expected = DecodeAudio(flac).value().samples;
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        auto good = DecodeAudio(flac);
        auto bad = DecodeAudio(std::string("RIFF\x10\0\0\0WAVEjunkjunkjunkjunk", 28));
        if (!good.ok() || good->samples != expected) ++failures[t];
        if (!absl::StrContains(bad.status().message(), "unsupported or corrupt audio")) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace xmodal::media
