// A collection directory: the RocksDB store (source of truth), the published FAISS index
// generations derived from it, and the pin of the model that produced its vectors.
//
//   <dir>/db/                       RocksDB
//   <dir>/index/<generation>/<modality>.faiss
//   <dir>/MANIFEST.json             current generation, file hashes, factories, counts, pin
#ifndef XMODAL_CORE_ENGINE_COLLECTION_H_
#define XMODAL_CORE_ENGINE_COLLECTION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/modality.h"
#include "core/model/model.h"
#include "core/store/store.h"

namespace xmodal::engine {

struct PublishedIndex {
  Modality modality = Modality::kText;
  std::string file;     // relative to the collection directory
  std::string sha256;   // of the file's bytes
  std::string factory;  // FAISS factory string
  int64_t vectors = 0;
};

struct CollectionManifest {
  int64_t generation = 0;  // 0: nothing published yet
  model::ModelPin pin;
  std::vector<PublishedIndex> indexes;
  int64_t published_unix_seconds = 0;
  std::string model_dir;  // absolute path of the package the indexer used; a default for servers

  std::string ToJson() const;
  static absl::StatusOr<CollectionManifest> Parse(absl::string_view json_text);
};

struct CollectionOptions {
  bool create_if_missing = true;
  bool read_only = false;  // the server's view: no writes, no lock held
  std::string model_dir;   // recorded in the manifest on publish (see CollectionManifest)
};

struct IndexBuildOptions {
  std::string factory = "auto";  // or a FAISS factory string used for every modality
  int64_t memory_budget_bytes = int64_t{8} << 30;
  // Called with (modality, vectors read so far, total) while building; may be empty.
  std::function<void(Modality, int64_t, int64_t)> progress;
};

class Collection {
 public:
  // Opens `dir`. A new collection records `pin`; an existing one must have been built with
  // the same pin, else FAILED_PRECONDITION naming both models. NOT_FOUND when the directory
  // does not hold a collection and !create_if_missing.
  static absl::StatusOr<std::unique_ptr<Collection>> Open(const std::string& dir,
                                                          const model::ModelPin& pin,
                                                          const CollectionOptions& options);
  // The pin a collection was built with, read without opening it for writing.
  static absl::StatusOr<model::ModelPin> ReadPin(const std::string& dir);

  const std::string& dir() const { return dir_; }
  const model::ModelPin& pin() const { return pin_; }
  store::Store& store() const { return *store_; }

  // Builds one index per modality that has vectors, from the store, then publishes it as the
  // next generation (DESIGN.md invariant 4: temp file, fsync, rename, fsync dir, then the
  // manifest). Older generations are deleted after the new manifest is durable.
  absl::StatusOr<CollectionManifest> BuildAndPublish(const IndexBuildOptions& options);

  // The current manifest; generation 0 with no indexes when nothing is published yet.
  static absl::StatusOr<CollectionManifest> ReadManifest(const std::string& dir);

 private:
  Collection(std::string dir, model::ModelPin pin, std::string model_dir,
             std::unique_ptr<store::Store> store);

  std::string dir_;
  model::ModelPin pin_;
  std::string model_dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_COLLECTION_H_
