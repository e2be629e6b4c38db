#include "benchmarks/lib/synthetic_media.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>

#include "absl/strings/str_cat.h"

namespace xmodal::bench {
namespace {

struct Colour {
  const char* name;
  std::array<int, 3> rgb;
};

constexpr std::array<Colour, 8> kPalette = {{{"red", {220, 30, 30}},
                                             {"green", {30, 180, 40}},
                                             {"blue", {30, 60, 220}},
                                             {"yellow", {230, 210, 40}},
                                             {"purple", {140, 40, 170}},
                                             {"orange", {240, 140, 20}},
                                             {"white", {235, 235, 235}},
                                             {"black", {20, 20, 20}}}};

constexpr std::array<const char*, 8> kThings = {"car",  "bird", "house", "flower",
                                                "boat", "dog",  "kite",  "tree"};
constexpr std::array<const char*, 6> kPlaces = {"by the river", "in the garden",
                                                "at night",     "on the beach",
                                                "in the snow",  "near the old bridge"};

const Colour& PaletteAt(int i) {
  return kPalette[static_cast<size_t>(std::abs(i)) % kPalette.size()];
}

}  // namespace

std::string PaletteName(int palette_index) { return PaletteAt(palette_index).name; }

media::Image MakePhotoImage(int width, int height, int palette_index, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> grain(0.0, 6.0);
  const Colour& base = PaletteAt(palette_index);
  struct Disc {
    double x, y, r;
    std::array<int, 3> rgb;
  };
  std::vector<Disc> discs;
  for (int i = 0; i < 4; ++i) {
    const Colour& c = PaletteAt(static_cast<int>(rng() % kPalette.size()));
    discs.push_back({unit(rng) * width, unit(rng) * height,
                     (0.05 + 0.12 * unit(rng)) * std::min(width, height), c.rgb});
  }
  media::Image image{.width = width, .height = height};
  image.rgb.resize(static_cast<size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double shade = 0.6 + 0.4 * (static_cast<double>(x + y) / (width + height));
      std::array<double, 3> px{base.rgb[0] * shade, base.rgb[1] * shade, base.rgb[2] * shade};
      for (const Disc& d : discs) {
        if (std::hypot(x - d.x, y - d.y) < d.r) {
          for (int c = 0; c < 3; ++c) px[c] = d.rgb[c];
        }
      }
      uint8_t* out = &image.rgb[(static_cast<size_t>(y) * width + x) * 3];
      for (int c = 0; c < 3; ++c) {
        out[c] = static_cast<uint8_t>(std::clamp(px[c] + grain(rng), 0.0, 255.0));
      }
    }
  }
  return image;
}

media::Audio MakeToneClip(double seconds, int sample_rate, double hz, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.01f);
  media::Audio audio{.sample_rate = sample_rate};
  const int64_t n = static_cast<int64_t>(seconds * sample_rate);
  audio.samples.resize(static_cast<size_t>(std::max<int64_t>(n, 1)));
  for (int64_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    const double envelope = 0.5 + 0.3 * std::sin(2 * std::numbers::pi * 0.7 * t);
    const double w = 2 * std::numbers::pi * hz * t;
    const double v = envelope * (0.5 * std::sin(w) + 0.2 * std::sin(2 * w) + 0.1 * std::sin(3 * w));
    audio.samples[static_cast<size_t>(i)] = static_cast<float>(v * 0.8) + noise(rng);
  }
  return audio;
}

std::string MakeCaption(int palette_index, uint64_t seed) {
  std::mt19937_64 rng(seed);
  return absl::StrCat(PaletteName(palette_index), " ", kThings[rng() % kThings.size()], " ",
                      kPlaces[rng() % kPlaces.size()]);
}

}  // namespace xmodal::bench
