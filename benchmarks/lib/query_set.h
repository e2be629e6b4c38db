// The queries a load run sends: texts, image files and audio files read from a directory, and
// the weights of the query mix ("text=8,image=1,audio=1").
#ifndef XMODAL_BENCHMARKS_LIB_QUERY_SET_H_
#define XMODAL_BENCHMARKS_LIB_QUERY_SET_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"

namespace xmodal::bench {

// Query payloads per kind: UTF-8 texts, and the bytes of image / audio files.
struct QuerySet {
  std::vector<std::string> texts;
  std::vector<std::string> images;
  std::vector<std::string> audio;

  const std::vector<std::string>& of(Modality kind) const;
  size_t size() const { return texts.size() + images.size() + audio.size(); }
};

// Reads every file under `dir` (recursively, in sorted path order, hidden names skipped):
// each non-blank line of a .txt file is a text query (trimmed); .jpg .jpeg .png .webp files
// are image queries; .wav .flac .ogg .mp3 audio queries; other files are ignored.
// NOT_FOUND when `dir` does not exist, INVALID_ARGUMENT when it holds no queries or a .txt
// file is not UTF-8, RESOURCE_EXHAUSTED for a file over `max_file_bytes`.
absl::StatusOr<QuerySet> LoadQuerySet(const std::string& dir,
                                      int64_t max_file_bytes = int64_t{64} << 20);

// Relative weights of the query kinds, indexed by Modality (text, image, audio).
struct QueryMix {
  std::array<double, 3> weights = {8, 1, 1};
  double weight(Modality m) const { return weights[static_cast<int>(m)]; }
};

// Parses "text=8,image=1,audio=1" (any subset, any order; missing kinds weigh 0).
// INVALID_ARGUMENT for an unknown kind, a repeated kind, a weight that is not a finite number
// >= 0, or all weights 0.
absl::StatusOr<QueryMix> ParseQueryMix(absl::string_view text);

// "text=8,image=1,audio=1" (weights printed with %g; zero weights left out).
std::string QueryMixToString(const QueryMix& mix);

// INVALID_ARGUMENT naming the first kind with a positive weight but no queries in `set`.
absl::Status CheckMixCovered(const QueryMix& mix, const QuerySet& set);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_QUERY_SET_H_
