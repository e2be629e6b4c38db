// Parsing of a stamp's description file (NAME.txt) and the key that groups stamps whose
// English descriptions are the same. Pure functions; thread-safe.
#ifndef XMODAL_TRAINER_CORPUS_DESCRIPTION_FILE_H_
#define XMODAL_TRAINER_CORPUS_DESCRIPTION_FILE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "trainer/corpus/stamp_corpus.h"

namespace xmodal::corpus {

// Parses a NAME.txt file: the first line is the English description ("en"); each later line
// `LANG.utf8=TEXT` gives the description in LANG (LANG is letters, digits, '_', '-' and '@',
// e.g. "pt_BR", "sr@latin", "ca@valencia"). Texts are whitespace-normalised (trimmed, inner
// runs collapsed). Empty texts, texts that are not valid UTF-8, repeated languages (the first
// wins) and lines of any other shape are skipped. A leading UTF-8 byte-order mark and CR line
// ends are tolerated. Returns English first (when the first line is non-empty), then the other
// languages in file order; an empty vector when nothing is usable.
std::vector<Description> ParseDescriptionFile(absl::string_view contents);

// True for a plausible language tag as used in the corpus: 2-3 ASCII letters, optionally
// `_REGION` (letters or digits) and `@VARIANT` (letters): "ko", "pt_BR", "zh_tw", "sr@latin".
bool LooksLikeLanguageTag(absl::string_view tag);

// The grouping key of an English description: whitespace-normalised, ASCII letters
// lower-cased, trailing sentence punctuation (. ! ? , ; :) and spaces removed.
// GroupKey("A lion.") == GroupKey("a  lion") == "a lion".
std::string GroupKey(absl::string_view english);

}  // namespace xmodal::corpus

#endif  // XMODAL_TRAINER_CORPUS_DESCRIPTION_FILE_H_
