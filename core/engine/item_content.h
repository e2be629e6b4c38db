// The content of a stored item, as GetItem returns it: exactly the bytes that the item's
// content_sha256 and size_bytes describe, or an error that says why they cannot be had.
//
// - Image and audio items: the file at source_uri, read afresh.
// - Text items whose stored (normalised) text is those bytes: the stored text. The indexer
//   records inline manifest texts this way (their hash is of the normalised text), and a .txt
//   file already in normal form (no byte order mark, single spaces, no leading or trailing
//   whitespace) has the same bytes as its stored text.
// - Other text items (a .txt file whose bytes differ from its normalised text): the file at
//   source_uri, read afresh, so the client gets the file's bytes rather than the normalised text.
//
// A file read is checked like this: FAILED_PRECONDITION naming the item when the file cannot
// be read (gone, not a regular file, larger than `max_bytes`), and FAILED_PRECONDITION naming
// the file and the item when its SHA-256 is no longer content_sha256 (changed since it was
// indexed). An inline text indexed before inline texts were hashed after normalisation, whose
// raw text differed from its normal form, has no file ("<manifest>#L<n>") and gets the first.
// Thread-safe; reads only the file system.
#ifndef XMODAL_CORE_ENGINE_ITEM_CONTENT_H_
#define XMODAL_CORE_ENGINE_ITEM_CONTENT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "core/store/records.h"

namespace xmodal::engine {

absl::StatusOr<std::string> ReadItemContent(const store::ItemRecord& item, int64_t max_bytes);

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_ITEM_CONTENT_H_
