// image/* and audio/* micro-benchmarks (register.h).
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>
#include <string>

#include "benchmarks/lib/synthetic_media.h"
#include "benchmarks/micro/register.h"
#include "core/media/audio.h"
#include "core/media/image.h"
#include "core/model/audio_preprocess.h"
#include "core/model/image_preprocess.h"
#include "core/model/log_mel.h"
#include "core/model/model_manifest.h"

namespace xmodal::bench {
namespace {

constexpr int kSide = 512;
constexpr int kClipRate = 44100;
constexpr double kClipSeconds = 3.0;

// CLIP-style preprocessing: 224 px, shorter side, centre crop, ImageNet statistics.
model::ImageSpec ClipImageSpec() {
  model::ImageSpec spec;
  spec.size = 224;
  spec.mean = {0.481f, 0.458f, 0.408f};
  spec.std = {0.269f, 0.261f, 0.276f};
  return spec;
}

// A 3 s clip cut into one 3 s segment; otherwise the manifest defaults (16 kHz, 64 mels).
model::AudioSpec ClipAudioSpec() {
  model::AudioSpec spec;
  spec.segment_seconds = kClipSeconds;
  spec.segment_hop_seconds = kClipSeconds;
  return spec;
}

struct MediaFixture {
  media::Image image;
  std::string jpeg, png, ogg;
  media::Audio clip;            // kClipRate
  std::vector<float> clip_16k;  // resampled
  std::string error;
};

const MediaFixture& Fixture() {
  static std::once_flag once;
  static std::unique_ptr<MediaFixture> fixture;
  std::call_once(once, [] {
    fixture = std::make_unique<MediaFixture>();
    MediaFixture& f = *fixture;
    f.image = MakePhotoImage(kSide, kSide, 2, 42);
    absl::StatusOr<std::string> jpeg = media::EncodeJpeg(f.image, 90);
    absl::StatusOr<std::string> png = media::EncodePng(f.image);
    f.clip = MakeToneClip(kClipSeconds, kClipRate, 440, 42);
    absl::StatusOr<std::string> ogg = media::EncodeAudio(f.clip, media::AudioContainer::kOgg);
    absl::StatusOr<std::vector<float>> resampled =
        media::Resample(f.clip.samples, kClipRate, 16000);
    if (!jpeg.ok() || !png.ok() || !ogg.ok() || !resampled.ok()) {
      f.error = "cannot build the media fixtures";
      return;
    }
    f.jpeg = *jpeg;
    f.png = *png;
    f.ogg = *ogg;
    f.clip_16k = *resampled;
  });
  return *fixture;
}

template <typename Fn>
void Register(const std::string& name, Fn fn) {
  benchmark::RegisterBenchmark(name.c_str(), [fn](benchmark::State& state) {
    const MediaFixture& f = Fixture();
    if (!f.error.empty()) {
      state.SkipWithError(f.error.c_str());
      return;
    }
    for (auto _ : state) {
      if (!fn(f)) {
        state.SkipWithError("the measured call failed");
        return;
      }
    }
    state.SetItemsProcessed(state.iterations());
  })->Unit(benchmark::kMicrosecond);
}

}  // namespace

void RegisterMediaBenchmarks() {
  static const model::ImageSpec image_spec = ClipImageSpec();
  static const model::AudioSpec audio_spec = ClipAudioSpec();
  static const model::LogMel mel(audio_spec);
  for (const bool jpeg : {true, false}) {
    const std::string fmt = jpeg ? "jpeg" : "png";
    Register("image/decode/" + fmt + "_512", [jpeg](const MediaFixture& f) {
      return media::DecodeImage(jpeg ? f.jpeg : f.png).ok();
    });
    Register("image/decode_preprocess/" + fmt + "_512_to_224", [jpeg](const MediaFixture& f) {
      absl::StatusOr<media::Image> image = media::DecodeImage(jpeg ? f.jpeg : f.png);
      return image.ok() && model::PreprocessImage(image_spec, *image).ok();
    });
  }
  Register("image/preprocess/512_to_224",
           [](const MediaFixture& f) { return model::PreprocessImage(image_spec, f.image).ok(); });
  Register("audio/decode/ogg_3s_44k",
           [](const MediaFixture& f) { return media::DecodeAudio(f.ogg).ok(); });
  Register("audio/resample/3s_44k_to_16k", [](const MediaFixture& f) {
    return media::Resample(f.clip.samples, kClipRate, 16000).ok();
  });
  Register("audio/log_mel/3s_16k_64mels", [](const MediaFixture& f) {
    benchmark::DoNotOptimize(mel.Compute(f.clip_16k));
    return true;
  });
  Register("audio/decode_resample_log_mel/ogg_3s_44k", [](const MediaFixture& f) {
    absl::StatusOr<media::Audio> audio = media::DecodeAudio(f.ogg);
    return audio.ok() && model::PreprocessAudio(audio_spec, mel, *audio).ok();
  });
}

}  // namespace xmodal::bench
