#include "trainer/eval/eval_inputs.h"

namespace xmodal::eval {

EvalInputs ListEvalInputs(const corpus::StampCorpus& corpus) {
  EvalInputs in;
  for (int s = 0; s < static_cast<int>(corpus.stamps.size()); ++s) {
    const corpus::Stamp& stamp = corpus.stamps[s];
    // ReadStampCorpus guarantees the English description comes first.
    in.english_text.push_back(static_cast<int64_t>(in.texts.size()));
    for (const corpus::Description& d : stamp.descriptions) in.texts.push_back({s, d.lang, d.text});
    if (!stamp.sound_path.empty()) in.sounds.push_back({s, "", stamp.sound_path});
    for (const corpus::SpokenDescription& sp : stamp.spoken) {
      in.speech.push_back({s, sp.lang, sp.path});
    }
  }
  return in;
}

}  // namespace xmodal::eval
