#include "core/index/native_ids.h"

#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <typeinfo>
#include <unordered_set>

#include "core/index/faiss_util.h"

namespace xmodal::index::internal {
namespace {

// Exact types only: subclasses (IndexIVFPQR, IndexIVFFlatDedup, ...) keep position-indexed
// side data or change what an entry means.
bool IsPlainIvf(const faiss::IndexIVF& ivf) {
  const std::type_info& type = typeid(ivf);
  return type == typeid(faiss::IndexIVFFlat) || type == typeid(faiss::IndexIVFScalarQuantizer) ||
         type == typeid(faiss::IndexIVFPQ);
}

// Spare capacity above size / 8 is given back.
template <typename T>
void Trim(std::vector<T>& v) {
  if (v.capacity() > v.size() + v.size() / 8) v.shrink_to_fit();
}

}  // namespace

faiss::IndexIVF* NativeIvf(faiss::Index* index) {
  auto* ivf = dynamic_cast<faiss::IndexIVF*>(UnwrapTransforms(index));
  if (ivf == nullptr || !IsPlainIvf(*ivf)) return nullptr;
  if (ivf->direct_map.type != faiss::DirectMap::NoMap) return nullptr;
  if (dynamic_cast<faiss::ArrayInvertedLists*>(ivf->invlists) == nullptr) return nullptr;
  return ivf;
}

const faiss::IndexIVF* NativeIvf(const faiss::Index* index) {
  return NativeIvf(const_cast<faiss::Index*>(index));
}

std::vector<int64_t> ListIds(const faiss::IndexIVF& ivf) {
  const auto& lists = dynamic_cast<const faiss::ArrayInvertedLists&>(*ivf.invlists);
  std::vector<int64_t> ids;
  ids.reserve(static_cast<size_t>(ivf.ntotal));
  for (const auto& list : lists.ids) ids.insert(ids.end(), list.begin(), list.end());
  return ids;
}

void TrimLists(faiss::IndexIVF& ivf) {
  auto& lists = dynamic_cast<faiss::ArrayInvertedLists&>(*ivf.invlists);
  for (auto& codes : lists.codes) Trim(codes);
  for (auto& ids : lists.ids) Trim(ids);
}

bool SortedIds::Assign(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    ids_.clear();
    return false;
  }
  ids.shrink_to_fit();
  ids_ = std::move(ids);
  return true;
}

bool SortedIds::Contains(int64_t id) const {
  return std::binary_search(ids_.begin(), ids_.end(), id);
}

void SortedIds::Insert(std::span<const int64_t> ids) {
  const size_t old_size = ids_.size();
  const size_t needed = old_size + ids.size();
  if (needed > ids_.capacity()) {
    // At most 1/8 spare, yet amortised: many small adds do not copy the array every time.
    ids_.reserve(std::max(needed, old_size + old_size / 8));
  }
  ids_.insert(ids_.end(), ids.begin(), ids.end());
  std::sort(ids_.begin() + static_cast<ptrdiff_t>(old_size), ids_.end());
  std::inplace_merge(ids_.begin(), ids_.begin() + static_cast<ptrdiff_t>(old_size), ids_.end());
}

int64_t SortedIds::Erase(std::span<const int64_t> ids) {
  const std::unordered_set<int64_t> gone(ids.begin(), ids.end());
  const size_t before = ids_.size();
  ids_.erase(
      std::remove_if(ids_.begin(), ids_.end(), [&gone](int64_t id) { return gone.count(id) > 0; }),
      ids_.end());
  return static_cast<int64_t>(before - ids_.size());
}

}  // namespace xmodal::index::internal
