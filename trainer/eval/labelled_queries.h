// The labelled queries file of `xmodal-eval queries` (docs/eval.md "Scoring any collection"):
// JSONL, one query per line, e.g.
//   {"id": "q1", "text": "a red car", "target": "image", "relevant": ["cars/red.png"]}
//   {"image": "queries/cat.jpg", "relevant": {"cats/cat.jpg": 2, "cats/kitten.jpg": 1}}
// Exactly one of "text" (the query text), "image" or "audio" (a file; a relative path is
// relative to the queries file's directory); "relevant": a non-empty array of item ids or
// source URIs, or an object mapping each to a grade (a number > 0); optional "target":
// "text", "image" or "audio" (default: every modality of the collection); optional "id" (a
// string naming the query in the report; default "L<line>"). Other keys are errors. Blank
// lines and lines whose first non-blank character is '#' are skipped.
//
// The file is untrusted: its size, the length of each line and the number of lines are capped
// (QueriesFileLimits), and every error is INVALID_ARGUMENT "<file>:<line>: <what is wrong>".
// Pure functions; thread-safe.
#ifndef XMODAL_TRAINER_EVAL_LABELLED_QUERIES_H_
#define XMODAL_TRAINER_EVAL_LABELLED_QUERIES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"

namespace xmodal::eval {

struct QueriesFileLimits {
  int64_t max_file_bytes = int64_t{256} << 20;
  int64_t max_line_bytes = int64_t{1} << 20;  // without the line break
  int64_t max_lines = 1'000'000;              // every line, blank and comment lines included
};

// One relevant item as the file names it: an item id or a source URI, and its grade.
struct RelevantRef {
  std::string ref;
  double grade = 1.0;
};

struct LabelledQuery {
  int64_t line = 0;  // 1-based line number in the file
  std::string id;    // "id", or "L<line>"
  Modality kind = Modality::kText;
  std::string text;                   // kind text: the query text, as given
  std::string path;                   // kind image / audio: absolute, lexically normalised
  std::optional<Modality> target;     // nullopt: every modality of the collection
  std::vector<RelevantRef> relevant;  // non-empty, distinct refs, in file order
  bool graded = false;                // "relevant" was an object of grades
};

// Parses one line (neither blank nor a comment). `base_dir` resolves relative media paths.
// INVALID_ARGUMENT with the problem alone (no file or line prefix): not JSON, not an object,
// unknown key, none or several of "text" / "image" / "audio", an empty or non-string value,
// a bad target, no relevant item, a relevant entry that is empty or not a string, a grade that
// is not a finite number > 0, a ref listed twice, an "id" that is not a string.
absl::StatusOr<LabelledQuery> ParseLabelledQuery(absl::string_view line, int64_t line_number,
                                                 absl::string_view base_dir);

// Parses the whole file's `contents`; `file_name` prefixes the messages. A UTF-8 byte order
// mark and "\r" line ends are accepted. Errors: the first bad line's, as
// "<file_name>:<line>: <problem>"; also a line over max_line_bytes, more than max_lines lines,
// and a file with no query at all.
absl::StatusOr<std::vector<LabelledQuery>> ParseLabelledQueries(
    absl::string_view contents, absl::string_view file_name, absl::string_view base_dir,
    const QueriesFileLimits& limits = {});

// The absolute, lexically normalised directory of the queries file `path`: what relative
// paths in it are relative to.
std::string QueriesFileDir(const std::string& path);

// Reads and parses `path` (relative media paths resolve against its directory). NOT_FOUND,
// RESOURCE_EXHAUSTED (over max_file_bytes) and INTERNAL as ReadFile; parse errors as above.
absl::StatusOr<std::vector<LabelledQuery>> ReadLabelledQueries(
    const std::string& path, const QueriesFileLimits& limits = {});

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_LABELLED_QUERIES_H_
