#include "core/engine/item_content.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/sha256.h"

namespace xmodal::engine {

absl::StatusOr<std::string> ReadItemContent(const store::ItemRecord& item, int64_t max_bytes) {
  if (item.modality == Modality::kText && Sha256Hex(item.text) == item.content_sha256) {
    return item.text;
  }
  absl::StatusOr<std::string> bytes = ReadFile(item.source_uri, max_bytes);
  if (!bytes.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the source of item '", item.id, "': ", bytes.status().message()));
  }
  if (Sha256Hex(*bytes) != item.content_sha256) {
    return absl::FailedPreconditionError(absl::StrCat("source file '", item.source_uri,
                                                      "' of item '", item.id,
                                                      "' has changed since it was indexed"));
  }
  return *std::move(bytes);
}

}  // namespace xmodal::engine
