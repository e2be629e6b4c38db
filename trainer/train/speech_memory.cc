#include "trainer/train/speech_memory.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include "core/base/status_macros.h"
#include "core/base/thread_pool.h"
#include "core/model/audio_preprocess.h"
#include "core/model/image_preprocess.h"
#include "core/model/log_mel.h"
#include "trainer/train/audio_augment.h"
#include "trainer/train/rng.h"

namespace xmodal::train {
namespace {

constexpr int64_t kEncodeBatch = 256;
constexpr size_t kCalibrationClips = 1500;

// Runs `prepare(i)` for i in [0, n) on `threads` threads; returns the first error.
template <typename Fn>
absl::Status ParallelFor(int64_t n, int threads, Fn prepare) {
  std::mutex mu;
  absl::Status first;
  {
    ThreadPool pool(threads);
    for (int64_t i = 0; i < n; ++i) {
      pool.Submit([&, i] {
        absl::Status s = prepare(i);
        if (s.ok()) return;
        std::lock_guard<std::mutex> lock(mu);
        if (first.ok()) first = std::move(s);
      });
    }
  }
  return first;
}

// The fingerprints of log-mel rows [n, n_mels, frames], in batches, without gradients.
torch::Tensor Fingerprints(const TowersImpl& towers, const std::vector<float>& rows, int64_t n,
                           int64_t n_mels, int64_t frames) {
  torch::NoGradGuard no_grad;
  const torch::Tensor all =
      torch::from_blob(const_cast<float*>(rows.data()), {n, n_mels, frames}, torch::kFloat);
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < n; i += kEncodeBatch) {
    out.push_back(
        towers.EncodeAudioAndFingerprint(all.narrow(0, i, std::min(kEncodeBatch, n - i))).second);
  }
  return torch::cat(out);
}

double Quantile(torch::Tensor v, double q) {
  v = std::get<0>(v.flatten().sort());
  const int64_t i = std::clamp<int64_t>(std::lround(q * (v.size(0) - 1)), 0, v.size(0) - 1);
  return v[i].item<double>();
}

}  // namespace

