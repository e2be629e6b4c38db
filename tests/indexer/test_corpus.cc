#include "tests/indexer/test_corpus.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/media/image.h"
#include "tests/indexer/test_files.h"

namespace xmodal::indexer::testing {

std::string SolidPng(uint8_t r, uint8_t g, uint8_t b, int size) {
  media::Image image{.width = size, .height = size};
  for (int i = 0; i < size * size; ++i) image.rgb.insert(image.rgb.end(), {r, g, b});
  absl::StatusOr<std::string> png = media::EncodePng(image);
  EXPECT_TRUE(png.ok()) << png.status();
  return png.ok() ? *png : std::string();
}

std::string Tone(double hz, double seconds, media::AudioContainer container) {
  media::Audio audio{.sample_rate = 16000};
  const int n = static_cast<int>(seconds * audio.sample_rate);
  for (int i = 0; i < n; ++i) {
    audio.samples.push_back(
        0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * i / audio.sample_rate)));
  }
  absl::StatusOr<std::string> bytes = media::EncodeAudio(audio, container);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

void WriteColourCorpus(const std::string& dir) {
  WriteTestFile(dir, "red.png", SolidPng(255, 0, 0));
  WriteTestFile(dir, "green.png", SolidPng(0, 255, 0));
  WriteTestFile(dir, "blue.png", SolidPng(0, 0, 255));
  WriteTestFile(dir, "red.txt", "  red   car\n");
  WriteTestFile(dir, "green.txt", "green field");
  WriteTestFile(dir, "blue.txt", "blue sky");
  WriteTestFile(dir, "red.wav", Tone(300, 2.5, media::AudioContainer::kWav));
  WriteTestFile(dir, "blue.ogg", Tone(5000, 2.0, media::AudioContainer::kOgg));
  WriteTestFile(dir, "notes.md", "# not indexed");
  WriteTestFile(dir, ".hidden.png", SolidPng(1, 2, 3));
}

void WriteBrokenFiles(const std::string& dir) {
  const std::string png = SolidPng(10, 20, 30, 64);
  WriteTestFile(dir, "broken.png", png.substr(0, png.size() / 2));
  const std::string wav = Tone(1500, 2.0, media::AudioContainer::kWav);
  WriteTestFile(dir, "broken.wav", wav.substr(0, wav.size() / 2));
}

}  // namespace xmodal::indexer::testing
