// Internal to the model module: the model.json-specific field rules, on top of the one JSON
// vocabulary (core/base/json.h's JsonFields, built with what = "model.json"). Every error is
// INVALID_ARGUMENT and names the field by its dotted path ("model.json: field
// 'modalities.audio.hop_seconds' ..."). Pure functions; thread-safe.
#ifndef XMODAL_CORE_MODEL_MANIFEST_FIELDS_H_
#define XMODAL_CORE_MODEL_MANIFEST_FIELDS_H_

#include <array>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/json.h"

namespace xmodal::model::internal {

inline constexpr absl::string_view kManifestName = "model.json";

// A positive duration in seconds that is at least one sample at `rate`.
absl::StatusOr<double> Seconds(const JsonFields& r, absl::string_view key, double fallback,
                               double rate);
// Three finite numbers (each > 0 when `positive`).
absl::StatusOr<std::array<float, 3>> Triple(const JsonFields& r, absl::string_view key,
                                            std::array<float, 3> fallback, bool positive);
// A required relative path inside the package: non-empty, not absolute, no ".." part.
absl::StatusOr<std::string> PackageFile(const JsonFields& r, absl::string_view key);
// A TorchScript method name: [A-Za-z_][A-Za-z0-9_]*.
absl::StatusOr<std::string> MethodName(const JsonFields& r, absl::string_view key,
                                       std::string fallback);

}  // namespace xmodal::model::internal

#endif  // XMODAL_CORE_MODEL_MANIFEST_FIELDS_H_
