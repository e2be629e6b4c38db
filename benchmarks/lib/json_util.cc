#include "benchmarks/lib/json_util.h"

#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::bench {

absl::StatusOr<Json> ReadJsonFile(const std::string& path) {
  XM_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseJson(text, path);
}

absl::Status WriteJsonFile(const std::string& path, const Json& value) {
  return WriteFileAtomically(path, DumpJson(value, 2) + "\n");
}

}  // namespace xmodal::bench
