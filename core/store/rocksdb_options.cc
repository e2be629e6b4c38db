#include "core/store/rocksdb_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/store/keys.h"

namespace xmodal::store::internal {
namespace {

// One block cache shared by every family and every open store: vectors are read in bulk
// scans (which bypass the cache) and items one at a time per search hit, so a few tens of
// MB hold the hot items and index blocks without competing with FAISS for memory.
constexpr size_t kBlockCacheBytes = 32 << 20;

std::shared_ptr<rocksdb::Cache> SharedBlockCache() {
  // Reference-counted: a store still open at exit keeps it alive past this static.
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  return cache;
}

rocksdb::CompressionType PreferredCompression() {
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  const bool lz4 =
      std::find(supported.begin(), supported.end(), rocksdb::kLZ4Compression) != supported.end();
  return lz4 ? rocksdb::kLZ4Compression : rocksdb::kNoCompression;
}

rocksdb::ColumnFamilyOptions FamilyOptions(bool compress) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = SharedBlockCache();
  // Point lookups dominate (HasItem per source, GetItem per hit, GetVector probing up to
  // three modality prefixes); a 10-bit bloom filter answers most misses without a read.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // LZ4 is cheap on both ends and shrinks JSON well; float32 embeddings barely compress, so
  // the vectors family is stored as is rather than burning CPU for nothing.
  options.compression = compress ? PreferredCompression() : rocksdb::kNoCompression;
  return options;
}

}  // namespace

rocksdb::DBOptions MakeDbOptions() {
  rocksdb::DBOptions options;
  // Two background threads (one flush, one compaction) on a 2-core box: enough to keep up
  // with synced commit batches without starving decoding and encoding.
  options.IncreaseParallelism(2);
  options.max_background_jobs = 2;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  // -1 keeps every table file open from Open on. A read-only reader (the server) then never
  // opens a file later that the writer's compactions have deleted meanwhile.
  options.max_open_files = -1;
  options.keep_log_file_num = 4;
  return options;
}

std::vector<rocksdb::ColumnFamilyDescriptor> ColumnFamilies() {
  return {
      {rocksdb::kDefaultColumnFamilyName, FamilyOptions(/*compress=*/true)},
      {kMetaFamily, FamilyOptions(/*compress=*/true)},
      {kItemsFamily, FamilyOptions(/*compress=*/true)},
      {kVectorsFamily, FamilyOptions(/*compress=*/false)},
      {kFailuresFamily, FamilyOptions(/*compress=*/true)},
  };
}

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsBusy() || status.IsTryAgain() || status.IsTimedOut()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

bool IsLockHeld(const rocksdb::Status& status) {
  if (!status.IsIOError()) return false;
  const std::string text = status.ToString();
  // RocksDB 7.8 (env/io_posix.cc and env/fs_posix.cc): the same process holding the lock
  // reports "lock hold by current process", another process "While lock file: .../LOCK".
  return absl::StrContains(text, "lock hold by current process") ||
         absl::StrContains(text, "While lock file");
}

}  // namespace xmodal::store::internal
