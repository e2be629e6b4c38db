// Removing ids from an IndexIDMap2 (correctly for IVF indexes too) or from an IVF that keeps
// our ids natively (native_ids.h). Internal.
//
// FAISS 1.7.3's IndexIDMap::remove_ids compacts its id_map, which is right for indexes that
// compact their storage in order (IndexFlatCodes), but an IVF keeps the positions it was given
// at add time in its inverted lists and does not renumber them, so every id after the first
// removed one would come back shifted (checked against 1.7.3). Here the IVF lists are
// renumbered to the compacted positions after the removal.
//
// Not removable by upgrading: FAISS documents the id map over an IVF as unsupported for removal
// and still shifts ids in 1.11 (facebookresearch/faiss#4535, closed as wontfix; #4656). See
// compat/README.md.
#ifndef XMODAL_CORE_INDEX_FAISS_REMOVE_H_
#define XMODAL_CORE_INDEX_FAISS_REMOVE_H_

#include <faiss/IndexIDMap.h>

#include <cstdint>
#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "core/index/native_ids.h"

namespace xmodal::index::internal {

// Removes `ids` (absent ones ignored) and returns how many were removed. FAILED_PRECONDITION,
// before changing anything, for indexes that cannot remove (HNSW, and others that FAISS or
// the renumbering above do not support); `factory` names the index in the message.
// May throw faiss::FaissException; the caller turns it into a Status.
absl::StatusOr<int64_t> RemoveFromIdMap(faiss::IndexIDMap2& index, std::span<const int64_t> ids,
                                        const std::string& factory);

// Removes those of `ids` that `held` lists from `index` (for which NativeIvf holds) and from
// `held`; returns how many. May throw faiss::FaissException.
int64_t RemoveNative(faiss::Index& index, SortedIds& held, std::span<const int64_t> ids);

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_FAISS_REMOVE_H_
