// Enumerates the work items of an indexing run: files under directory trees (or named
// directly) and the lines of JSONL manifests. Only names and paths are gathered here; the
// files themselves are read later by the pipeline.
#ifndef XMODAL_INDEXER_SOURCES_H_
#define XMODAL_INDEXER_SOURCES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"

namespace xmodal::indexer {

// One thing to index: a file (`path` set) or an inline text from a manifest (`text` set).
struct WorkItem {
  Modality modality = Modality::kText;
  std::string path;  // absolute, lexically normalised; empty for inline text
  std::string text;  // inline text, as given (normalised later)
  bool inline_text = false;
  std::string source_uri;  // `path`, or "<manifest>#L<n>" for inline text
  std::string group_id;    // may be empty
  std::map<std::string, std::string> metadata;
};

// An input that could not become a work item (bad manifest line, unknown extension of a file
// named on the command line, unreadable directory entry).
struct SourceFailure {
  std::string uri;
  std::string reason;
};

struct Sources {
  std::vector<WorkItem> items;  // in enumeration order (see EnumerateSources)
  std::vector<SourceFailure> failures;
  int64_t ignored_files = 0;  // files in directory trees with an unknown extension
};

// The modality of a file name by its extension, case-insensitive: .jpg .jpeg .png .webp ->
// image; .wav .flac .ogg .mp3 -> audio; .txt -> text; nullopt otherwise.
std::optional<Modality> ModalityFromExtension(absl::string_view path);

// Group ids (first 16 hex chars of SHA-256): files that share a stem in one folder, and
// manifest lines that name the same "group".
std::string FileGroupId(absl::string_view absolute_folder, absl::string_view stem);
std::string ManifestGroupId(absl::string_view group);

// Appends the files under `path` (a directory, walked recursively, or a single file).
// Directory entries are visited in sorted path order; hidden files and directories (names
// starting with '.') are skipped; symbolic links are followed but a directory is never
// entered twice, so link loops end. Files with an unknown extension are counted in
// `ignored_files` (a file named directly is a failure instead). NOT_FOUND when `path` does
// not exist; INTERNAL when the directory cannot be listed.
absl::Status AddPath(absl::string_view path, Sources& out);

// Appends the items of one JSONL manifest (format in docs/indexer.md). A bad line becomes a
// failure "<manifest>#L<n>: <reason>" and the rest continues; blank lines are skipped.
// NOT_FOUND / INTERNAL when the manifest cannot be read.
absl::Status AddManifest(absl::string_view manifest_path, Sources& out);

// AddPath for every path, then AddManifest for every manifest.
absl::StatusOr<Sources> EnumerateSources(const std::vector<std::string>& paths,
                                         const std::vector<std::string>& manifests);

// Absolute, lexically normalised form of `path` (symbolic links are not resolved).
std::string AbsolutePath(absl::string_view path);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_SOURCES_H_
