// One served generation: the read-only store as of publication, the verified FAISS indexes,
// and an in-memory table from vector id to item. Engine-internal. Immutable once loaded, so
// safe to share between threads.
#ifndef XMODAL_CORE_ENGINE_SNAPSHOT_H_
#define XMODAL_CORE_ENGINE_SNAPSHOT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "core/engine/collection.h"
#include "core/engine/searcher.h"
#include "core/index/vector_index.h"
#include "core/store/store.h"

namespace xmodal::engine {

struct VectorRef {
  int32_t item = -1;  // index into Snapshot::item_ids
  float start_seconds = 0.0f;
  float end_seconds = 0.0f;
};

struct Searcher::Snapshot {
  CollectionManifest manifest;
  std::unique_ptr<store::Store> store;
  std::map<Modality, std::unique_ptr<index::VectorIndex>> indexes;
  std::vector<std::string> item_ids;
  std::unordered_map<int64_t, VectorRef> vectors;

  // Loads `manifest`'s generation from `dir`. DATA_LOSS when an index file's SHA-256 differs
  // from the manifest; NOT_FOUND when a file is missing (e.g. removed by a newer publish).
  static absl::StatusOr<std::shared_ptr<const Snapshot>> Load(const std::string& dir,
                                                              CollectionManifest manifest);
};

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_SNAPSHOT_H_
