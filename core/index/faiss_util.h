// Helpers shared by the FAISS adapter: error text, and what kind of search parameters an
// index accepts. Internal to the index module; FAISS 1.7.3 behaviour noted where it matters.
#ifndef XMODAL_CORE_INDEX_FAISS_UTIL_H_
#define XMODAL_CORE_INDEX_FAISS_UTIL_H_

#include <faiss/Index.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>

#include <exception>
#include <string>

namespace xmodal::index::internal {

// The message of a FAISS (or other) exception without FAISS's "Error in <function> at
// <file>:<line>: " prefix, which only helps FAISS's own developers.
std::string FaissMessage(const std::exception& e);

// How an index takes per-call search parameters in FAISS 1.7.3.
enum class SearchKind {
  kPlain,  // IndexFlat, IndexScalarQuantizer: SearchParameters (selector only), exact search
  kIvf,    // IndexIVF*: SearchParametersIVF (nprobe, selector)
  kHnsw,   // IndexHNSW*: SearchParametersHNSW (efSearch, selector)
  kOther,  // everything else: no parameters at all (FAISS throws when given any)
};

// The index under any IndexPreTransform layers (which pass parameters through unchanged).
const faiss::Index* UnwrapTransforms(const faiss::Index* index);
faiss::Index* UnwrapTransforms(faiss::Index* index);

// The kind of `index` (the index inside the id map).
SearchKind KindOf(const faiss::Index& index);

// Turns off polysemous training, which index_factory enables for "PQ<m>" and "IVF<n>,PQ<m>":
// it reorders PQ centroids by simulated annealing (minutes even for a few thousand training
// vectors) and only pays off for polysemous (Hamming-filtered) search, which xmodal never uses.
void DisablePolysemousTraining(faiss::Index* index);

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_FAISS_UTIL_H_
