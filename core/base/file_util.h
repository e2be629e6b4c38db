// File helpers with explicit size caps and crash-safe (atomic, durable) writes.
#ifndef XMODAL_CORE_BASE_FILE_UTIL_H_
#define XMODAL_CORE_BASE_FILE_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal {

// Reads a whole file. NOT_FOUND if it does not exist, RESOURCE_EXHAUSTED if it is larger than
// `max_bytes` (checked before reading), INTERNAL (with errno text) on other I/O errors.
absl::StatusOr<std::string> ReadFile(const std::string& path, int64_t max_bytes = int64_t{1} << 30);

// Writes `contents` to `path` so that a reader (or a crash) sees either the old file or the
// whole new one: write to `path.tmp-<pid>`, fsync, rename over `path`, fsync the directory.
absl::Status WriteFileAtomically(const std::string& path, absl::string_view contents);

// fsyncs a regular file's contents (for files written by a library that does not sync).
absl::Status SyncFile(const std::string& path);

// fsyncs a directory so that renames and creations inside it are durable.
absl::Status SyncDirectory(const std::string& dir);

// Creates `dir` and its parents if missing.
absl::Status MakeDirectories(const std::string& dir);

// A fresh, empty directory under $XMODAL_TEST_TMPDIR, $TMPDIR or /tmp, named `<prefix>XXXXXX`.
absl::StatusOr<std::string> MakeTempDirectory(absl::string_view prefix);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_FILE_UTIL_H_
