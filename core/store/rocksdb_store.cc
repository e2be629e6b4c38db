#include "core/store/rocksdb_store.h"

#include <glog/logging.h>

#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/store/item_codec.h"
#include "core/store/keys.h"
#include "core/store/rocksdb_options.h"
#include "core/store/vector_codec.h"

namespace xmodal::store {
namespace internal {
namespace {

rocksdb::Slice ToSlice(absl::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
absl::string_view ToView(const rocksdb::Slice& s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> RocksStore::Open(const std::string& db_dir,
                                                        const StoreOptions& options) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(std::filesystem::path(db_dir) / "CURRENT", ec);
  if (!exists) {
    if (options.read_only || !options.create_if_missing) {
      return absl::NotFoundError(absl::StrCat("collection database '", db_dir, "' does not exist"));
    }
    XM_RETURN_IF_ERROR(MakeDirectories(db_dir));
  }
  const rocksdb::DBOptions db_options = MakeDbOptions();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status status =
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, db_dir, ColumnFamilies(), &handles, &raw)
          : rocksdb::DB::Open(db_options, db_dir, ColumnFamilies(), &handles, &raw);
  std::unique_ptr<rocksdb::DB> db(raw);
  if (!status.ok()) {
    if (IsLockHeld(status)) {
      return absl::UnavailableError(absl::StrCat("collection database '", db_dir,
                                                 "' is in use by another process (",
                                                 status.ToString(), ")"));
    }
    return FromRocks(status, absl::StrCat("cannot open collection database '", db_dir, "'"));
  }
  return std::make_unique<RocksStore>(db_dir, options.read_only, std::move(db), std::move(handles));
}

RocksStore::RocksStore(std::string dir, bool read_only, std::unique_ptr<rocksdb::DB> db,
                       std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : dir_(std::move(dir)),
      read_only_(read_only),
      db_(std::move(db)),
      handles_(std::move(handles)),
      meta_(handles_.at(1)),
      items_(handles_.at(2)),
      vectors_(handles_.at(3)),
      failures_(handles_.at(4)) {}

RocksStore::~RocksStore() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    const rocksdb::Status s = db_->DestroyColumnFamilyHandle(handle);
    if (!s.ok()) LOG(WARNING) << "closing '" << dir_ << "': " << s.ToString();
  }
  const rocksdb::Status s = db_->Close();
  if (!s.ok()) LOG(WARNING) << "closing '" << dir_ << "': " << s.ToString();
}

absl::Status RocksStore::CheckWritable() const {
  if (read_only_) return absl::FailedPreconditionError("store was opened read-only");
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> RocksStore::Get(rocksdb::ColumnFamilyHandle* family,
                                                           absl::string_view key) const {
  std::string value;
  const rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family, ToSlice(key), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, absl::StrCat("reading '", dir_, "'"));
  return value;
}

absl::StatusOr<int64_t> RocksStore::GetCounter(const std::string& key) const {
  XM_ASSIGN_OR_RETURN(const std::optional<std::string> value, Get(meta_, key));
  if (!value) return 0;
  return DecodeCounter(key, *value);
}

absl::Status RocksStore::WriteSynced(rocksdb::WriteBatch& batch, absl::string_view what) {
  rocksdb::WriteOptions options;
  options.sync = true;
  return FromRocks(db_->Write(options, &batch), absl::StrCat(what, " in '", dir_, "'"));
}

absl::Status RocksStore::Scan(
    rocksdb::ColumnFamilyHandle* family, const std::string& begin, const std::string& end,
    const std::function<absl::Status(absl::string_view, absl::string_view)>& fn) const {
  rocksdb::ReadOptions options;
  options.fill_cache = false;  // full scans (index builds) must not evict the hot items
  rocksdb::Slice upper(end);
  if (!end.empty()) options.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, family));
  for (it->Seek(begin); it->Valid(); it->Next()) {
    XM_RETURN_IF_ERROR(fn(ToView(it->key()), ToView(it->value())));
  }
  return FromRocks(it->status(), absl::StrCat("scanning '", dir_, "'"));
}

