// Training-time text augmentation (never used at serving time): case changes, dropped
// punctuation, dropped leading articles ("A lion." -> "lion") and sometimes one word of the
// description alone ("까만 고양이" -> "고양이"), so that a typed query such as "lion" or
// "고양이" (cat) meets the description "A lion." or "까만 고양이" (a black cat). Applied to the raw
// description before the model's own preparation (whitespace normalisation and tokenisation). Pure;
// thread-safe.
#ifndef XMODAL_TRAINER_TRAIN_TEXT_AUGMENT_H_
#define XMODAL_TRAINER_TRAIN_TEXT_AUGMENT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "trainer/train/rng.h"

namespace xmodal::train {

struct TextAugmentOptions {
  double p_drop_article = 0.5;      // when the description starts with an article of `lang`
  double p_drop_punctuation = 0.5;  // every punctuation character removed
  double p_one_word = 0.3;          // one word of a description of several kept alone
  double p_lowercase = 0.35;        // else p_uppercase, else p_flip_first, else unchanged
  double p_uppercase = 0.1;
  double p_flip_first = 0.15;  // the first letter's case flipped
};

// The augmented text; never empty when `text` has a letter (an article is only dropped when
// something follows it). `lang` is the corpus tag ("en", "fr", "ca@valencia", ...).
std::string AugmentText(absl::string_view text, absl::string_view lang, Rng& rng,
                        const TextAugmentOptions& options = {});

// Building blocks (exposed for tests).
// `text` without its leading article when `lang` has one there (case-insensitive); else as is.
std::string DropLeadingArticle(absl::string_view text, absl::string_view lang);
// `text` without ASCII and common Unicode punctuation, whitespace then normalised.
std::string DropPunctuation(absl::string_view text);
// One word of `text` (split at spaces), drawn from `rng`, without its punctuation; words of
// fewer than two bytes once stripped ("A", "-") do not count. `text` as is when fewer than two
// words count.
std::string KeepOneWord(absl::string_view text, Rng& rng);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_TEXT_AUGMENT_H_
