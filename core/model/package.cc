#include "core/model/package.h"

#include <filesystem>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"

namespace xmodal::model {
namespace {

constexpr char kManifestName[] = "model.json";
constexpr int64_t kMaxManifestBytes = 1 << 20;

}  // namespace

std::string ModelPin::ToString() const {
  return absl::StrCat(name, " ", version, " (dim ", embedding_dim, ", sha256 ",
                      files_sha256.substr(0, 8), "...)");
}

absl::StatusOr<Package> ReadPackage(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("model package directory '", dir, "' does not exist"));
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::InvalidArgumentError(absl::StrCat("model package '", dir, "' is not a directory"));
  }
  Package p;
  p.dir = dir;
  const std::string path = absl::StrCat(dir, "/", kManifestName);
  absl::StatusOr<std::string> bytes = ReadFile(path, kMaxManifestBytes);
  if (absl::IsResourceExhausted(bytes.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("model.json in '", dir, "' is larger than ", kMaxManifestBytes, " bytes"));
  }
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("model package '", dir, "' has no model.json"));
  }
  XM_RETURN_IF_ERROR(bytes.status());
  p.manifest_json = *std::move(bytes);
  absl::StatusOr<ModelManifest> manifest = ModelManifest::Parse(p.manifest_json);
  if (!manifest.ok()) {
    return absl::Status(manifest.status().code(),
                        absl::StrCat(manifest.status().message(), " (in '", dir, "')"));
  }
  p.manifest = *std::move(manifest);
  return p;
}

absl::StatusOr<ModelPin> PinOf(const Package& package) {
  const ModelManifest& m = package.manifest;
  std::set<std::string> files;
  if (m.text && !m.text->file.empty()) files.insert(m.text->file);
  if (m.text && !m.text->tokenizer.vocab.empty()) files.insert(m.text->tokenizer.vocab);
  if (m.image && !m.image->file.empty()) files.insert(m.image->file);
  if (m.audio) files.insert(m.audio->file);
  if (m.architecture) files.insert(m.architecture->weights);
  std::set<std::string> names = files;
  names.insert(kManifestName);
  Sha256 all;
  for (const std::string& name : names) {
    std::string digest;
    if (name == kManifestName) {
      digest = Sha256Hex(package.manifest_json);
    } else {
      const std::string path = absl::StrCat(package.dir, "/", name);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec)) {
        return absl::NotFoundError(absl::StrCat("model file '", path, "' does not exist"));
      }
      XM_ASSIGN_OR_RETURN(digest, Sha256OfFile(path));
    }
    all.Update(absl::StrCat(name, "\n", digest, "\n"));
  }
  ModelPin pin;
  pin.name = m.name;
  pin.version = m.version;
  pin.embedding_dim = m.embedding_dim;
  pin.files_sha256 = all.FinishHex();
  return pin;
}

absl::StatusOr<ModelManifest> ReadModelManifest(const std::string& package_dir) {
  XM_ASSIGN_OR_RETURN(Package p, ReadPackage(package_dir));
  return std::move(p.manifest);
}

absl::StatusOr<ModelPin> ComputeModelPin(const std::string& package_dir) {
  XM_ASSIGN_OR_RETURN(Package p, ReadPackage(package_dir));
  return PinOf(p);
}

}  // namespace xmodal::model
