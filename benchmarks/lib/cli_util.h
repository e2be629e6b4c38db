// Parsing of xmodal-bench's flag values that absl flags do not parse: byte sizes ("8G"),
// integer lists ("1,4,16") and modality lists.
#ifndef XMODAL_BENCHMARKS_LIB_CLI_UTIL_H_
#define XMODAL_BENCHMARKS_LIB_CLI_UTIL_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::bench {

// "123", "64K", "512M", "8G", "1T" (binary multiples; a trailing "B" or "iB" is allowed:
// "8GiB", "8GB"). INVALID_ARGUMENT for anything else, zero, or a value over 2^62.
absl::StatusOr<int64_t> ParseByteSize(absl::string_view text);

// "1,4,16" -> {1, 4, 16}. INVALID_ARGUMENT for an empty list, a non-integer or a value
// outside [min, max].
absl::StatusOr<std::vector<int>> ParseIntList(absl::string_view text, int min, int max);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_CLI_UTIL_H_
