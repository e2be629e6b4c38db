// Content addresses of items (store/records.h): the one place that derives an item's id.
#ifndef XMODAL_INDEXER_ITEM_KEY_H_
#define XMODAL_INDEXER_ITEM_KEY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "core/base/modality.h"

namespace xmodal::indexer {

struct ItemKey {
  std::string id;              // first 32 hex chars of SHA-256(modality name, '\0', canonical)
  std::string content_sha256;  // full hex SHA-256 of the raw bytes
};

// `canonical` is what identifies the content: the file's bytes for images and audio, the
// whitespace-normalised UTF-8 string for text (see NormaliseText). `raw` is the content that
// GetItem returns and content_sha256 hashes: the file's bytes for anything read from a file
// (a .txt file's contents, not its normalised text); for an inline manifest text, which has
// no file, the normalised text itself (the store keeps only that).
// The same inputs always give the same key. Thread-safe.
ItemKey ComputeItemKey(Modality modality, absl::string_view canonical, absl::string_view raw);

// Convenience for images and audio, where the canonical form is the raw bytes.
inline ItemKey ComputeItemKey(Modality modality, absl::string_view bytes) {
  return ComputeItemKey(modality, bytes, bytes);
}

// The canonical form of a text item: a leading UTF-8 byte order mark dropped, then
// NormalizeWhitespace of core/base/text.h. The caller checks UTF-8 validity first.
std::string NormaliseText(absl::string_view raw);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_ITEM_KEY_H_
