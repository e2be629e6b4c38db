// JSON parsing without exceptions: the one place that catches nlohmann::json's throws.
#ifndef XMODAL_CORE_BASE_JSON_H_
#define XMODAL_CORE_BASE_JSON_H_

#include "absl/strings/string_view.h"

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace xmodal {

using Json = nlohmann::json;

// Parses `text`; INVALID_ARGUMENT names `what` (e.g. a file name) and the parser's message.
absl::StatusOr<Json> ParseJson(absl::string_view text, absl::string_view what);

// Typed field access that never throws. INVALID_ARGUMENT names `what` and the key when the key
// is missing (for the Required forms) or holds the wrong type.
absl::StatusOr<std::string> JsonString(const Json& obj, absl::string_view key, absl::string_view what);
absl::StatusOr<double> JsonNumber(const Json& obj, absl::string_view key, absl::string_view what);
absl::StatusOr<int64_t> JsonInt(const Json& obj, absl::string_view key, absl::string_view what);
// Optional forms: return `fallback` when the key is absent.
absl::StatusOr<std::string> JsonStringOr(const Json& obj, absl::string_view key,
                                         absl::string_view what, std::string fallback);
absl::StatusOr<double> JsonNumberOr(const Json& obj, absl::string_view key, absl::string_view what,
                                    double fallback);
absl::StatusOr<int64_t> JsonIntOr(const Json& obj, absl::string_view key, absl::string_view what,
                                  int64_t fallback);
absl::StatusOr<bool> JsonBoolOr(const Json& obj, absl::string_view key, absl::string_view what,
                                bool fallback);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_JSON_H_
