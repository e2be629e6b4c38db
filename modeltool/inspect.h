// `xmodal-model inspect DIR`: what a model package is, as text: name, version, licence (or
// that it is unknown), embedding dim, files, the architecture and parameter count of a native
// package, and each modality's preprocessing. Reads model.json and hashes the files it names
// (the pin a collection records); loads no encoder. Thread-safe.
#ifndef XMODAL_MODELTOOL_INSPECT_H_
#define XMODAL_MODELTOOL_INSPECT_H_

#include <string>

#include "absl/status/statusor.h"

namespace xmodal::modeltool {

// NOT_FOUND / INVALID_ARGUMENT as model::ComputeModelPin for a missing or bad package.
absl::StatusOr<std::string> InspectPackage(const std::string& dir);

}  // namespace xmodal::modeltool

#endif  // XMODAL_MODELTOOL_INSPECT_H_
