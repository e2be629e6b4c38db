// Exception-free helpers over nlohmann::json for reading and writing results documents.
#ifndef XMODAL_BENCHMARKS_LIB_JSON_UTIL_H_
#define XMODAL_BENCHMARKS_LIB_JSON_UTIL_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/json.h"

namespace xmodal::bench {

// Serialises `value`; invalid UTF-8 in strings is replaced with U+FFFD instead of throwing.
// `indent` < 0: one line.
std::string DumpJson(const Json& value, int indent = -1);

// The value at a '/'-separated path of object keys and array indexes ("load/runs/0/qps"), or
// nullptr when any step is missing or of the wrong kind.
const Json* JsonAt(const Json& root, absl::string_view path);

// Typed reads of JsonAt; nullopt when absent or of another type.
std::optional<double> NumberAt(const Json& root, absl::string_view path);
std::optional<std::string> StringAt(const Json& root, absl::string_view path);

// Reads and parses a JSON file (errors as ReadFile and ParseJson).
absl::StatusOr<Json> ReadJsonFile(const std::string& path);
// Writes `value` pretty-printed (2 spaces) with a final newline, atomically.
absl::Status WriteJsonFile(const std::string& path, const Json& value);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_JSON_UTIL_H_
