#include "benchmarks/lib/query_set.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/base/text.h"

namespace xmodal::bench {
namespace {

namespace fs = std::filesystem;

enum class FileKind { kText, kImage, kAudio, kOther };

FileKind KindOf(const fs::path& path) {
  const std::string ext = absl::AsciiStrToLower(path.extension().string());
  if (ext == ".txt") return FileKind::kText;
  if (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".webp") return FileKind::kImage;
  if (ext == ".wav" || ext == ".flac" || ext == ".ogg" || ext == ".mp3") return FileKind::kAudio;
  return FileKind::kOther;
}

bool Hidden(const fs::path& root, const fs::path& path) {
  for (const fs::path& part : path.lexically_relative(root)) {
    if (!part.empty() && part.string()[0] == '.') return true;
  }
  return false;
}

// Regular files under `dir`, sorted, hidden ones left out.
absl::StatusOr<std::vector<fs::path>> ListFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("query directory '", dir, "' does not exist"));
  }
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::follow_directory_symlink, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && !Hidden(dir, it->path())) files.push_back(it->path());
  }
  if (ec) {
    return absl::InternalError(absl::StrCat("cannot list '", dir, "': ", ec.message()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

const std::vector<std::string>& QuerySet::of(Modality kind) const {
  switch (kind) {
    case Modality::kText:
      return texts;
    case Modality::kImage:
      return images;
    case Modality::kAudio:
      return audio;
  }
  return texts;
}

absl::StatusOr<QuerySet> LoadQuerySet(const std::string& dir, int64_t max_file_bytes) {
  XM_ASSIGN_OR_RETURN(std::vector<fs::path> files, ListFiles(dir));
  QuerySet set;
  for (const fs::path& path : files) {
    const FileKind kind = KindOf(path);
    if (kind == FileKind::kOther) continue;
    XM_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path.string(), max_file_bytes));
    switch (kind) {
      case FileKind::kText:
        if (!IsValidUtf8(bytes)) {
          return absl::InvalidArgumentError(
              absl::StrCat("query file '", path.string(), "' is not valid UTF-8"));
        }
        for (absl::string_view line : absl::StrSplit(bytes, '\n')) {
          line = absl::StripAsciiWhitespace(line);
          if (!line.empty()) set.texts.emplace_back(line);
        }
        break;
      case FileKind::kImage:
        set.images.push_back(std::move(bytes));
        break;
      case FileKind::kAudio:
        set.audio.push_back(std::move(bytes));
        break;
      case FileKind::kOther:
        break;
    }
  }
  if (set.size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "query directory '", dir, "' holds no queries (.txt lines, images or audio files)"));
  }
  return set;
}

absl::StatusOr<QueryMix> ParseQueryMix(absl::string_view text) {
  QueryMix mix;
  mix.weights = {0, 0, 0};
  std::array<bool, 3> seen = {false, false, false};
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    const std::vector<absl::string_view> kv = absl::StrSplit(part, absl::MaxSplits('=', 1));
    if (kv.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("query mix entry '", part, "' is not KIND=WEIGHT (e.g. text=8)"));
    }
    absl::StatusOr<Modality> kind = ParseModality(absl::StripAsciiWhitespace(kv[0]));
    if (!kind.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("query mix kind '", kv[0], "' is not text, image or audio"));
    }
    double weight = 0;
    if (!absl::SimpleAtod(absl::StripAsciiWhitespace(kv[1]), &weight) || !std::isfinite(weight) ||
        weight < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("query mix weight '", kv[1], "' of ", kv[0], " is not a number >= 0"));
    }
    const int i = static_cast<int>(*kind);
    if (seen[i]) {
      return absl::InvalidArgumentError(
          absl::StrCat("query mix names ", ModalityName(*kind), " twice"));
    }
    seen[i] = true;
    mix.weights[i] = weight;
  }
  if (mix.weights[0] + mix.weights[1] + mix.weights[2] <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("query mix '", text, "' gives no kind a positive weight"));
  }
  return mix;
}

std::string QueryMixToString(const QueryMix& mix) {
  std::vector<std::string> parts;
  for (const Modality m : kAllModalities) {
    if (mix.weight(m) > 0)
      parts.push_back(absl::StrFormat("%s=%g", ModalityName(m), mix.weight(m)));
  }
  return absl::StrJoin(parts, ",");
}

absl::Status CheckMixCovered(const QueryMix& mix, const QuerySet& set) {
  for (const Modality m : kAllModalities) {
    if (mix.weight(m) > 0 && set.of(m).empty()) {
      return absl::InvalidArgumentError(absl::StrCat("the query mix asks for ", ModalityName(m),
                                                     " queries but the query directory has none"));
    }
  }
  return absl::OkStatus();
}

}  // namespace xmodal::bench
