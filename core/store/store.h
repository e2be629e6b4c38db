// The collection's source of truth, on RocksDB: items, raw vectors, failures and small
// metadata values, each in its own column family. The only module that includes RocksDB.
#ifndef XMODAL_CORE_STORE_STORE_H_
#define XMODAL_CORE_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/base/modality.h"
#include "core/store/records.h"

namespace xmodal::store {

struct StoreOptions {
  bool create_if_missing = true;
  bool read_only = false;  // open for reading while another process may write (server)
};

// Thread-safe: every method may be called concurrently. Writes are synced (fsync) before
// they return, so a commit survives kill -9 and power loss.
class Store {
 public:
  virtual ~Store() = default;

  // Opens or creates the database in `db_dir`. NOT_FOUND when missing and not
  // create_if_missing; UNAVAILABLE when another process holds the write lock; INTERNAL with
  // RocksDB's message otherwise.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& db_dir,
                                                     const StoreOptions& options);

  // Small named values (the model pin, settings). nullopt when absent.
  virtual absl::StatusOr<std::optional<std::string>> GetMeta(absl::string_view key) const = 0;
  virtual absl::Status PutMeta(absl::string_view key, absl::string_view value) = 0;

  // Atomically writes items and their vectors (one synced write batch), assigns vector ids
  // (increasing, never reused), fills ItemRecord::vector_ids, and clears failure records of
  // the items' source URIs. Items already present are left unchanged together with their
  // vectors. Returns the ids assigned, in `vectors` order (-1 for skipped ones).
  // INVALID_ARGUMENT for a vector whose item is not in `items` or a width that differs from
  // earlier commits.
  virtual absl::StatusOr<std::vector<int64_t>> Commit(std::vector<ItemRecord> items,
                                                      std::vector<VectorRecord> vectors) = 0;

  virtual absl::StatusOr<std::optional<ItemRecord>> GetItem(absl::string_view item_id) const = 0;
  virtual absl::StatusOr<bool> HasItem(absl::string_view item_id) const = 0;
  virtual absl::StatusOr<std::optional<VectorRecord>> GetVector(int64_t vector_id) const = 0;

  // Calls `fn` for every vector of `modality` in id order; stops early with fn's error.
  virtual absl::Status ForEachVector(
      Modality modality, const std::function<absl::Status(const VectorRecord&)>& fn) const = 0;
  // Calls `fn` for every item in id order; stops early with fn's error.
  virtual absl::Status ForEachItem(
      const std::function<absl::Status(const ItemRecord&)>& fn) const = 0;

  virtual absl::StatusOr<int64_t> CountItems(Modality modality) const = 0;
  virtual absl::StatusOr<int64_t> CountVectors(Modality modality) const = 0;

  // Failures, keyed by source URI (a later failure of the same source replaces the earlier).
  virtual absl::Status PutFailure(const FailureRecord& failure) = 0;
  virtual absl::StatusOr<std::vector<FailureRecord>> ListFailures() const = 0;
};

}  // namespace xmodal::store

#endif  // XMODAL_CORE_STORE_STORE_H_
