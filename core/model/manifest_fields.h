// Internal to the model module: typed, validated access to the fields of one JSON object of
// model.json. Never throws; every error is INVALID_ARGUMENT and names the field by its dotted
// path ("model.json: field 'modalities.image.size' must be ..."). Not thread-safe; holds a
// reference to the JSON value, which must outlive the reader.
#ifndef XMODAL_CORE_MODEL_MANIFEST_FIELDS_H_
#define XMODAL_CORE_MODEL_MANIFEST_FIELDS_H_

#include <array>
#include <initializer_list>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/json.h"

namespace xmodal::model::internal {

class FieldReader {
 public:
  // `path` is the dotted path of `obj` ("" for the root); `obj` must be a JSON object.
  FieldReader(const Json& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  // Fails on the first key of the object that is not in `allowed` (catches typos that would
  // otherwise silently fall back to a default).
  absl::Status CheckKeys(std::initializer_list<absl::string_view> allowed) const;
  // "model.json: field '<path>.<key>' <problem>" ('<path>' alone when `key` is empty).
  absl::Status Invalid(absl::string_view key, absl::string_view problem) const;

  // Optional fields return `fallback` when absent; the others fail when absent.
  absl::StatusOr<std::string> String(absl::string_view key, std::string fallback) const;
  absl::StatusOr<std::string> NonEmptyString(absl::string_view key) const;
  absl::StatusOr<int> Int(absl::string_view key, int fallback, int lo, int hi) const;
  absl::StatusOr<int> RequiredInt(absl::string_view key, int lo, int hi) const;
  absl::StatusOr<bool> Bool(absl::string_view key, bool fallback) const;
  // A finite number.
  absl::StatusOr<double> Number(absl::string_view key, double fallback) const;
  // A positive duration that is at least one sample at `rate`.
  absl::StatusOr<double> Seconds(absl::string_view key, double fallback, double rate) const;
  // Three finite numbers (each > 0 when `positive`).
  absl::StatusOr<std::array<float, 3>> Triple(absl::string_view key, std::array<float, 3> fallback,
                                              bool positive) const;
  // A required relative path inside the package: non-empty, not absolute, no ".." part.
  absl::StatusOr<std::string> File(absl::string_view key) const;
  // A TorchScript method name: [A-Za-z_][A-Za-z0-9_]*.
  absl::StatusOr<std::string> Method(absl::string_view key, std::string fallback) const;
  // A nested object; nullopt when absent and not `required`.
  absl::StatusOr<std::optional<FieldReader>> Object(absl::string_view key, bool required) const;

 private:
  const Json* Find(absl::string_view key) const;
  std::string FieldName(absl::string_view key) const;
  absl::Status Missing(absl::string_view key) const;

  const Json& obj_;
  std::string path_;
};

}  // namespace xmodal::model::internal

#endif  // XMODAL_CORE_MODEL_MANIFEST_FIELDS_H_
