// The collection's source of truth, on RocksDB: items, raw vectors, failures and small
// metadata values, each in its own column family. The only module that includes RocksDB.
#ifndef XMODAL_CORE_STORE_STORE_H_
#define XMODAL_CORE_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"
#include "core/store/records.h"

namespace xmodal::store {

struct StoreOptions {
  bool create_if_missing = true;
  // Open for reading while another process may write (server): takes no lock, sees the data
  // as of Open (reopen to see later commits), and every write returns FAILED_PRECONDITION
  // "store was opened read-only".
  bool read_only = false;
};

// Thread-safe: every method may be called concurrently. Writes are synced (fsync) before
// they return, so a commit survives kill -9 and power loss.
class Store {
 public:
  virtual ~Store() = default;

  // Opens or creates the database in `db_dir` (and its parents). NOT_FOUND when missing and
  // not create_if_missing (or read_only); UNAVAILABLE "collection database '<dir>' is in use by
  // another process" when another writable open (in this or another process) holds the lock;
  // DATA_LOSS for corruption RocksDB detects; INTERNAL with RocksDB's message otherwise.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& db_dir,
                                                     const StoreOptions& options);

  // Small named values (the model pin, settings). nullopt when absent. PutMeta is synced;
  // INVALID_ARGUMENT for an empty key or one starting with a NUL byte (reserved for the
  // store's own counters).
  virtual absl::StatusOr<std::optional<std::string>> GetMeta(absl::string_view key) const = 0;
  virtual absl::Status PutMeta(absl::string_view key, absl::string_view value) = 0;

  // Atomically writes items and their vectors (one synced write batch), assigns vector ids
  // (increasing, never reused), fills ItemRecord::vector_ids, and clears failure records of
  // the items' source URIs. Items already present are left unchanged together with their
  // vectors. Returns the ids assigned, in `vectors` order (-1 for skipped ones).
  // The failure records of every item's source URI are cleared, skipped items included (the
  // source was processed successfully).
  // INVALID_ARGUMENT, with nothing written, for a vector whose item is not in `items` or a
  // width that differs from earlier commits (or from the other vectors of the batch); also for
  // an item id that is empty, longer than 65535 bytes or repeated within `items` (dedupe
  // first), a vector whose modality differs from its item's, an empty vector, NaN / infinite
  // values or a negative time span, and text / metadata / content_sha256 that is not UTF-8
  // (source URIs and group ids may be any bytes).
  virtual absl::StatusOr<std::vector<int64_t>> Commit(std::vector<ItemRecord> items,
                                                      std::vector<VectorRecord> vectors) = 0;

  virtual absl::StatusOr<std::optional<ItemRecord>> GetItem(absl::string_view item_id) const = 0;
  virtual absl::StatusOr<bool> HasItem(absl::string_view item_id) const = 0;
  virtual absl::StatusOr<std::optional<VectorRecord>> GetVector(int64_t vector_id) const = 0;

  // Reads that find a damaged stored value return DATA_LOSS naming its key.
  // Calls `fn` for every vector of `modality` in id order; stops early with fn's error.
  // Scans do not fill the block cache (index builds read everything once).
  virtual absl::Status ForEachVector(
      Modality modality, const std::function<absl::Status(const VectorRecord&)>& fn) const = 0;
  // Calls `fn` for every item in id order; stops early with fn's error.
  virtual absl::Status ForEachItem(
      const std::function<absl::Status(const ItemRecord&)>& fn) const = 0;

  virtual absl::StatusOr<int64_t> CountItems(Modality modality) const = 0;
  virtual absl::StatusOr<int64_t> CountVectors(Modality modality) const = 0;

  // Failures, keyed by source URI (a later failure of the same source replaces the earlier),
  // listed in source URI order. PutFailure is synced; INVALID_ARGUMENT for an empty URI.
  // Reasons that are not UTF-8 are stored with U+FFFD in place of the bad bytes.
  virtual absl::Status PutFailure(const FailureRecord& failure) = 0;
  virtual absl::StatusOr<std::vector<FailureRecord>> ListFailures() const = 0;
};

}  // namespace xmodal::store

#endif  // XMODAL_CORE_STORE_STORE_H_
