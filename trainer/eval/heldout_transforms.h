// The held-out transformations of the default model's evaluation (issue 3, docs/eval.md).
//
// EVALUATION ONLY: xmodal-train must never apply these (its augmentations are different on
// purpose), so that the image->text, sound->image and speech->image scores measure how the
// model generalises to distortions it never saw. All are deterministic: the random parts are
// seeded from a name (the stamp or file), so two runs give identical inputs.
//
//  images  "blur"     Gaussian blur, sigma 1.5 px at 128 px scale (sigma = 1.5 * longer
//                     side / 128).
//          "pixelate" box-downscale to 1/4 of each side (at least 1 px), then nearest-
//                     neighbour upscale back to the original size.
//          "noise"    additive Gaussian noise, sigma 0.08 of full scale (0.08 * 255), clamped.
//  speech  speed x1.12 (resampled: 1/1.12 of the duration, pitch up) then white noise at
//          15 dB SNR.
//  sounds  the first 2 s (the whole clip when shorter), then white noise at 15 dB SNR.
// The SNR is relative to the mean power of the (transformed) clip; a silent clip gets no noise.
// The audio transforms take an output rate: xmodal-eval passes the model's sample rate, so
// the speed change and the resampling the model would do are one resampling pass, and the
// noise is white over exactly the band the model hears (the SNR is then the in-band SNR).
// Thread-safe; pure functions.
#ifndef XMODAL_TRAINER_EVAL_HELDOUT_TRANSFORMS_H_
#define XMODAL_TRAINER_EVAL_HELDOUT_TRANSFORMS_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/media/audio.h"
#include "core/media/image.h"

namespace xmodal::eval {

inline constexpr std::array<absl::string_view, 3> kImageTransforms = {"blur", "pixelate", "noise"};
inline constexpr double kBlurSigmaAt128 = 1.5;
inline constexpr int kPixelateFactor = 4;
inline constexpr double kImageNoiseSigma = 0.08;
inline constexpr double kSpeechSpeed = 1.12;
inline constexpr double kAudioSnrDb = 15.0;
inline constexpr double kSoundWindowSeconds = 2.0;

// Applies the named image transform ("blur", "pixelate", "noise"); `seed_name` seeds the
// noise. INVALID_ARGUMENT for an unknown name or an empty / inconsistent image.
absl::StatusOr<media::Image> HeldOutImage(const media::Image& image, absl::string_view transform,
                                          absl::string_view seed_name);

// The held-out spoken description: speed x1.12, then noise at 15 dB SNR, at `output_rate`
// (0: the input's rate). INVALID_ARGUMENT for an empty clip or a bad sample rate; errors of
// media::Resample.
absl::StatusOr<media::Audio> HeldOutSpeech(const media::Audio& audio, absl::string_view seed_name,
                                           int output_rate = 0);

// The held-out sound effect: the first 2 s, resampled to `output_rate` (0: unchanged), then
// noise at 15 dB SNR. Errors as HeldOutSpeech.
absl::StatusOr<media::Audio> HeldOutSound(const media::Audio& audio, absl::string_view seed_name,
                                          int output_rate = 0);

// Building blocks (exposed for tests).
uint64_t SeedFromName(absl::string_view name);  // FNV-1a 64; stable across platforms
media::Image GaussianBlur(const media::Image& image, double sigma);
media::Image Pixelate(const media::Image& image, int factor);
media::Image AddImageNoise(const media::Image& image, double sigma_fraction, uint64_t seed);
// Adds white Gaussian noise so that mean(signal^2) / mean(noise^2) = 10^(snr_db / 10).
void AddWhiteNoise(std::vector<float>& samples, double snr_db, uint64_t seed);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_HELDOUT_TRANSFORMS_H_
