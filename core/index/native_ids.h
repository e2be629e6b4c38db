// IVF indexes that keep our ids in their inverted lists, without an IndexIDMap2 around them.
// Internal to the index module.
//
// An IndexIDMap2 costs about 48 heap bytes per vector (an 8-byte id array plus a hash map
// from id to position), more than the codes of a compressed index (IVF1024,PQ32 holds 32
// bytes of codes). An IVF index stores an 8-byte id per entry in its lists anyway, so ids given
// to add_with_ids are kept there and searches return them directly. What an IVF cannot say
// cheaply is whether it holds an id (duplicate adds, filtered searches count the eligible
// ids), so NativeIds keeps the ids in one sorted array beside it: 8 bytes per vector.
//
// Only IVF types whose list entries are independent of their position qualify (IVFFlat,
// IVFScalarQuantizer, IVFPQ, with in-memory lists and no direct map); IVFPQR and fast-scan
// indexes index side arrays by position or use other list layouts and stay in an id map.
//
// Not a FAISS workaround: IndexIDMap2 costs the same in every FAISS version, so this stays when
// compat/ goes (compat/README.md).
#ifndef XMODAL_CORE_INDEX_NATIVE_IDS_H_
#define XMODAL_CORE_INDEX_NATIVE_IDS_H_

#include <faiss/IndexIVF.h>

#include <cstdint>
#include <span>
#include <vector>

namespace xmodal::index::internal {

// The IVF under `index`'s pre-transforms when it can keep our ids natively, else nullptr.
faiss::IndexIVF* NativeIvf(faiss::Index* index);
const faiss::IndexIVF* NativeIvf(const faiss::Index* index);

// Every id held in the lists of `ivf` (in list order). `ivf` must have ArrayInvertedLists.
std::vector<int64_t> ListIds(const faiss::IndexIVF& ivf);

// Gives back the spare capacity of lists that grew past 1/8 more than they hold: FAISS grows
// a list by doubling when entries are added one at a time, which would leave up to half of
// the codes' memory unused.
void TrimLists(faiss::IndexIVF& ivf);

// A set of ids as one sorted array (8 bytes per id, at most 1/8 spare). Not thread-safe; the
// owner synchronises.
class SortedIds {
 public:
  SortedIds() = default;
  // Takes ids in any order; false (and empty) when one repeats.
  bool Assign(std::vector<int64_t> ids);

  bool Contains(int64_t id) const;
  int64_t size() const { return static_cast<int64_t>(ids_.size()); }
  // Adds ids that are distinct and not yet present (the caller checked).
  void Insert(std::span<const int64_t> ids);
  // Removes those of `ids` that are present; returns how many.
  int64_t Erase(std::span<const int64_t> ids);

 private:
  std::vector<int64_t> ids_;  // ascending, distinct
};

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_NATIVE_IDS_H_
