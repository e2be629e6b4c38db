// Simple (one code point to one code point) case mapping for the scripts of the stamp
// corpus's training languages: Latin-1, Latin Extended-A, Greek, Cyrillic and Armenian.
// Other code points are left as they are. Used by text augmentation only: the model's
// tokenizer lower-cases ASCII only, so the text tower must learn that "Лев" is "лев".
// Pure functions; thread-safe. Bytes that are not UTF-8 are copied as they are (decoding and
// encoding are core/base/utf8.h's).
#ifndef XMODAL_TRAINER_TRAIN_SIMPLE_CASE_H_
#define XMODAL_TRAINER_TRAIN_SIMPLE_CASE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace xmodal::train {

char32_t ToLowerCodePoint(char32_t c);
char32_t ToUpperCodePoint(char32_t c);

std::string ToLowerUtf8(absl::string_view text);
std::string ToUpperUtf8(absl::string_view text);
// The first letter (the first code point whose case mapping changes it) upper-cased, or
// lower-cased when `upper` is false; the rest unchanged.
std::string SetFirstLetterCase(absl::string_view text, bool upper);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_SIMPLE_CASE_H_
