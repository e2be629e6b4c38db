#include "trainer/eval/heldout_transforms.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"

namespace xmodal::eval {
namespace {

// Standard normal deviates from mt19937_64 (whose output the C++ standard fixes) through
// Box-Muller, so that the noise is identical on every platform (std::normal_distribution
// is not).
class Gaussian {
 public:
  explicit Gaussian(uint64_t seed) : engine_(seed) {}
  double Next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2 * M_PI * u2);
    has_spare_ = true;
    return r * std::cos(2 * M_PI * u2);
  }

 private:
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

absl::Status CheckImage(const media::Image& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.rgb.size() != static_cast<size_t>(image.width) * image.height * 3) {
    return absl::InvalidArgumentError(absl::StrCat("image is empty or inconsistent: ", image.width,
                                                   "x", image.height, " with ", image.rgb.size(),
                                                   " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckAudio(const media::Audio& audio) {
  if (audio.samples.empty()) return absl::InvalidArgumentError("audio clip is empty");
  if (audio.sample_rate <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("bad sample rate ", audio.sample_rate));
  }
  return absl::OkStatus();
}

uint8_t ClampByte(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

// One 1-D Gaussian pass along x (horizontal) or y, edges clamped.
std::vector<float> BlurPass(const std::vector<float>& in, int width, int height,
                            const std::vector<double>& kernel, bool horizontal) {
  std::vector<float> out(in.size());
  const int radius = static_cast<int>(kernel.size() / 2);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < 3; ++c) {
        double sum = 0;
        for (int k = -radius; k <= radius; ++k) {
          const int sx = horizontal ? std::clamp(x + k, 0, width - 1) : x;
          const int sy = horizontal ? y : std::clamp(y + k, 0, height - 1);
          sum += kernel[k + radius] * in[(static_cast<size_t>(sy) * width + sx) * 3 + c];
        }
        out[(static_cast<size_t>(y) * width + x) * 3 + c] = static_cast<float>(sum);
      }
    }
  }
  return out;
}

}  // namespace

uint64_t SeedFromName(absl::string_view name) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

media::Image GaussianBlur(const media::Image& image, double sigma) {
  if (sigma <= 0) return image;
  const int radius = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> kernel(2 * radius + 1);
  double total = 0;
  for (int k = -radius; k <= radius; ++k) {
    kernel[k + radius] = std::exp(-0.5 * k * k / (sigma * sigma));
    total += kernel[k + radius];
  }
  for (double& w : kernel) w /= total;
  std::vector<float> values(image.rgb.begin(), image.rgb.end());
  values = BlurPass(values, image.width, image.height, kernel, /*horizontal=*/true);
  values = BlurPass(values, image.width, image.height, kernel, /*horizontal=*/false);
  media::Image out{image.width, image.height, std::vector<uint8_t>(values.size())};
  for (size_t i = 0; i < values.size(); ++i) out.rgb[i] = ClampByte(values[i]);
  return out;
}

