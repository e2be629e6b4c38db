// Batched top-k search with per-call parameters and an id filter, over either kind of id
// keeping (an IndexIDMap2, or an IVF holding our ids in its lists: native_ids.h). Internal.
//
// FAISS 1.7.3's IndexIDMap::search throws when given any SearchParameters ("search params not
// supported for this index"), and it has no IDSelectorTranslated, so a selector would be tested
// against internal positions rather than our ids. So the search goes straight to the wrapped
// index with parameters built per call (the index is never mutated: concurrent searches are
// safe) and a bitmap selector over internal positions, and labels are mapped back to our ids
// through id_map here. (IndexIDMap takes SearchParameters in a later FAISS, 1.8.0 or after per
// facebookresearch/faiss#2703, not verified; the bitmap may stay anyway: compat/README.md.)
// A native IVF is searched as it is: its labels are our ids, and the selector tests our ids.
//
// Approximate indexes may return fewer than k hits, most of all under a narrow filter (IVF
// lists that hold no allowed vector, an HNSW candidate list full of filtered-out nodes). Rows
// that come back short are searched again with nprobe doubled (IVF), or k and efSearch
// doubled (HNSW: FAISS 1.7.3 widens its filtered search only when both grow), until they are
// full or the search is exhaustive. Indexes that take no parameters (e.g. IndexPQ, IndexRefine) are
// filtered by over-fetching and widening instead.
#ifndef XMODAL_CORE_INDEX_FAISS_SEARCH_H_
#define XMODAL_CORE_INDEX_FAISS_SEARCH_H_

#include <faiss/IndexIDMap.h>

#include <vector>

#include "core/base/float_matrix.h"
#include "core/index/compat/hnsw_ef_gate.h"
#include "core/index/int8_flat_copy.h"
#include "core/index/native_ids.h"
#include "core/index/vector_index.h"

namespace xmodal::index::internal {

// What a search runs on: exactly one of id_map and (native, native_ids) is set.
struct SearchTarget {
  const faiss::IndexIDMap2* id_map = nullptr;
  const faiss::Index* native = nullptr;  // an index for which NativeIvf holds
  const SortedIds* native_ids = nullptr;
  // HNSW indexes: sets hnsw.efSearch per pass (hnsw_ef_gate.h); null for other kinds.
  HnswEfGate* ef_gate = nullptr;
  // Large flat inner-product indexes: an int8 copy of the flat index under id_map that exact
  // searches of a few queries scan instead (int8_flat_copy.h); null for other indexes.
  const Int8FlatCopy* int8_copy = nullptr;
};

// Top-min(k, eligible) neighbours per query row, best first, no -1 ids. Preconditions
// (checked by the caller): k >= 1, queries.cols == index.d, nprobe and ef_search >= 1.
// May throw faiss::FaissException or std::bad_alloc; the caller turns them into a Status.
std::vector<std::vector<Neighbor>> SearchIndex(const SearchTarget& target,
                                               const FloatMatrix& queries, int k,
                                               const SearchOptions& options);

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_FAISS_SEARCH_H_
