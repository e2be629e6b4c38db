#include "trainer/corpus/stamp_corpus.h"

#include <glog/logging.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "trainer/corpus/description_file.h"
#include "trainer/corpus/stamp_files.h"

namespace xmodal::corpus {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMaxDescriptionBytes = 1 << 20;

// Relative folder ("" for the root) -> the names of the regular files directly inside it.
using FolderMap = std::map<std::string, std::vector<std::string>>;

absl::StatusOr<FolderMap> ListFolders(const fs::path& root) {
  FolderMap folders;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec)
    return absl::InternalError(absl::StrCat("cannot list '", root.string(), "': ", ec.message()));
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      LOG(WARNING) << "stamp corpus: skipping an unreadable entry under " << root << ": "
                   << ec.message();
      ec.clear();
      continue;
    }
    const std::string file_name = it->path().filename().string();
    if (!file_name.empty() && file_name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string folder = it->path().parent_path().lexically_relative(root).generic_string();
    folders[folder == "." ? "" : folder].push_back(file_name);
  }
  for (auto& [folder, names] : folders) std::sort(names.begin(), names.end());
  return folders;
}

std::string Join(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  return a.back() == '/' ? absl::StrCat(a, b) : absl::StrCat(a, "/", b);
}

bool SpokenLess(const SpokenDescription& a, const SpokenDescription& b) {
  if ((a.lang == "en") != (b.lang == "en")) return a.lang == "en";
  return a.lang < b.lang;
}

// Builds the stamps of one folder and appends them to `out`.
void ReadFolder(const std::string& root, const std::string& folder,
                const std::vector<std::string>& names, std::vector<Stamp>& out) {
  const FolderFiles files = SortFolderFiles(names);
  const std::string folder_path = Join(root, folder);
  std::map<std::string, Stamp> stamps;
  for (const auto& [stem, f] : files.stems) {
    if (!f.txt || !(f.png || f.svg)) continue;
    const std::string txt_path = Join(folder_path, f.txt_name);
    absl::StatusOr<std::string> contents = ReadFile(txt_path, kMaxDescriptionBytes);
    if (!contents.ok()) {
      LOG(WARNING) << "stamp corpus: skipping " << txt_path << ": " << contents.status();
      continue;
    }
    std::vector<Description> descriptions = ParseDescriptionFile(*contents);
    if (descriptions.empty() || descriptions[0].lang != "en") {
      LOG(WARNING) << "stamp corpus: skipping " << txt_path
                   << ": its first line (the English description) is empty";
      continue;
    }
    Stamp stamp;
    stamp.name = Join(folder, stem);
    stamp.image_is_svg = !f.png;
    stamp.image_path = Join(folder_path, f.png ? f.png_name : f.svg_name);
    stamp.descriptions = std::move(descriptions);
    stamps.emplace(stem, std::move(stamp));
  }
  std::set<std::string> stems;
  for (const auto& [stem, stamp] : stamps) stems.insert(stem);
  for (const auto& [audio_stem, file_name] : files.audio_files) {
    const AudioRole role = ClassifyAudioStem(audio_stem, stems);
    if (role.kind == AudioRole::kNone) continue;
    Stamp& stamp = stamps.at(role.stamp);
    const std::string path = Join(folder_path, file_name);
    if (role.kind == AudioRole::kSound) {
      stamp.sound_path = path;
    } else if (role.kind == AudioRole::kSpoken) {
      stamp.spoken.push_back({role.lang, path});
    } else {
      stamp.localized_sounds.push_back({role.lang, path});
    }
  }
  for (auto& [stem, stamp] : stamps) {
    std::sort(stamp.spoken.begin(), stamp.spoken.end(), SpokenLess);
    std::sort(stamp.localized_sounds.begin(), stamp.localized_sounds.end(), SpokenLess);
    out.push_back(std::move(stamp));
  }
}

void AssignGroups(StampCorpus& corpus) {
  std::map<std::string, int> group_of_key;
  for (Stamp& stamp : corpus.stamps) {
    const auto [it, inserted] = group_of_key.emplace(GroupKey(stamp.descriptions[0].text),
                                                     static_cast<int>(group_of_key.size()));
    stamp.group = it->second;
  }
  corpus.num_groups = static_cast<int>(group_of_key.size());
}

}  // namespace

absl::StatusOr<StampCorpus> ReadStampCorpus(const std::string& root) {
  std::error_code ec;
  const fs::file_status status = fs::status(root, ec);
  if (!fs::exists(status)) {
    return absl::NotFoundError(absl::StrCat(
        "stamp corpus folder '", root,
        "' does not exist; install it with `sudo apt-get install tuxpaint-stamps-default`"));
  }
  if (!fs::is_directory(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("stamp corpus path '", root, "' is not a folder"));
  }
  StampCorpus corpus;
  corpus.root = root;
  while (corpus.root.size() > 1 && corpus.root.back() == '/') corpus.root.pop_back();
  XM_ASSIGN_OR_RETURN(const FolderMap folders, ListFolders(corpus.root));
  for (const auto& [folder, names] : folders) ReadFolder(corpus.root, folder, names, corpus.stamps);
  if (corpus.stamps.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no stamps under '", root, "' (a stamp is NAME.png or NAME.svg with a NAME.txt)"));
  }
  std::sort(corpus.stamps.begin(), corpus.stamps.end(),
            [](const Stamp& a, const Stamp& b) { return a.name < b.name; });
  AssignGroups(corpus);
  return corpus;
}

}  // namespace xmodal::corpus
