#include "trainer/eval/eval_tasks.h"

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "trainer/corpus/splits.h"
#include "trainer/eval/embedder.h"
#include "trainer/eval/heldout_transforms.h"
#include "trainer/eval/task_score.h"

namespace xmodal::eval {
namespace {

template <typename T>
std::vector<int> GroupsOf(const corpus::StampCorpus& corpus, const std::vector<T>& items) {
  std::vector<int> groups;
  for (const T& item : items) groups.push_back(corpus.stamps[item.stamp].group);
  return groups;
}

template <typename T>
std::vector<QueryLabels> LanguageLabels(const std::vector<T>& items) {
  QueryLabels per_language{"per_language", {}, {}};
  QueryLabels split{"split", {}, {"training_languages", "held_out_languages"}};
  for (const T& item : items) {
    per_language.labels.push_back(item.lang);
    split.labels.push_back(corpus::IsHeldOutLanguage(item.lang) ? "held_out_languages"
                                                                : "training_languages");
  }
  return {split, per_language};
}

TaskResult NewTask(const std::string& name, const std::string& query, const std::string& gallery) {
  TaskResult t;
  t.name = name;
  t.query = query;
  t.gallery = gallery;
  return t;
}

void Skip(TaskResult& t, const EmbeddedSets& sets, std::initializer_list<Modality> needs) {
  for (Modality m : needs) {
    if (!sets.Has(m)) {
      t.ran = false;
      t.skipped_reason = absl::StrCat("the model does not encode ", ModalityName(m));
      return;
    }
  }
}

}  // namespace

bool EmbeddedSets::Has(Modality m) const {
  switch (m) {
    case Modality::kText:
      return has_text;
    case Modality::kImage:
      return has_image;
    case Modality::kAudio:
      return has_audio;
  }
  return false;
}

std::vector<TaskResult> ScoreAllTasks(const corpus::StampCorpus& corpus, const EvalInputs& inputs,
                                      const EmbeddedSets& sets, int threads) {
  std::vector<TaskResult> tasks;
  std::vector<int> stamp_groups;
  for (const corpus::Stamp& s : corpus.stamps) stamp_groups.push_back(s.group);
  const std::vector<int> sound_groups = GroupsOf(corpus, inputs.sounds);

  TaskResult t2i = NewTask("text_to_image", "every description, in every language",
                           "clean stamp images, one per stamp");
  Skip(t2i, sets, {Modality::kText, Modality::kImage});
  if (t2i.ran) {
    ScoreTask(sets.texts, GroupsOf(corpus, inputs.texts), sets.clean_images, stamp_groups,
              LanguageLabels(inputs.texts), threads, t2i);
  }
  tasks.push_back(t2i);

  TaskResult i2t = NewTask("image_to_text",
                           "every stamp image under each held-out transform (blur, pixelate, "
                           "noise)",
                           "English descriptions, one per stamp");
  Skip(i2t, sets, {Modality::kImage, Modality::kText});
  if (i2t.ran) {
    const size_t n = corpus.stamps.size();
    QueryLabels per_transform{"per_transform", {}, {}};
    std::vector<int> groups;
    for (absl::string_view transform : kImageTransforms) {
      per_transform.order.emplace_back(transform);
      for (size_t s = 0; s < n; ++s) {
        per_transform.labels.emplace_back(transform);
        groups.push_back(corpus.stamps[s].group);
      }
    }
    ScoreTask(sets.held_images, groups, SelectItems(sets.texts, inputs.english_text), stamp_groups,
              {per_transform}, threads, i2t);
  }
  tasks.push_back(i2t);

  TaskResult s2i =
      NewTask("sound_to_image", "sound effects: the first 2 s with white noise at 15 dB SNR",
              "clean stamp images, one per stamp");
  Skip(s2i, sets, {Modality::kAudio, Modality::kImage});
  if (s2i.ran)
    ScoreTask(sets.held_sounds, sound_groups, sets.clean_images, stamp_groups, {}, threads, s2i);
  tasks.push_back(s2i);

  TaskResult sp2i =
      NewTask("speech_to_image", "spoken descriptions: speed x1.12 and white noise at 15 dB SNR",
              "clean stamp images, one per stamp");
  Skip(sp2i, sets, {Modality::kAudio, Modality::kImage});
  if (sp2i.ran) {
    ScoreTask(sets.speech, GroupsOf(corpus, inputs.speech), sets.clean_images, stamp_groups,
              LanguageLabels(inputs.speech), threads, sp2i);
  }
  tasks.push_back(sp2i);

  std::vector<int64_t> sound_stamps;
  std::vector<int64_t> sound_english;
  for (const EvalClip& c : inputs.sounds) {
    sound_stamps.push_back(c.stamp);
    sound_english.push_back(inputs.english_text[c.stamp]);
  }
  TaskResult i2a = NewTask("image_to_audio", "clean images of the stamps that have a sound effect",
                           "clean sound effects");
  Skip(i2a, sets, {Modality::kImage, Modality::kAudio});
  if (i2a.ran) {
    ScoreTask(SelectItems(sets.clean_images, sound_stamps), sound_groups, sets.sounds, sound_groups,
              {}, threads, i2a);
  }
  tasks.push_back(i2a);

  TaskResult t2a =
      NewTask("text_to_audio", "English descriptions of the stamps that have a sound effect",
              "clean sound effects");
  Skip(t2a, sets, {Modality::kText, Modality::kAudio});
  if (t2a.ran) {
    ScoreTask(SelectItems(sets.texts, sound_english), sound_groups, sets.sounds, sound_groups, {},
              threads, t2a);
  }
  tasks.push_back(t2a);
  return tasks;
}

}  // namespace xmodal::eval
