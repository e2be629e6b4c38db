// The embedding loop of a run: prepares work items on a thread pool, a bounded window ahead of
// the consumer, and hands them in enumeration order to a BatchCommitter, so that the same
// inputs always commit in the same order (and get the same vector ids) whatever the timing.
#ifndef XMODAL_INDEXER_EMBED_LOOP_H_
#define XMODAL_INDEXER_EMBED_LOOP_H_

#include <vector>

#include "absl/status/status.h"
#include "core/model/model.h"
#include "core/store/store.h"
#include "indexer/item_prep.h"
#include "indexer/progress.h"
#include "indexer/sources.h"
#include "indexer/summary.h"

namespace xmodal::indexer {

struct EmbedOptions {
  int threads = 1;  // worker threads preparing items
  int batch_size = 32;
  PrepOptions prep;
};

// Embeds and commits every item of `items` the store does not hold yet, counting into
// `summary` (indexed, unchanged, failed, vectors, stage seconds) and reporting to `progress`.
// An item whose content address repeats an earlier one of the run counts as unchanged.
// Errors (fatal): the store's read and write errors.
absl::Status EmbedAll(const std::vector<WorkItem>& items, const model::Model& model,
                      store::Store& store, const EmbedOptions& options, IndexSummary& summary,
                      ProgressSink& progress);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_EMBED_LOOP_H_
