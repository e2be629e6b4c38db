// The language split of the default model (issue 3): descriptions in the held-out languages
// are never used in training, only by xmodal-eval to measure how the text tower generalises
// to languages it never saw. Pure functions; thread-safe.
#ifndef XMODAL_TRAINER_CORPUS_SPLITS_H_
#define XMODAL_TRAINER_CORPUS_SPLITS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "trainer/corpus/stamp_corpus.h"

namespace xmodal::corpus {

// True for the held-out languages: Portuguese (pt, pt_BR), Norwegian Nynorsk (nn),
// Ukrainian (uk), Slovak (sk) and Serbian in Latin script (sr@latin). Exact, case-sensitive
// match on the corpus's tags ("sr" in Cyrillic script is a training language).
bool IsHeldOutLanguage(absl::string_view lang);

// The held-out tags, sorted: {"nn", "pt", "pt_BR", "sk", "sr@latin", "uk"}.
std::vector<std::string> HeldOutLanguages();

// Every description language in `corpus` that is not held out, sorted by byte order
// ("en" included); no duplicates.
std::vector<std::string> TrainingLanguages(const StampCorpus& corpus);

}  // namespace xmodal::corpus

#endif  // XMODAL_TRAINER_CORPUS_SPLITS_H_