absl::StatusOr<std::optional<std::string>> RocksStore::GetMeta(absl::string_view key) const {
  return Get(meta_, key);
}

absl::Status RocksStore::PutMeta(absl::string_view key, absl::string_view value) {
  XM_RETURN_IF_ERROR(CheckWritable());
  if (key.empty() || IsReservedMetaKey(key)) {
    return absl::InvalidArgumentError("meta keys must be non-empty and not start with a NUL byte");
  }
  rocksdb::WriteBatch batch;
  batch.Put(meta_, ToSlice(key), ToSlice(value));
  return WriteSynced(batch, "writing meta value");
}

absl::StatusOr<std::optional<ItemRecord>> RocksStore::GetItem(absl::string_view item_id) const {
  XM_ASSIGN_OR_RETURN(const std::optional<std::string> value, Get(items_, item_id));
  if (!value) return std::nullopt;
  XM_ASSIGN_OR_RETURN(ItemRecord item, DecodeItem(item_id, *value));
  return item;
}

absl::StatusOr<bool> RocksStore::HasItem(absl::string_view item_id) const {
  XM_ASSIGN_OR_RETURN(const std::optional<std::string> value, Get(items_, item_id));
  return value.has_value();
}

absl::StatusOr<std::optional<VectorRecord>> RocksStore::GetVector(int64_t vector_id) const {
  if (vector_id < 0) return std::nullopt;
  for (const Modality modality : kAllModalities) {
    const std::string key = VectorKey(modality, vector_id);
    XM_ASSIGN_OR_RETURN(const std::optional<std::string> value, Get(vectors_, key));
    if (!value) continue;
    XM_ASSIGN_OR_RETURN(VectorRecord vector, DecodeVector(key, *value));
    return vector;
  }
  return std::nullopt;
}

absl::Status RocksStore::ForEachVector(
    Modality modality, const std::function<absl::Status(const VectorRecord&)>& fn) const {
  return Scan(vectors_, VectorPrefix(modality), VectorPrefixEnd(modality),
              [&](absl::string_view key, absl::string_view value) -> absl::Status {
                XM_ASSIGN_OR_RETURN(const VectorRecord vector, DecodeVector(key, value));
                return fn(vector);
              });
}

absl::Status RocksStore::ForEachItem(
    const std::function<absl::Status(const ItemRecord&)>& fn) const {
  return Scan(items_, "", "", [&](absl::string_view key, absl::string_view value) -> absl::Status {
    XM_ASSIGN_OR_RETURN(const ItemRecord item, DecodeItem(key, value));
    return fn(item);
  });
}

absl::StatusOr<int64_t> RocksStore::CountItems(Modality modality) const {
  return GetCounter(ItemCountKey(modality));
}

absl::StatusOr<int64_t> RocksStore::CountVectors(Modality modality) const {
  return GetCounter(VectorCountKey(modality));
}

absl::Status RocksStore::PutFailure(const FailureRecord& failure) {
  XM_RETURN_IF_ERROR(CheckWritable());
  if (failure.source_uri.empty()) {
    return absl::InvalidArgumentError("a failure record needs a source URI");
  }
  rocksdb::WriteBatch batch;
  batch.Put(failures_, ToSlice(failure.source_uri), EncodeFailure(failure));
  return WriteSynced(batch, "recording a failure");
}

absl::StatusOr<std::vector<FailureRecord>> RocksStore::ListFailures() const {
  std::vector<FailureRecord> failures;
  XM_RETURN_IF_ERROR(
      Scan(failures_, "", "", [&](absl::string_view key, absl::string_view value) -> absl::Status {
        XM_ASSIGN_OR_RETURN(FailureRecord failure, DecodeFailure(key, value));
        failures.push_back(std::move(failure));
        return absl::OkStatus();
      }));
  return failures;
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& db_dir,
                                                   const StoreOptions& options) {
  return internal::RocksStore::Open(db_dir, options);
}

}  // namespace xmodal::store
