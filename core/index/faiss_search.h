// Batched top-k search of an IndexIDMap2 with per-call parameters and an id filter. Internal.
//
// FAISS 1.7.3's IndexIDMap::search throws when given any SearchParameters ("search params not
// supported for this index"), and it has no IDSelectorTranslated, so a selector would be tested
// against internal positions rather than our ids. So the search goes straight to the wrapped
// index with parameters built per call (the index is never mutated: concurrent searches are
// safe) and a bitmap selector over internal positions, and labels are mapped back to our ids
// through id_map here.
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
#include "core/index/vector_index.h"

namespace xmodal::index::internal {

// Top-min(k, eligible) neighbours per query row, best first, no -1 ids. Preconditions
// (checked by the caller): k >= 1, queries.cols == index.d, nprobe and ef_search >= 1.
// May throw faiss::FaissException or std::bad_alloc; the caller turns them into a Status.
std::vector<std::vector<Neighbor>> SearchIdMap(const faiss::IndexIDMap2& index,
                                               const FloatMatrix& queries, int k,
                                               const SearchOptions& options);

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_FAISS_SEARCH_H_
