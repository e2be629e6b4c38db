#include "trainer/train/batch_builder.h"

#include <glog/logging.h>

#include <algorithm>
#include <mutex>
#include <numeric>

#include "core/base/status_macros.h"
#include "core/base/text.h"
#include "core/model/audio_preprocess.h"
#include "core/model/image_preprocess.h"
#include "core/model/tokenizer.h"
#include "trainer/train/audio_augment.h"
#include "trainer/train/image_augment.h"
#include "trainer/train/text_augment.h"

namespace xmodal::train {
namespace {

// Random streams of a step; each item derives its own from (seed, step, stream, row).
enum Stream : uint64_t {
  kMainStamps = 1,
  kSoundStamps = 2,
  kMainItem = 3,
  kSoundItem = 4,
  kSpeechItem = 5
};

template <typename T>
void CopyRow(const std::vector<T>& src, std::vector<T>& dst, int64_t row) {
  std::copy(src.begin(), src.end(), dst.begin() + row * static_cast<int64_t>(src.size()));
}

}  // namespace

std::vector<int> EpochSample(int n, int batch, int64_t step, uint64_t seed) {
  std::vector<int> out;
  out.reserve(batch);
  int64_t cached_epoch = -1;
  std::vector<int> perm(n);
  for (int k = 0; k < batch; ++k) {
    const int64_t position = step * batch + k;
    const int64_t epoch = position / n;
    if (epoch != cached_epoch) {
      std::iota(perm.begin(), perm.end(), 0);
      Rng rng(DeriveSeed({seed, static_cast<uint64_t>(epoch)}));
      for (int i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.UniformInt(i + 1)]);
      cached_epoch = epoch;
    }
    out.push_back(perm[position % n]);
  }
  return out;
}

BatchBuilder::BatchBuilder(const TrainingData& data, const model::ModelManifest& manifest,
                           BatchSizes sizes, uint64_t seed, int threads)
    : data_(data),
      manifest_(manifest),
      mel_(*manifest.audio),
      sizes_(sizes),
      seed_(seed),
      pool_(std::make_unique<ThreadPool>(threads)) {
  CHECK(manifest_.text && manifest_.image && manifest_.audio) << "the recipe has three towers";
}

int64_t BatchBuilder::image_values() const {
  return 3 * static_cast<int64_t>(manifest_.image->size) * manifest_.image->size;
}
int64_t BatchBuilder::audio_frames() const { return model::SegmentFrames(*manifest_.audio); }
int64_t BatchBuilder::audio_values() const { return mel_.n_mels() * audio_frames(); }

absl::StatusOr<std::vector<float>> BatchBuilder::Image(const TrainingStamp& stamp,
                                                       uint64_t seed) const {
  Rng rng(seed);
  XM_ASSIGN_OR_RETURN(const media::Image image, AugmentImage(stamp.image, rng));
  return model::PreprocessImage(*manifest_.image, image);
}

absl::StatusOr<std::vector<float>> BatchBuilder::Audio(const media::Audio& clip,
                                                       uint64_t seed) const {
  Rng rng(seed);
  XM_ASSIGN_OR_RETURN(const media::Audio audio,
                      AugmentAudio(clip, manifest_.audio->segment_seconds, rng));
  XM_ASSIGN_OR_RETURN(std::vector<model::ModelInput> segments,
                      model::PreprocessAudio(*manifest_.audio, mel_, audio));
  // AugmentAudio keeps at most one segment's worth, so this is the only segment.
  return std::move(segments.front().features);
}

absl::StatusOr<std::vector<float>> BatchBuilder::CleanAudio(const media::Audio& clip) const {
  XM_ASSIGN_OR_RETURN(std::vector<model::ModelInput> segments,
                      model::PreprocessAudio(*manifest_.audio, mel_, clip));
  return std::move(segments.front().features);
}

absl::Status BatchBuilder::CacheCleanSpeech(const std::vector<const media::Audio*>& clips) {
  std::vector<const media::Audio*> missing;
  for (const media::Audio* clip : clips) {
    if (!clean_speech_.contains(clip) &&
        std::find(missing.begin(), missing.end(), clip) == missing.end()) {
      missing.push_back(clip);
    }
  }
  std::vector<absl::StatusOr<std::vector<float>>> prepared(missing.size());
  for (size_t i = 0; i < missing.size(); ++i) {
    pool_->Submit([&, i] { prepared[i] = CleanAudio(*missing[i]); });
  }
  pool_->Wait();
  for (size_t i = 0; i < missing.size(); ++i) {
    if (!prepared[i].ok()) return prepared[i].status();
    clean_speech_.emplace(missing[i], std::move(*prepared[i]));
  }
  return absl::OkStatus();
}

std::vector<int64_t> BatchBuilder::Text(const TrainingText& text, uint64_t seed) const {
  Rng rng(seed);
  std::string normalized = NormalizeWhitespace(AugmentText(text.text, text.lang, rng));
  if (normalized.empty()) normalized = NormalizeWhitespace(text.text);
  return model::Tokenize(manifest_.text->tokenizer, normalized);
}

