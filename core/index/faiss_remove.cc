#include "core/index/faiss_remove.h"

#include <faiss/IndexFlatCodes.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVF.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/invlists/InvertedLists.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/index/faiss_util.h"

namespace xmodal::index::internal {
namespace {

using idx_t = faiss::Index::idx_t;

// Maps each position stored in the IVF lists to its place after `removed` (sorted) are gone.
void RenumberLists(faiss::ArrayInvertedLists& lists, const std::vector<idx_t>& removed) {
  for (std::vector<idx_t>& list_ids : lists.ids) {
    for (idx_t& pos : list_ids) {
      pos -= std::lower_bound(removed.begin(), removed.end(), pos) - removed.begin();
    }
  }
}

}  // namespace

absl::StatusOr<int64_t> RemoveFromIdMap(faiss::IndexIDMap2& index, std::span<const int64_t> ids,
                                        const std::string& factory) {
  faiss::Index* core = UnwrapTransforms(index.index);
  if (dynamic_cast<faiss::IndexHNSW*>(core) != nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("HNSW indexes ('", factory,
                     "') cannot remove vectors; rebuild the index from the store instead"));
  }
  auto* ivf = dynamic_cast<faiss::IndexIVF*>(core);
  faiss::ArrayInvertedLists* lists = nullptr;
  if (ivf != nullptr && ivf->direct_map.type == faiss::DirectMap::NoMap) {
    lists = dynamic_cast<faiss::ArrayInvertedLists*>(ivf->invlists);
  }
  if (lists == nullptr && dynamic_cast<faiss::IndexFlatCodes*>(core) == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", factory, "' indexes cannot remove vectors; rebuild the index from the store instead"));
  }

  std::vector<idx_t> present;  // our ids that are in the index
  std::vector<idx_t> removed;  // their internal positions
  for (const int64_t id : ids) {
    const auto it = index.rev_map.find(id);
    if (it == index.rev_map.end()) continue;
    present.push_back(id);
    removed.push_back(it->second);
  }
  std::sort(removed.begin(), removed.end());
  removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
  if (removed.empty()) return 0;

  const faiss::IDSelectorBatch selector(present.size(), present.data());
  const size_t count = index.remove_ids(selector);
  if (lists != nullptr) RenumberLists(*lists, removed);
  return static_cast<int64_t>(count);
}

int64_t RemoveNative(faiss::Index& index, SortedIds& held, std::span<const int64_t> ids) {
  std::vector<idx_t> present;
  for (const int64_t id : ids) {
    if (held.Contains(id)) present.push_back(id);
  }
  if (present.empty()) return 0;
  const faiss::IDSelectorBatch selector(present.size(), present.data());
  index.remove_ids(selector);  // the lists hold our ids: nothing to renumber
  return held.Erase(present);
}

}  // namespace xmodal::index::internal
