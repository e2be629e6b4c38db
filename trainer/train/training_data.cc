#include "trainer/train/training_data.h"

#include <glog/logging.h>

#include <atomic>
#include <set>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/base/thread_pool.h"
#include "trainer/corpus/splits.h"

namespace xmodal::train {
namespace {

absl::StatusOr<media::Audio> LoadClip(const std::string& path, const LoadOptions& options) {
  const media::AudioLimits limits;
  XM_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path, limits.max_bytes));
  XM_ASSIGN_OR_RETURN(media::Audio audio, media::DecodeAudio(bytes, limits));
  const auto max_in = static_cast<size_t>(options.max_clip_seconds * audio.sample_rate);
  if (audio.samples.size() > max_in) audio.samples.resize(max_in);
  XM_ASSIGN_OR_RETURN(audio.samples,
                      media::Resample(audio.samples, audio.sample_rate, options.sample_rate));
  audio.sample_rate = options.sample_rate;
  if (audio.samples.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no samples"));
  return audio;
}

struct StampResult {
  std::optional<TrainingStamp> stamp;
  int failures = 0;
  int held_out_dropped = 0;
};

StampResult LoadStamp(const corpus::Stamp& s, const LoadOptions& options) {
  StampResult r;
  absl::StatusOr<media::Image> image = corpus::LoadStampImage(s, options.svg_side);
  if (!image.ok()) {
    LOG(WARNING) << "training data: dropping stamp " << s.name << ": " << image.status();
    r.failures = 1;
    return r;
  }
  TrainingStamp t;
  t.name = s.name;
  t.group = s.group;
  t.image = MakeTrainingImage(*image, options.image_side);
  std::set<std::string> seen;
  for (const corpus::Description& d : s.descriptions) {
    if (corpus::IsHeldOutLanguage(d.lang)) {
      ++r.held_out_dropped;
      continue;
    }
    if (seen.insert(d.text).second) t.texts.push_back({d.lang, d.text});
  }
  if (!s.sound_path.empty()) {
    absl::StatusOr<media::Audio> clip = LoadClip(s.sound_path, options);
    if (clip.ok()) {
      t.sound = *std::move(clip);
    } else {
      LOG(WARNING) << "training data: skipping a sound: " << clip.status();
      ++r.failures;
    }
  }
  std::vector<corpus::SpokenDescription> spoken = s.spoken;
  spoken.insert(spoken.end(), s.localized_sounds.begin(), s.localized_sounds.end());
  for (const corpus::SpokenDescription& sp : spoken) {
    if (corpus::IsHeldOutLanguage(sp.lang)) continue;
    absl::StatusOr<media::Audio> clip = LoadClip(sp.path, options);
    if (clip.ok()) {
      t.speech.push_back(*std::move(clip));
    } else {
      LOG(WARNING) << "training data: skipping a spoken clip: " << clip.status();
      ++r.failures;
    }
  }
  r.stamp = std::move(t);
  return r;
}

}  // namespace

absl::StatusOr<TrainingData> LoadTrainingData(const corpus::StampCorpus& corpus,
                                              const LoadOptions& options) {
  std::vector<StampResult> results(corpus.stamps.size());
  {
    ThreadPool pool(options.threads);
    for (size_t i = 0; i < corpus.stamps.size(); ++i) {
      pool.Submit([&, i] { results[i] = LoadStamp(corpus.stamps[i], options); });
    }
    pool.Wait();
  }
  TrainingData data;
  for (StampResult& r : results) {
    data.failures += r.failures;
    data.held_out_texts_dropped += r.held_out_dropped;
    if (!r.stamp) continue;
    const int index = static_cast<int>(data.stamps.size());
    if (r.stamp->sound) data.with_sound.push_back(index);
    if (!r.stamp->speech.empty()) data.with_speech.push_back(index);
    data.texts += static_cast<int64_t>(r.stamp->texts.size());
    data.speech_clips += static_cast<int64_t>(r.stamp->speech.size());
    data.stamps.push_back(*std::move(r.stamp));
  }
  if (data.stamps.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("no stamp of the corpus at '", corpus.root, "' could be loaded"));
  }
  return data;
}

}  // namespace xmodal::train