media::Image Pixelate(const media::Image& image, int factor) {
  const int w = image.width, h = image.height;
  const int sw = std::max(1, w / std::max(1, factor));
  const int sh = std::max(1, h / std::max(1, factor));
  std::vector<uint8_t> small(static_cast<size_t>(sw) * sh * 3);
  for (int y = 0; y < sh; ++y) {
    const int y0 = static_cast<int>(static_cast<int64_t>(y) * h / sh);
    const int y1 = static_cast<int>(static_cast<int64_t>(y + 1) * h / sh);
    for (int x = 0; x < sw; ++x) {
      const int x0 = static_cast<int>(static_cast<int64_t>(x) * w / sw);
      const int x1 = static_cast<int>(static_cast<int64_t>(x + 1) * w / sw);
      for (int c = 0; c < 3; ++c) {
        double sum = 0;
        for (int yy = y0; yy < y1; ++yy) {
          for (int xx = x0; xx < x1; ++xx)
            sum += image.rgb[(static_cast<size_t>(yy) * w + xx) * 3 + c];
        }
        small[(static_cast<size_t>(y) * sw + x) * 3 + c] = ClampByte(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  media::Image out{w, h, std::vector<uint8_t>(image.rgb.size())};
  for (int y = 0; y < h; ++y) {
    const int sy = static_cast<int>(static_cast<int64_t>(y) * sh / h);
    for (int x = 0; x < w; ++x) {
      const int sx = static_cast<int>(static_cast<int64_t>(x) * sw / w);
      for (int c = 0; c < 3; ++c) {
        out.rgb[(static_cast<size_t>(y) * w + x) * 3 + c] =
            small[(static_cast<size_t>(sy) * sw + sx) * 3 + c];
      }
    }
  }
  return out;
}

media::Image AddImageNoise(const media::Image& image, double sigma_fraction, uint64_t seed) {
  Gaussian gaussian(seed);
  media::Image out = image;
  const double sigma = sigma_fraction * 255.0;
  for (uint8_t& v : out.rgb) v = ClampByte(v + sigma * gaussian.Next());
  return out;
}

void AddWhiteNoise(std::vector<float>& samples, double snr_db, uint64_t seed) {
  if (samples.empty()) return;
  double power = 0;
  for (float s : samples) power += static_cast<double>(s) * s;
  power /= samples.size();
  if (power <= 0) return;
  const double noise_sigma = std::sqrt(power / std::pow(10.0, snr_db / 10.0));
  Gaussian gaussian(seed);
  for (float& s : samples) {
    s = static_cast<float>(std::clamp(s + noise_sigma * gaussian.Next(), -1.0, 1.0));
  }
}

absl::StatusOr<media::Image> HeldOutImage(const media::Image& image, absl::string_view transform,
                                          absl::string_view seed_name) {
  XM_RETURN_IF_ERROR(CheckImage(image));
  if (transform == "blur") {
    return GaussianBlur(image, kBlurSigmaAt128 * std::max(image.width, image.height) / 128.0);
  }
  if (transform == "pixelate") return Pixelate(image, kPixelateFactor);
  if (transform == "noise") {
    return AddImageNoise(image, kImageNoiseSigma, SeedFromName(absl::StrCat("noise/", seed_name)));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown image transform '", transform, "' (expected blur, pixelate or noise)"));
}

absl::StatusOr<media::Audio> HeldOutSpeech(const media::Audio& audio, absl::string_view seed_name,
                                           int output_rate) {
  XM_RETURN_IF_ERROR(CheckAudio(audio));
  media::Audio out;
  out.sample_rate = output_rate > 0 ? output_rate : audio.sample_rate;
  // Played kSpeechSpeed times faster: read as recorded at rate * speed, convert to the output
  // rate.
  const int faster_rate = static_cast<int>(std::lround(audio.sample_rate * kSpeechSpeed));
  XM_ASSIGN_OR_RETURN(out.samples, media::Resample(audio.samples, faster_rate, out.sample_rate));
  if (out.samples.empty()) return absl::InvalidArgumentError("audio clip is too short to speed up");
  AddWhiteNoise(out.samples, kAudioSnrDb, SeedFromName(absl::StrCat("speech/", seed_name)));
  return out;
}

absl::StatusOr<media::Audio> HeldOutSound(const media::Audio& audio, absl::string_view seed_name,
                                          int output_rate) {
  XM_RETURN_IF_ERROR(CheckAudio(audio));
  media::Audio out;
  out.sample_rate = output_rate > 0 ? output_rate : audio.sample_rate;
  const size_t window = static_cast<size_t>(std::lround(kSoundWindowSeconds * audio.sample_rate));
  const std::vector<float> head(audio.samples.begin(),
                                audio.samples.begin() + std::min(window, audio.samples.size()));
  XM_ASSIGN_OR_RETURN(out.samples, media::Resample(head, audio.sample_rate, out.sample_rate));
  if (out.samples.empty()) return absl::InvalidArgumentError("audio clip is too short to resample");
  AddWhiteNoise(out.samples, kAudioSnrDb, SeedFromName(absl::StrCat("sound/", seed_name)));
  return out;
}

}  // namespace xmodal::eval