absl::StatusOr<SpeechMemory> BuildSpeechMemory(const TowersImpl& towers, const TrainingData& data,
                                               const model::ModelManifest& manifest, uint64_t seed,
                                               int threads) {
  SpeechMemory memory;
  const model::AudioSpec& spec = *manifest.audio;
  const model::LogMel mel(spec);
  const int64_t n_mels = mel.n_mels();
  const int64_t frames = model::SegmentFrames(spec);
  const int64_t row_values = n_mels * frames;

  // Every segment of every clip, as the server cuts them.
  std::vector<const media::Audio*> clips;
  std::vector<int64_t> clip_stamp;
  for (size_t s = 0; s < data.stamps.size(); ++s) {
    for (const media::Audio& clip : data.stamps[s].speech) {
      clips.push_back(&clip);
      clip_stamp.push_back(static_cast<int64_t>(s));
    }
  }
  if (clips.empty()) return memory;
  std::vector<std::vector<model::ModelInput>> segments(clips.size());
  XM_RETURN_IF_ERROR(ParallelFor(static_cast<int64_t>(clips.size()), threads, [&](int64_t i) {
    XM_ASSIGN_OR_RETURN(segments[i], model::PreprocessAudio(spec, mel, *clips[i]));
    return absl::OkStatus();
  }));
  std::vector<float> rows;
  std::vector<int64_t> key_stamp, key_clip;
  for (size_t i = 0; i < clips.size(); ++i) {
    for (const model::ModelInput& seg : segments[i]) {
      rows.insert(rows.end(), seg.features.begin(), seg.features.end());
      key_stamp.push_back(clip_stamp[i]);
      key_clip.push_back(static_cast<int64_t>(i));
    }
  }
  const auto m = static_cast<int64_t>(key_stamp.size());
  // Rounded through half precision, as the package stores them.
  memory.keys = Fingerprints(towers, rows, m, n_mels, frames).to(torch::kHalf).to(torch::kFloat);
  memory.stamp = torch::tensor(key_stamp, torch::kLong);
  memory.calibration.recordings = static_cast<int64_t>(clips.size());

  // Each stamp's clean image embedding.
  const int64_t side = manifest.image->size;
  std::vector<float> images(data.stamps.size() * 3 * side * side);
  XM_RETURN_IF_ERROR(ParallelFor(static_cast<int64_t>(data.stamps.size()), threads, [&](int64_t s) {
    XM_ASSIGN_OR_RETURN(std::vector<float> x,
                        model::PreprocessImage(*manifest.image, data.stamps[s].image.image));
    std::copy(x.begin(), x.end(), images.begin() + s * 3 * side * side);
    return absl::OkStatus();
  }));
  {
    torch::NoGradGuard no_grad;
    memory.values = towers.EncodeImage(torch::from_blob(
        images.data(), {static_cast<int64_t>(data.stamps.size()), 3, side, side}, torch::kFloat));
  }

  // Calibration: augmented recordings against their own keys; sound effects against all.
  AudioAugmentOptions query_like;
  query_like.p_noise = 1.0;
  query_like.min_snr_db = 15;
  query_like.max_snr_db = 30;
  query_like.p_speed = 1.0;
  std::vector<size_t> probe;
  const size_t stride = std::max<size_t>(1, clips.size() / kCalibrationClips);
  for (size_t i = 0; i < clips.size(); i += stride) probe.push_back(i);
  std::vector<const media::Audio*> sounds;
  for (const TrainingStamp& s : data.stamps) {
    if (s.sound) sounds.push_back(&*s.sound);
  }
  const auto n_probe = static_cast<int64_t>(probe.size());
  const auto n_sound = static_cast<int64_t>(sounds.size());
  std::vector<float> probe_rows((n_probe + n_sound) * row_values);
  XM_RETURN_IF_ERROR(ParallelFor(n_probe + n_sound, threads, [&](int64_t i) {
    const media::Audio& clip = i < n_probe ? *clips[probe[i]] : *sounds[i - n_probe];
    Rng rng(DeriveSeed({seed, 0x5eec4u, static_cast<uint64_t>(i)}));
    XM_ASSIGN_OR_RETURN(const media::Audio a,
                        AugmentAudio(clip, spec.segment_seconds, rng, query_like));
    XM_ASSIGN_OR_RETURN(std::vector<model::ModelInput> seg, model::PreprocessAudio(spec, mel, a));
    std::copy(seg.front().features.begin(), seg.front().features.end(),
              probe_rows.begin() + i * row_values);
    return absl::OkStatus();
  }));
  const torch::Tensor sims =
      Fingerprints(towers, probe_rows, n_probe + n_sound, n_mels, frames).matmul(memory.keys.t());
  const torch::Tensor owner = torch::tensor(key_clip, torch::kLong);
  std::vector<double> matched;
  for (int64_t i = 0; i < n_probe; ++i) {
    const torch::Tensor own = owner.eq(static_cast<int64_t>(probe[i]));
    matched.push_back(sims[i].masked_select(own).max().item<double>());
  }
  SpeechMemoryCalibration& c = memory.calibration;
  c.matched_p05 = Quantile(torch::tensor(matched, torch::kDouble), 0.05);
  c.unmatched_p95 =
      n_sound > 0 ? Quantile(std::get<0>(sims.narrow(0, n_probe, n_sound).max(1)), 0.95) : 0.0;
  c.threshold = (c.matched_p05 + c.unmatched_p95) / 2;
  const double gap = std::abs(c.matched_p05 - c.unmatched_p95);
  memory.gate_slope = std::clamp(2 * std::log(19.0) / std::max(gap, 1e-6), 10.0, 200.0);
  return memory;
}

torch::Tensor ApplySpeechMemory(const SpeechMemory& memory, const torch::Tensor& embedding,
                                const torch::Tensor& fingerprint) {
  const torch::Tensor s = fingerprint.matmul(memory.keys.t());
  const torch::Tensor best = std::get<0>(s.max(1, /*keepdim=*/true));
  const torch::Tensor w = torch::softmax(s * memory.sharpness, 1);
  const torch::Tensor recalled = torch::zeros({embedding.size(0), memory.values.size(0)})
                                     .index_add(1, memory.stamp, w)
                                     .matmul(memory.values);
  const torch::Tensor gate =
      torch::sigmoid((best - memory.calibration.threshold) * memory.gate_slope);
  const torch::Tensor y = embedding * (1 - gate) + recalled * gate;
  return NormalizeRows(y);
}

}  // namespace xmodal::train
