// JSONL manifests: one JSON object a line naming a file or carrying a text, with optional
// metadata and group (format in docs/indexer.md).
#ifndef XMODAL_INDEXER_JSONL_MANIFEST_H_
#define XMODAL_INDEXER_JSONL_MANIFEST_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "indexer/sources.h"

namespace xmodal::indexer {

// Parses one non-blank manifest line. Relative paths resolve against `manifest_dir` (an
// absolute folder); `uri` ("<manifest>#L<n>") becomes the source URI of inline texts.
// INVALID_ARGUMENT whose message is the reason alone (the caller adds the uri): not JSON, not
// an object, neither or both of "path" and "text", a field of the wrong type, an unknown
// modality, a path whose modality cannot be told from its extension, a non-string metadata
// value. Thread-safe.
absl::StatusOr<WorkItem> ParseManifestLine(absl::string_view line, absl::string_view manifest_dir,
                                           absl::string_view uri);

// Reads the manifest at `manifest_path` (absolute) and appends its items to `out.items` and
// its bad lines to `out.failures` (uri "<manifest>#L<n>", the reason). Blank lines are
// skipped. Errors of ReadFile (NOT_FOUND, RESOURCE_EXHAUSTED, INTERNAL) when it cannot be read.
absl::Status ReadManifestInto(const std::string& manifest_path, Sources& out);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_JSONL_MANIFEST_H_
