// Gathers prepared items per modality, encodes them in batches and commits each batch (items
// and vectors together, one synced write) to the store.
#ifndef XMODAL_INDEXER_BATCH_COMMITTER_H_
#define XMODAL_INDEXER_BATCH_COMMITTER_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/base/modality.h"
#include "core/model/model.h"
#include "core/store/store.h"
#include "indexer/item_prep.h"
#include "indexer/summary.h"

namespace xmodal::indexer {

// Records a failure in the store (kept until the source succeeds) and in the summary.
// Errors: the store's PutFailure errors.
absl::Status RecordFailure(store::Store& store, IndexSummary& summary,
                           std::optional<Modality> modality, const std::string& uri,
                           const std::string& reason);

// Not thread-safe: one thread adds and flushes. Counts indexed items, vectors, encode and
// commit seconds, and encode failures into the summary it is given.
class BatchCommitter {
 public:
  BatchCommitter(const model::Model& model, store::Store& store, int batch_size,
                 IndexSummary& summary);

  // Queues a kReady item. When its modality's queue holds at least batch_size inputs, encodes
  // them (batch_size inputs per Encode call) and commits the items with their vectors. When
  // encoding fails, each queued item of that modality becomes a failure with the encoder's
  // message and the run goes on. Errors (fatal for the run): the store's write errors.
  absl::Status Add(PreparedItem item);
  // Encodes and commits whatever is queued.
  absl::Status FlushAll();

 private:
  absl::Status Flush(Modality modality);

  const model::Model& model_;
  store::Store& store_;
  const size_t batch_size_;
  IndexSummary& summary_;
  std::map<Modality, std::vector<PreparedItem>> queued_;
  std::map<Modality, size_t> queued_inputs_;
};

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_BATCH_COMMITTER_H_
