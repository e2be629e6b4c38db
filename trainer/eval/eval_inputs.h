// The inputs of xmodal-eval listed from a stamp corpus: which descriptions, sounds and spoken
// descriptions are queries, each tied to its stamp. Pure; thread-safe.
#ifndef XMODAL_TRAINER_EVAL_EVAL_INPUTS_H_
#define XMODAL_TRAINER_EVAL_EVAL_INPUTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "trainer/corpus/stamp_corpus.h"

namespace xmodal::eval {

struct EvalText {
  int stamp = 0;  // index into StampCorpus::stamps
  std::string lang;
  std::string text;
};

struct EvalClip {
  int stamp = 0;
  std::string lang;  // spoken descriptions only
  std::string path;
};

struct EvalInputs {
  std::vector<EvalText> texts;        // every description of every stamp, stamp by stamp
  std::vector<int64_t> english_text;  // per stamp: its English description in `texts`
  std::vector<EvalClip> sounds;       // the sound effect of each stamp that has one
  std::vector<EvalClip> speech;       // every spoken description
};

EvalInputs ListEvalInputs(const corpus::StampCorpus& corpus);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_EVAL_INPUTS_H_
