// RocksStore::Commit: validation, id assignment and the one synced write batch.
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/store/item_codec.h"
#include "core/store/keys.h"
#include "core/store/rocksdb_store.h"
#include "core/store/vector_codec.h"

namespace xmodal::store::internal {
namespace {

rocksdb::Slice ToSlice(absl::string_view s) { return rocksdb::Slice(s.data(), s.size()); }

// Checks the batch on its own: ids, references, modalities, widths and values. Returns the
// vectors' common width (0 when there are none) and each vector's item index in `items`.
absl::StatusOr<int64_t> ValidateBatch(const std::vector<ItemRecord>& items,
                                      const std::vector<VectorRecord>& vectors,
                                      std::vector<size_t>& item_of_vector) {
  std::unordered_map<std::string, size_t> by_id;
  for (size_t i = 0; i < items.size(); ++i) {
    XM_RETURN_IF_ERROR(ValidateItem(items[i]));
    if (!by_id.emplace(items[i].id, i).second) {
      return absl::InvalidArgumentError(absl::StrCat("item '", absl::CHexEscape(items[i].id),
                                                     "' appears more than once in the commit"));
    }
  }
  int64_t width = 0;
  item_of_vector.clear();
  for (size_t v = 0; v < vectors.size(); ++v) {
    const VectorRecord& vector = vectors[v];
    const auto it = by_id.find(vector.item_id);
    if (it == by_id.end()) {
      return absl::InvalidArgumentError(absl::StrCat("vector ", v, " refers to item '",
                                                     absl::CHexEscape(vector.item_id),
                                                     "', which is not in the commit"));
    }
    const ItemRecord& item = items[it->second];
    if (vector.modality != item.modality) {
      return absl::InvalidArgumentError(
          absl::StrCat("vector ", v, " is ", ModalityName(vector.modality), " but its item '",
                       absl::CHexEscape(item.id), "' is ", ModalityName(item.modality)));
    }
    const int64_t size = static_cast<int64_t>(vector.values.size());
    if (size == 0) return absl::InvalidArgumentError(absl::StrCat("vector ", v, " is empty"));
    if (width != 0 && size != width) {
      return absl::InvalidArgumentError(
          absl::StrCat("vector ", v, " is ", size, " wide; the others are ", width, " wide"));
    }
    width = size;
    for (const float value : vector.values) {
      if (!std::isfinite(value)) {
        return absl::InvalidArgumentError(absl::StrCat("vector ", v, " contains NaN or infinity"));
      }
    }
    if (!std::isfinite(vector.start_seconds) || !std::isfinite(vector.end_seconds) ||
        vector.end_seconds < vector.start_seconds) {
      return absl::InvalidArgumentError(absl::StrCat("vector ", v, " spans [", vector.start_seconds,
                                                     ", ", vector.end_seconds, "] seconds"));
    }
    item_of_vector.push_back(it->second);
  }
  return width;
}

}  // namespace

absl::StatusOr<std::vector<int64_t>> RocksStore::Commit(std::vector<ItemRecord> items,
                                                        std::vector<VectorRecord> vectors) {
  XM_RETURN_IF_ERROR(CheckWritable());
  std::vector<size_t> item_of_vector;
  XM_ASSIGN_OR_RETURN(const int64_t width, ValidateBatch(items, vectors, item_of_vector));

  std::lock_guard<std::mutex> lock(commit_mu_);
  XM_ASSIGN_OR_RETURN(const int64_t stored_width, GetCounter(VectorWidthKey()));
  if (width != 0 && stored_width != 0 && width != stored_width) {
    return absl::InvalidArgumentError(absl::StrCat(
        "vectors are ", width, " wide; this collection's vectors are ", stored_width, " wide"));
  }
  std::vector<bool> skipped(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    XM_ASSIGN_OR_RETURN(const std::optional<std::string> existing, Get(items_, items[i].id));
    skipped[i] = existing.has_value();
    items[i].vector_ids.clear();
  }

  XM_ASSIGN_OR_RETURN(int64_t next_id, GetCounter(NextVectorIdKey()));
  std::map<Modality, int64_t> new_items;
  std::map<Modality, int64_t> new_vectors;
  rocksdb::WriteBatch batch;
  std::vector<int64_t> ids(vectors.size(), -1);
  for (size_t v = 0; v < vectors.size(); ++v) {
    ItemRecord& item = items[item_of_vector[v]];
    if (skipped[item_of_vector[v]]) continue;
    VectorRecord& vector = vectors[v];
    vector.id = ids[v] = next_id++;
    item.vector_ids.push_back(vector.id);
    ++new_vectors[vector.modality];
    batch.Put(vectors_, VectorKey(vector.modality, vector.id), EncodeVector(vector));
  }
  for (size_t i = 0; i < items.size(); ++i) {
    // The source produced an item (new or already known): it no longer counts as failed.
    if (!items[i].source_uri.empty()) batch.Delete(failures_, ToSlice(items[i].source_uri));
    if (skipped[i]) continue;
    ++new_items[items[i].modality];
    batch.Put(items_, ToSlice(items[i].id), EncodeItem(items[i]));
  }
  if (!new_vectors.empty()) {
    batch.Put(meta_, NextVectorIdKey(), EncodeCounter(next_id));
    if (stored_width == 0) batch.Put(meta_, VectorWidthKey(), EncodeCounter(width));
  }
  for (const auto& [modality, added] : new_items) {
    XM_ASSIGN_OR_RETURN(const int64_t count, GetCounter(ItemCountKey(modality)));
    batch.Put(meta_, ItemCountKey(modality), EncodeCounter(count + added));
  }
  for (const auto& [modality, added] : new_vectors) {
    XM_ASSIGN_OR_RETURN(const int64_t count, GetCounter(VectorCountKey(modality)));
    batch.Put(meta_, VectorCountKey(modality), EncodeCounter(count + added));
  }
  XM_RETURN_IF_ERROR(WriteSynced(
      batch, absl::StrCat("committing ", items.size(), " items and ", vectors.size(), " vectors")));
  return ids;
}

}  // namespace xmodal::store::internal
