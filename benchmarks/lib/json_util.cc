#include "benchmarks/lib/json_util.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::bench {

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

const Json* JsonAt(const Json& root, absl::string_view path) {
  const Json* at = &root;
  for (absl::string_view step : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (at->is_object()) {
      auto it = at->find(std::string(step));
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      size_t index = 0;
      if (!absl::SimpleAtoi(step, &index) || index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

std::optional<double> NumberAt(const Json& root, absl::string_view path) {
  const Json* v = JsonAt(root, path);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

std::optional<std::string> StringAt(const Json& root, absl::string_view path) {
  const Json* v = JsonAt(root, path);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

absl::StatusOr<Json> ReadJsonFile(const std::string& path) {
  XM_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseJson(text, path);
}

absl::Status WriteJsonFile(const std::string& path, const Json& value) {
  return WriteFileAtomically(path, DumpJson(value, 2) + "\n");
}

}  // namespace xmodal::bench
