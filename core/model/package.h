// Internal to the model module: reading a package directory's manifest and computing its pin
// (both without LibTorch). Thread-safe (no shared state).
#ifndef XMODAL_CORE_MODEL_PACKAGE_H_
#define XMODAL_CORE_MODEL_PACKAGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"

namespace xmodal::model {

struct Package {
  std::string dir;
  std::string manifest_json;  // the bytes of model.json as read
  ModelManifest manifest;
};

// Reads and parses `dir/model.json`. NOT_FOUND when the directory or model.json is missing,
// INVALID_ARGUMENT when `dir` is not a directory or the manifest is bad (or over 1 MiB).
absl::StatusOr<Package> ReadPackage(const std::string& dir);

// The pin of a read package: files_sha256 is the SHA-256 of the concatenation, over model.json
// and each distinct file it names (encoder files, the architecture's weights, the tokenizer's
// vocabulary) sorted by name, of "<name>\n<hex SHA-256 of its bytes>\n"
// (model.json hashed from `package.manifest_json`). NOT_FOUND for a missing encoder file.
absl::StatusOr<ModelPin> PinOf(const Package& package);

}  // namespace xmodal::model

#endif  // XMODAL_CORE_MODEL_PACKAGE_H_
