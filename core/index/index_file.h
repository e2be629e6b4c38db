// The on-disk form of a VectorIndex. Internal; VectorIndex::Load (defined in index_file.cc)
// reads it back.
//
//   "XMIDX001"                 8-byte magic
//   uint32 little-endian       length of the factory string (at most 4096)
//   factory string bytes
//   int32 little-endian        dimension
//   FAISS serialised index     faiss::write_index of the root index (an IndexIDMap2, or an IVF
//                              that keeps ids itself: faiss_index.h), to the end of the file
#ifndef XMODAL_CORE_INDEX_INDEX_FILE_H_
#define XMODAL_CORE_INDEX_INDEX_FILE_H_

#include <faiss/Index.h>

#include <string>

#include "absl/status/status.h"

namespace xmodal::index::internal {

// Writes `index` to `path` (created or truncated) and fsyncs it; the caller publishes it
// atomically. INTERNAL naming the path on any I/O or FAISS error. Does not mutate `index`.
absl::Status WriteIndexFile(const std::string& path, const faiss::Index& index,
                            const std::string& factory);

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_INDEX_FILE_H_
