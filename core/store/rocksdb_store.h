// Store on RocksDB (store.h has the contract). Internal: Store::Open returns it.
//
// Thread-safety: RocksDB handles concurrent reads and writes; Commit additionally holds
// commit_mu_ so that reading the counters, assigning ids and writing the batch is one step.
// Only one writable RocksStore can be open per directory (RocksDB's LOCK file).
#ifndef XMODAL_CORE_STORE_ROCKSDB_STORE_H_
#define XMODAL_CORE_STORE_ROCKSDB_STORE_H_

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/store/store.h"

namespace xmodal::store::internal {

class RocksStore final : public Store {
 public:
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& db_dir,
                                                     const StoreOptions& options);
  // Use Open; public only for std::make_unique. `handles` are ColumnFamilies()'s, in order.
  RocksStore(std::string dir, bool read_only, std::unique_ptr<rocksdb::DB> db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles);
  ~RocksStore() override;

  absl::StatusOr<std::optional<std::string>> GetMeta(absl::string_view key) const override;
  absl::Status PutMeta(absl::string_view key, absl::string_view value) override;
  absl::StatusOr<std::vector<int64_t>> Commit(std::vector<ItemRecord> items,
                                              std::vector<VectorRecord> vectors) override;
  absl::StatusOr<std::optional<ItemRecord>> GetItem(absl::string_view item_id) const override;
  absl::StatusOr<bool> HasItem(absl::string_view item_id) const override;
  absl::StatusOr<std::optional<VectorRecord>> GetVector(int64_t vector_id) const override;
  absl::Status ForEachVector(
      Modality modality, const std::function<absl::Status(const VectorRecord&)>& fn) const override;
  absl::Status ForEachItem(const std::function<absl::Status(const ItemRecord&)>& fn) const override;
  absl::StatusOr<int64_t> CountItems(Modality modality) const override;
  absl::StatusOr<int64_t> CountVectors(Modality modality) const override;
  absl::Status PutFailure(const FailureRecord& failure) override;
  absl::StatusOr<std::vector<FailureRecord>> ListFailures() const override;

 private:
  absl::Status CheckWritable() const;
  // The value under `key`, nullopt when absent.
  absl::StatusOr<std::optional<std::string>> Get(rocksdb::ColumnFamilyHandle* family,
                                                 absl::string_view key) const;
  // A reserved meta counter; 0 when absent.
  absl::StatusOr<int64_t> GetCounter(const std::string& key) const;
  // Writes `batch` durably (WAL fsynced before returning).
  absl::Status WriteSynced(rocksdb::WriteBatch& batch, absl::string_view what);
  // Calls `fn(key, value)` for the keys of `family` in [begin, end) (all when empty).
  absl::Status Scan(
      rocksdb::ColumnFamilyHandle* family, const std::string& begin, const std::string& end,
      const std::function<absl::Status(absl::string_view, absl::string_view)>& fn) const;

  const std::string dir_;
  const bool read_only_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned by db_; destroyed before it
  rocksdb::ColumnFamilyHandle* meta_;
  rocksdb::ColumnFamilyHandle* items_;
  rocksdb::ColumnFamilyHandle* vectors_;
  rocksdb::ColumnFamilyHandle* failures_;
  std::mutex commit_mu_;
};

}  // namespace xmodal::store::internal

#endif  // XMODAL_CORE_STORE_ROCKSDB_STORE_H_
