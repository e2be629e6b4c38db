// JSON files of the benchmarks (results documents). Reading values goes through
// core/base/json.h (JsonAt, NumberAt, StringAt, DumpJson), the one JSON vocabulary.
#ifndef XMODAL_BENCHMARKS_LIB_JSON_UTIL_H_
#define XMODAL_BENCHMARKS_LIB_JSON_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/base/json.h"  // IWYU pragma: export

namespace xmodal::bench {

// Reads and parses a JSON file (errors as ReadFile and ParseJson).
absl::StatusOr<Json> ReadJsonFile(const std::string& path);
// Writes `value` pretty-printed (2 spaces) with a final newline, atomically.
absl::Status WriteJsonFile(const std::string& path, const Json& value);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_JSON_UTIL_H_
