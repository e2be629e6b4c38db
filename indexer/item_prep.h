// The per-item work done on the indexer's worker threads: read the bytes, compute the content
// address, skip what the store already has, decode, and prepare the encoder inputs.
#ifndef XMODAL_INDEXER_ITEM_PREP_H_
#define XMODAL_INDEXER_ITEM_PREP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/media/audio.h"
#include "core/media/image.h"
#include "core/model/model.h"
#include "core/store/records.h"
#include "core/store/store.h"
#include "indexer/sources.h"

namespace xmodal::indexer {

struct PrepOptions {
  int64_t max_file_bytes = int64_t{256} << 20;
  media::ImageLimits image_limits;
  media::AudioLimits audio_limits;
};

struct PreparedItem {
  enum class Outcome { kReady, kUnchanged, kFailed };
  Outcome outcome = Outcome::kFailed;
  // Always: modality and source_uri. kReady and kUnchanged: the id. kReady: every field but
  // vector_ids.
  store::ItemRecord record;
  std::vector<model::ModelInput> inputs;  // kReady: one input, or one per audio segment
  std::string reason;                     // kFailed: what went wrong, for the failure record
  absl::Status fatal;                     // not OK when the store could not be read
  double seconds = 0.0;                   // time spent here
};

// Never returns a fatal status for a problem with the input itself; those are kFailed with a
// reason ("cannot decode image: ...", "the model 'x' does not encode audio", ...).
// Thread-safe (the model's Prepare* and the store's HasItem are).
PreparedItem PrepareWorkItem(const WorkItem& item, const model::Model& model,
                             const store::Store& store, const PrepOptions& options);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_ITEM_PREP_H_
