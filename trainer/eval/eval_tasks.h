// The six retrieval tasks of xmodal-eval (docs/eval.md), scored from embedded inputs.
#ifndef XMODAL_TRAINER_EVAL_EVAL_TASKS_H_
#define XMODAL_TRAINER_EVAL_EVAL_TASKS_H_

#include <vector>

#include "core/base/modality.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/eval/eval_inputs.h"
#include "trainer/eval/eval_report.h"
#include "trainer/eval/recall.h"

namespace xmodal::eval {

// Everything xmodal-eval embeds; the sets of a modality the model lacks stay empty.
struct EmbeddedSets {
  bool has_text = false, has_image = false, has_audio = false;
  SegmentedVectors clean_images;  // one item per stamp
  SegmentedVectors held_images;   // item t * stamps + s: stamp s under kImageTransforms[t]
  SegmentedVectors texts;         // EvalInputs::texts
  SegmentedVectors sounds;        // EvalInputs::sounds, clean
  SegmentedVectors held_sounds;   // EvalInputs::sounds, HeldOutSound
  SegmentedVectors speech;        // EvalInputs::speech, HeldOutSpeech
  bool Has(Modality m) const;
};

// text_to_image, image_to_text, sound_to_image, speech_to_image, image_to_audio and
// text_to_audio, in that order; a task needing a modality the sets lack has ran = false.
// The sets must match `inputs` and `corpus` item for item (CHECKed by the scorer).
std::vector<TaskResult> ScoreAllTasks(const corpus::StampCorpus& corpus, const EvalInputs& inputs,
                                      const EmbeddedSets& sets, int threads);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_EVAL_TASKS_H_
