// Embeds lists of items with a model package for xmodal-eval: inputs are prepared on a thread
// pool in chunks (bounded memory) and encoded in batches of kEvalBatchSize.
#ifndef XMODAL_TRAINER_EVAL_EMBEDDER_H_
#define XMODAL_TRAINER_EVAL_EMBEDDER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/base/modality.h"
#include "core/base/thread_pool.h"
#include "core/model/model.h"
#include "trainer/eval/recall.h"

namespace xmodal::eval {

inline constexpr int kEvalBatchSize = 32;

// Item i's encoder inputs: one for a text or an image, one per segment for audio. Must be
// thread-safe (it is called concurrently for different items).
using PrepareFn = std::function<absl::StatusOr<std::vector<model::ModelInput>>(int64_t)>;
// Told how many items are done, after each chunk.
using ProgressFn = std::function<void(int64_t done, int64_t total)>;

struct EmbedResult {
  SegmentedVectors vectors;                                // one item per index, in order
  std::vector<std::pair<int64_t, absl::Status>> failures;  // items with no vectors, and why
};

// Embeds items 0..count-1 of `modality`. An item whose `prepare` fails keeps zero rows and is
// listed in `failures`. Errors: the encoder's (e.g. INTERNAL from LibTorch), which end the
// run since every later batch would fail alike. `pool` runs the prepare calls; encoding runs
// on the calling thread with the process's encoder threads.
absl::StatusOr<EmbedResult> EmbedItems(const model::Model& model, Modality modality, int64_t count,
                                       const PrepareFn& prepare, ThreadPool& pool,
                                       const ProgressFn& progress = nullptr);

// The items `indices` of `from`, in that order (for galleries that are a subset of a query set).
SegmentedVectors SelectItems(const SegmentedVectors& from, const std::vector<int64_t>& indices);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_EMBEDDER_H_
