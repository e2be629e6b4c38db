// The offline indexing run: load the model, open (or create) the collection pinned to it,
// enumerate the sources, embed every new item in batches, commit to the store, and publish
// a new index generation (DESIGN.md "Data flow").
#ifndef XMODAL_INDEXER_PIPELINE_H_
#define XMODAL_INDEXER_PIPELINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/media/audio.h"
#include "core/media/image.h"
#include "indexer/progress.h"
#include "indexer/summary.h"

namespace xmodal::indexer {

struct IndexerOptions {
  std::string collection_dir;          // created when missing
  std::string model_dir;               // a model package (docs/model-package.md)
  std::vector<std::string> paths;      // directories (walked recursively) or single files
  std::vector<std::string> manifests;  // JSONL manifests
  int batch_size = 32;                 // inputs per Encode call, 1..65536
  int threads = 0;                     // the thread budget; 0: the number of hardware threads
  std::string index_factory = "auto";  // "auto" or a FAISS factory string for every modality
  int64_t max_file_bytes = int64_t{256} << 20;  // a larger file is a failure, not read
  media::ImageLimits image_limits;
  media::AudioLimits audio_limits;
};

// INVALID_ARGUMENT naming the bad option (missing directories, nothing to index, batch size
// or threads out of range, empty factory, non-positive byte cap).
absl::Status ValidateOptions(const IndexerOptions& options);

// Runs the indexer. Inputs that cannot be read, decoded, prepared or encoded (and bad
// manifest lines) are recorded as failures in the store and in the summary; the rest is
// indexed and published. Items already in the collection (same content address) are counted
// as unchanged and not embedded again. A new generation is published when the store holds
// vectors the current generation lacks (or none was published, or the factory differs).
//
// Fatal errors, returned as they are and with nothing published: invalid options, the
// model's load errors, the collection's open errors (FAILED_PRECONDITION when it was built
// with another model, UNAVAILABLE when another process is writing it), a missing input path
// or manifest (NOT_FOUND), store write errors, index build errors.
//
// `progress` may be null. Sets the process-wide encoder and FAISS thread counts.
absl::StatusOr<IndexSummary> RunIndexer(const IndexerOptions& options, ProgressSink* progress);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_PIPELINE_H_
