// JSON without exceptions: the one place that catches nlohmann::json's throws, and the one
// vocabulary for reading JSON documents (model.json, the collection manifest, stored items,
// benchmark results):
//  - ParseJson / DumpJson: text <-> Json;
//  - JsonFields: typed, validated access to the fields of one object, for documents whose
//    errors must be reported (every error is INVALID_ARGUMENT and names the document and the
//    field by its dotted path: "model.json: field 'modalities.image.size' must be ...");
//  - JsonAt / NumberAt / StringAt: lenient reads by '/'-separated path, for documents where a
//    missing value is simply absent (benchmark results).
// Thread-safety: the functions are pure; a JsonFields holds a pointer to its JSON value, which
// must outlive it, and is safe to share between threads once built.
#ifndef XMODAL_CORE_BASE_JSON_H_
#define XMODAL_CORE_BASE_JSON_H_

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal {

using Json = nlohmann::json;

// Parses `text`; INVALID_ARGUMENT names `what` (e.g. a file name) when it is not JSON.
absl::StatusOr<Json> ParseJson(absl::string_view text, absl::string_view what);

// Serialises `value` without throwing: invalid UTF-8 in strings is replaced with U+FFFD.
// `indent` < 0: one line.
std::string DumpJson(const Json& value, int indent = -1);

class JsonFields {
 public:
  // `what` names the document in messages ("model.json", "collection manifest"); `path` is
  // the dotted path of `obj` inside it ("" for the root). A non-object `obj` has no fields.
  JsonFields(const Json& obj, std::string what, std::string path = "")
      : obj_(&obj), what_(std::move(what)), path_(std::move(path)) {}

  // The value under `key`, or nullptr when absent.
  const Json* Find(absl::string_view key) const;
  bool Has(absl::string_view key) const { return Find(key) != nullptr; }

  // Fails on the first key of the object that is not in `allowed` (catches typos that would
  // otherwise silently fall back to a default): "<what>: unknown field '<path.key>'".
  absl::Status CheckKeys(std::initializer_list<absl::string_view> allowed) const;
  // "<what>: field '<path>.<key>' <problem>" ('<path>' alone when `key` is empty).
  absl::Status Invalid(absl::string_view key, absl::string_view problem) const;
  // "<what>: missing field '<path>.<key>'".
  absl::Status Missing(absl::string_view key) const;
  // "<path>.<key>".
  std::string FieldName(absl::string_view key) const;

  // The one-argument forms fail when the key is absent; the others return `fallback` then.
  // All fail when the value has another type.
  absl::StatusOr<std::string> String(absl::string_view key) const;
  absl::StatusOr<std::string> String(absl::string_view key, std::string fallback) const;
  absl::StatusOr<std::string> NonEmptyString(absl::string_view key) const;
  absl::StatusOr<int64_t> Int64(absl::string_view key) const;
  absl::StatusOr<int64_t> Int64(absl::string_view key, int64_t fallback) const;
  // An integer in [lo, hi].
  absl::StatusOr<int> Int(absl::string_view key, int fallback, int lo, int hi) const;
  absl::StatusOr<int> RequiredInt(absl::string_view key, int lo, int hi) const;
  absl::StatusOr<bool> Bool(absl::string_view key, bool fallback) const;
  // A finite number.
  absl::StatusOr<double> Number(absl::string_view key) const;
  absl::StatusOr<double> Number(absl::string_view key, double fallback) const;
  // A nested object; nullopt when absent and not `required`.
  absl::StatusOr<std::optional<JsonFields>> Object(absl::string_view key, bool required) const;

 private:
  const Json* obj_;
  std::string what_;
  std::string path_;
};

// The value at a '/'-separated path of object keys and array indexes ("load/runs/0/qps"), or
// nullptr when any step is missing or of the wrong kind.
const Json* JsonAt(const Json& root, absl::string_view path);
// Typed reads of JsonAt; nullopt when absent or of another type.
std::optional<double> NumberAt(const Json& root, absl::string_view path);
std::optional<std::string> StringAt(const Json& root, absl::string_view path);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_JSON_H_
