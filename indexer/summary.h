// What an indexing run did: counts per modality, failures with reasons, stage timings and the
// published generation; rendered as a short human report or as JSON (docs/indexer.md).
#ifndef XMODAL_INDEXER_SUMMARY_H_
#define XMODAL_INDEXER_SUMMARY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/base/modality.h"

namespace xmodal::indexer {

struct ModalityCounts {
  int64_t indexed = 0;    // items embedded and committed by this run
  int64_t unchanged = 0;  // already in the collection, or a repeat of an earlier input
  int64_t failed = 0;     // could not be read, decoded, prepared or encoded
  int64_t vectors = 0;    // vectors committed by this run (audio: one per segment)
};

struct FailureEntry {
  std::string uri;
  std::string reason;
};

struct StageSeconds {
  double prepare = 0.0;  // read + decode + prepare, summed over worker threads
  double encode = 0.0;
  double commit = 0.0;
  double index_build = 0.0;
};

struct IndexSummary {
  // Only this many failures are kept in `failures`; `failed_total` counts all of them (the
  // store keeps every failure record).
  static constexpr size_t kMaxListedFailures = 1000;

  std::map<Modality, ModalityCounts> modalities;  // every modality present, zero when unused
  int64_t items_total = 0;                        // work items enumerated
  int64_t ignored_files = 0;  // files with an unknown extension in directory trees
  int64_t failed_total = 0;   // includes failures of unknown modality (bad manifest lines)
  std::vector<FailureEntry> failures;
  StageSeconds stages;
  double wall_seconds = 0.0;
  bool published = false;                     // whether this run published a new generation
  int64_t generation = 0;                     // the collection's current generation after the run
  std::map<Modality, int64_t> index_vectors;  // vectors per index of that generation

  IndexSummary();
  // Counts a failure (per modality when known) and lists it while under the cap.
  void AddFailure(std::optional<Modality> modality, std::string uri, std::string reason);
  ModalityCounts Totals() const;
};

// A short table, then up to `max_failures` failures with reasons and "N more".
std::string SummaryToText(const IndexSummary& summary, int max_failures = 20);

// The --json document (schema in docs/indexer.md), one line, no trailing newline.
std::string SummaryToJson(const IndexSummary& summary);

// 0 when nothing failed, 1 when some inputs failed (the rest was indexed and published).
int ExitCodeFor(const IndexSummary& summary);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_SUMMARY_H_