absl::Status BatchBuilder::MainRow(int64_t step, int row, int stamp_index, StepBatch& out) const {
  const TrainingStamp& stamp = data_.stamps[stamp_index];
  auto seed = [&](uint64_t part) {
    return DeriveSeed(
        {seed_, static_cast<uint64_t>(step), kMainItem, static_cast<uint64_t>(row), part});
  };
  Rng pick(seed(0));
  XM_ASSIGN_OR_RETURN(const std::vector<float> image, Image(stamp, seed(1)));
  CopyRow(image, out.images, row);
  for (int k = 0; k < sizes_.texts_per_row; ++k) {
    const int text_index = pick.Bernoulli(sizes_.p_english)
                               ? 0
                               : pick.UniformInt(static_cast<int>(stamp.texts.size()));
    CopyRow(Text(stamp.texts[text_index], seed(100 + k)), out.text_ids,
            int64_t{row} * sizes_.texts_per_row + k);
  }
  out.groups[row] = stamp.group;
  return absl::OkStatus();
}

absl::Status BatchBuilder::SoundRow(int64_t step, int row, int stamp_index, StepBatch& out) const {
  const TrainingStamp& stamp = data_.stamps[stamp_index];
  auto seed = [&](uint64_t part) {
    return DeriveSeed(
        {seed_, static_cast<uint64_t>(step), kSoundItem, static_cast<uint64_t>(row), part});
  };
  XM_ASSIGN_OR_RETURN(const std::vector<float> image, Image(stamp, seed(1)));
  CopyRow(image, out.sound_images, row);
  XM_ASSIGN_OR_RETURN(const std::vector<float> sound, Audio(*stamp.sound, seed(2)));
  CopyRow(sound, out.sounds, row);
  CopyRow(Text(stamp.texts.front(), seed(3)), out.sound_text_ids, row);
  out.sound_groups[row] = stamp.group;
  return absl::OkStatus();
}

absl::StatusOr<StepBatch> BatchBuilder::Build(int64_t step) {
  const int64_t context = manifest_.text->tokenizer.context_length;
  const std::vector<int> main = EpochSample(static_cast<int>(data_.stamps.size()), sizes_.batch,
                                            step, DeriveSeed({seed_, kMainStamps}));
  std::vector<int> sound;
  if (!data_.with_sound.empty() && sizes_.sound_batch > 0) {
    for (int i : EpochSample(static_cast<int>(data_.with_sound.size()), sizes_.sound_batch, step,
                             DeriveSeed({seed_, kSoundStamps}))) {
      sound.push_back(data_.with_sound[i]);
    }
  }
  StepBatch out;
  out.step = step;
  out.audio_frames = audio_frames();
  out.rows = static_cast<int64_t>(main.size());
  out.groups.resize(out.rows);
  out.images.resize(out.rows * image_values());
  out.texts_per_row = sizes_.texts_per_row;
  out.text_ids.resize(out.rows * sizes_.texts_per_row * context);
  // Which clips of which rows: distinct clips, drawn per row from its own stream.
  std::vector<const media::Audio*> speech_clips;
  for (int64_t r = 0; r < out.rows; ++r) {
    const std::vector<media::Audio>& clips = data_.stamps[main[r]].speech;
    std::vector<int> order(clips.size());
    std::iota(order.begin(), order.end(), 0);
    Rng pick(
        DeriveSeed({seed_, static_cast<uint64_t>(step), kMainItem, static_cast<uint64_t>(r), 3}));
    const int n = std::min<int>(sizes_.speech_per_row, static_cast<int>(clips.size()));
    for (int j = 0; j < n; ++j) {
      std::swap(order[j], order[j + pick.UniformInt(static_cast<int>(clips.size()) - j)]);
      out.speech_rows.push_back(r);
      speech_clips.push_back(&clips[order[j]]);
    }
  }
  XM_RETURN_IF_ERROR(CacheCleanSpeech(speech_clips));
  out.speech.resize(out.speech_rows.size() * audio_values());
  out.speech_clean.resize(out.speech.size());
  out.sound_rows = static_cast<int64_t>(sound.size());
  out.sound_groups.resize(out.sound_rows);
  out.sound_images.resize(out.sound_rows * image_values());
  out.sounds.resize(out.sound_rows * audio_values());
  out.sound_text_ids.resize(out.sound_rows * context);

  std::mutex mu;
  absl::Status first_error;
  auto record = [&](absl::Status s) {
    if (s.ok()) return;
    std::lock_guard<std::mutex> lock(mu);
    if (first_error.ok()) first_error = std::move(s);
  };
  for (int r = 0; r < out.rows; ++r) {
    pool_->Submit([&, r] { record(MainRow(step, r, main[r], out)); });
  }
  for (size_t k = 0; k < out.speech_rows.size(); ++k) {
    pool_->Submit([&, k] {
      const uint64_t seed =
          DeriveSeed({seed_, static_cast<uint64_t>(step), kSpeechItem, static_cast<uint64_t>(k)});
      absl::StatusOr<std::vector<float>> features = Audio(*speech_clips[k], seed);
      if (!features.ok()) {
        record(features.status());
        return;
      }
      CopyRow(*features, out.speech, static_cast<int64_t>(k));
      CopyRow(clean_speech_.at(speech_clips[k]), out.speech_clean, static_cast<int64_t>(k));
    });
  }
  for (int r = 0; r < out.sound_rows; ++r) {
    pool_->Submit([&, r] { record(SoundRow(step, r, sound[r], out)); });
  }
  pool_->Wait();
  if (!first_error.ok()) return first_error;
  return out;
}

}  // namespace xmodal::train
