#include "indexer/sources.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"
#include "indexer/jsonl_manifest.h"

namespace xmodal::indexer {
namespace {

namespace fs = std::filesystem;

constexpr size_t kGroupHexChars = 16;

using DirId = std::pair<dev_t, ino_t>;

struct Walk {
  std::set<DirId> visited;
  std::vector<std::string> files;
};

// Lists the names in `dir` (without "." and ".."), sorted.
absl::StatusOr<std::vector<std::string>> ListDirectory(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    const int err = errno;
    std::string msg = absl::StrCat("cannot list directory '", dir, "': ", std::strerror(err));
    if (err == EACCES) return absl::PermissionDeniedError(msg);
    return absl::InternalError(msg);
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// Collects regular files under `dir`, which must not have been visited yet.
absl::Status WalkDirectory(const std::string& dir, Walk& walk, Sources& out) {
  XM_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirectory(dir));
  for (const std::string& name : names) {
    if (name[0] == '.') continue;  // hidden
    const std::string path = absl::StrCat(dir, "/", name);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {  // follows links; fails for a dangling one
      out.failures.push_back({path, absl::StrCat("cannot stat: ", std::strerror(errno))});
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!walk.visited.insert({st.st_dev, st.st_ino}).second) continue;  // loop or repeat
      absl::Status listed = WalkDirectory(path, walk, out);
      if (!listed.ok()) out.failures.push_back({path, std::string(listed.message())});
    } else if (S_ISREG(st.st_mode)) {
      walk.files.push_back(path);
    } else {
      ++out.ignored_files;  // sockets, FIFOs, devices
    }
  }
  return absl::OkStatus();
}

WorkItem FileItem(const std::string& path, Modality modality) {
  const fs::path p(path);
  WorkItem item;
  item.modality = modality;
  item.path = path;
  item.source_uri = path;
  item.group_id = FileGroupId(p.parent_path().string(), p.stem().string());
  return item;
}

}  // namespace

std::string AbsolutePath(absl::string_view path) {
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(std::string(path)), ec);
  if (ec) abs = fs::path(std::string(path));
  std::string out = abs.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::optional<Modality> ModalityFromExtension(absl::string_view path) {
  const std::string ext = absl::AsciiStrToLower(fs::path(std::string(path)).extension().string());
  if (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp") return Modality::kImage;
  if (ext == ".wav" || ext == ".flac" || ext == ".ogg" || ext == ".mp3") return Modality::kAudio;
  if (ext == ".txt") return Modality::kText;
  return std::nullopt;
}

std::string FileGroupId(absl::string_view absolute_folder, absl::string_view stem) {
  return Sha256Hex(absl::StrCat(absolute_folder, "/", stem)).substr(0, kGroupHexChars);
}

std::string ManifestGroupId(absl::string_view group) {
  return Sha256Hex(absl::StrCat("manifest:", group)).substr(0, kGroupHexChars);
}

absl::Status AddPath(absl::string_view path, Sources& out) {
  const std::string abs = AbsolutePath(path);
  struct stat st;
  if (::stat(abs.c_str(), &st) != 0) {
    const int err = errno;
    std::string msg = absl::StrCat("cannot index '", path, "': ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(msg) : absl::InternalError(msg);
  }
  if (!S_ISDIR(st.st_mode)) {
    std::optional<Modality> modality = ModalityFromExtension(abs);
    if (!modality.has_value()) {
      out.failures.push_back(
          {abs,
           "unknown file extension (expected .jpg .jpeg .png .webp .wav .flac .ogg .mp3 "
           "or .txt)"});
    } else {
      out.items.push_back(FileItem(abs, *modality));
    }
    return absl::OkStatus();
  }
  Walk walk;
  walk.visited.insert({st.st_dev, st.st_ino});
  XM_RETURN_IF_ERROR(WalkDirectory(abs, walk, out));
  std::sort(walk.files.begin(), walk.files.end());
  for (const std::string& file : walk.files) {
    std::optional<Modality> modality = ModalityFromExtension(file);
    if (!modality.has_value()) {
      ++out.ignored_files;
      continue;
    }
    out.items.push_back(FileItem(file, *modality));
  }
  return absl::OkStatus();
}

absl::Status AddManifest(absl::string_view manifest_path, Sources& out) {
  return ReadManifestInto(AbsolutePath(manifest_path), out);
}

absl::StatusOr<Sources> EnumerateSources(const std::vector<std::string>& paths,
                                         const std::vector<std::string>& manifests) {
  Sources out;
  for (const std::string& path : paths) XM_RETURN_IF_ERROR(AddPath(path, out));
  for (const std::string& manifest : manifests) XM_RETURN_IF_ERROR(AddManifest(manifest, out));
  return out;
}

}  // namespace xmodal::indexer
