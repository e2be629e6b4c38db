// RocksDB tuning and status translation for the store. Internal.
#ifndef XMODAL_CORE_STORE_ROCKSDB_OPTIONS_H_
#define XMODAL_CORE_STORE_ROCKSDB_OPTIONS_H_

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/status.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace xmodal::store::internal {

// Database-wide options for a small (2-core) machine; see the comments in the .cc file.
rocksdb::DBOptions MakeDbOptions();

// The default family followed by meta, items, vectors and failures, in that order.
std::vector<rocksdb::ColumnFamilyDescriptor> ColumnFamilies();

// `context: message`, with NOT_FOUND, DATA_LOSS (corruption) and UNAVAILABLE (busy) kept
// apart and everything else INTERNAL.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view context);

// True when `status` says another DB handle (in this or another process) holds the lock.
bool IsLockHeld(const rocksdb::Status& status);

}  // namespace xmodal::store::internal

#endif  // XMODAL_CORE_STORE_ROCKSDB_OPTIONS_H_
