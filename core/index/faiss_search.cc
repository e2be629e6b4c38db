#include "core/index/faiss_search.h"

#include <faiss/IndexIVF.h>
#include <faiss/impl/IDSelector.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

#include "core/index/compat/flat_scan.h"
#include "core/index/faiss_util.h"

namespace xmodal::index::internal {
namespace {

using idx_t = faiss::Index::idx_t;

// The labels a search may return: all of them, or those standing for an allowed id (internal
// positions of an id map, our ids in a native IVF).
class Allowed {
 public:
  explicit Allowed(int64_t ntotal) : count_(ntotal) {}
  Allowed(const faiss::IndexIDMap2& index, const std::vector<int64_t>& ids)
      : bitmap_((static_cast<size_t>(index.ntotal) + 7) / 8, 0) {
    for (const int64_t id : ids) {
      const auto it = index.rev_map.find(id);
      if (it == index.rev_map.end()) continue;
      const idx_t pos = it->second;
      uint8_t& byte = bitmap_[static_cast<size_t>(pos >> 3)];
      const uint8_t bit = static_cast<uint8_t>(1u << (pos & 7));
      if ((byte & bit) == 0) ++count_;
      byte |= bit;
    }
    selector_ = std::make_unique<faiss::IDSelectorBitmap>(bitmap_.size(), bitmap_.data());
  }
  Allowed(const SortedIds& held, const std::vector<int64_t>& ids) {
    std::vector<int64_t> present;
    for (const int64_t id : ids) {
      if (held.Contains(id)) present.push_back(id);
    }
    std::sort(present.begin(), present.end());
    present.erase(std::unique(present.begin(), present.end()), present.end());
    count_ = static_cast<int64_t>(present.size());
    selector_ = std::make_unique<faiss::IDSelectorBatch>(present.size(), present.data());
  }
  Allowed(const Allowed&) = delete;
  Allowed& operator=(const Allowed&) = delete;

  const faiss::IDSelector* selector() const { return selector_.get(); }
  bool contains(idx_t label) const { return selector_ == nullptr || selector_->is_member(label); }
  int64_t count() const { return count_; }

 private:
  std::vector<uint8_t> bitmap_;
  std::unique_ptr<faiss::IDSelector> selector_;  // a bitmap selector points into bitmap_
  int64_t count_ = 0;
};

struct Knobs {
  int64_t fetch = 0;  // results asked of FAISS per row
  int64_t nprobe = 1;
  int64_t ef_search = 1;
};

// One FAISS search of the given rows; fills `distances` and `labels` (rows.size() * fetch).
void RunSearch(const faiss::Index& inner, SearchKind kind, const SearchTarget& target,
               const FloatMatrix& queries, const std::vector<int64_t>& rows, const Knobs& knobs,
               const faiss::IDSelector* selector, std::vector<float>& distances,
               std::vector<idx_t>& labels) {
  const idx_t n = static_cast<idx_t>(rows.size());
  const float* x = queries.data.data();
  std::vector<float> gathered;
  if (n != queries.rows) {
    gathered.resize(static_cast<size_t>(n * queries.cols));
    for (idx_t r = 0; r < n; ++r) {
      const auto row = queries.row(rows[r]);
      std::copy(row.begin(), row.end(), gathered.begin() + r * queries.cols);
    }
    x = gathered.data();
  }
  distances.assign(static_cast<size_t>(n * knobs.fetch), 0.0f);
  labels.assign(static_cast<size_t>(n * knobs.fetch), -1);
  switch (kind) {
    case SearchKind::kIvf: {
      faiss::SearchParametersIVF params;
      params.nprobe = static_cast<size_t>(knobs.nprobe);
      params.max_codes = 0;  // no cap: nprobe alone bounds the work
      params.sel = const_cast<faiss::IDSelector*>(selector);
      // Debian's FAISS assigns queries to lists with its scalar flat scan, which at a few
      // thousand lists cost as much as scanning the lists; ours gives the same lists.
      const auto* ivf = dynamic_cast<const faiss::IndexIVF*>(&inner);
      const faiss::IndexFlat* coarse =
          ivf != nullptr ? FlatIndexToScan(*ivf->quantizer, n) : nullptr;
      if (coarse != nullptr) {
        std::vector<float> list_scores(static_cast<size_t>(n * knobs.nprobe));
        std::vector<idx_t> lists(static_cast<size_t>(n * knobs.nprobe));
        FlatScanSearch(*coarse, n, x, knobs.nprobe, nullptr, list_scores.data(), lists.data());
        ivf->search_preassigned(n, x, knobs.fetch, lists.data(), list_scores.data(),
                                distances.data(), labels.data(), /*store_pairs=*/false, &params);
        return;
      }
      inner.search(n, x, knobs.fetch, distances.data(), labels.data(), &params);
      return;
    }
    case SearchKind::kHnsw: {
      faiss::SearchParametersHNSW params;
      params.efSearch = static_cast<int>(knobs.ef_search);
      params.sel = const_cast<faiss::IDSelector*>(selector);
      // 1.7.3 sizes its queue from the index's hnsw.efSearch, not from params: the gate sets
      // it for the duration of this search.
      std::optional<HnswEfGate::Pass> pass;
      if (target.ef_gate != nullptr) pass.emplace(target.ef_gate->Enter(params.efSearch));
      inner.search(n, x, knobs.fetch, distances.data(), labels.data(), &params);
      return;
    }
    case SearchKind::kPlain:
      if (const faiss::IndexFlat* flat = FlatIndexToScan(inner, n)) {
        if (target.int8_copy != nullptr && &target.int8_copy->flat() == flat) {
          target.int8_copy->Search(n, x, knobs.fetch, selector, distances.data(), labels.data());
        } else {
          FlatScanSearch(*flat, n, x, knobs.fetch, selector, distances.data(), labels.data());
        }
        return;
      }
      if (selector != nullptr) {
        faiss::SearchParameters params;
        params.sel = const_cast<faiss::IDSelector*>(selector);
        inner.search(n, x, knobs.fetch, distances.data(), labels.data(), &params);
        return;
      }
      break;
    case SearchKind::kOther:
      break;
  }
  inner.search(n, x, knobs.fetch, distances.data(), labels.data(), nullptr);
}

// Makes the next pass search harder; false when it cannot (the last pass was exhaustive).
bool Widen(SearchKind kind, bool post_filter, int64_t ntotal, int64_t nlist, Knobs& knobs) {
  switch (kind) {
    case SearchKind::kIvf:
      if (knobs.nprobe >= nlist) return false;
      knobs.nprobe = std::min(nlist, knobs.nprobe * 2);
      return true;
    case SearchKind::kHnsw:
      // 1.7.3's HNSW explores more under a selector only when both k and efSearch grow.
      if (knobs.fetch >= ntotal && knobs.ef_search >= ntotal) return false;
      knobs.fetch = std::min(ntotal, knobs.fetch * 2);
      knobs.ef_search = std::max(std::min(ntotal, knobs.ef_search * 2), knobs.fetch);
      return true;
    case SearchKind::kOther:
      if (!post_filter || knobs.fetch >= ntotal) return false;
      knobs.fetch = std::min(ntotal, knobs.fetch * 4);
      return true;
    case SearchKind::kPlain:
      return false;  // exact: a short row holds every eligible vector already
  }
  return false;
}

}  // namespace

std::vector<std::vector<Neighbor>> SearchIndex(const SearchTarget& target,
                                               const FloatMatrix& queries, int k,
                                               const SearchOptions& options) {
  std::vector<std::vector<Neighbor>> results(static_cast<size_t>(queries.rows));
  const faiss::IndexIDMap2* id_map = target.id_map;
  const int64_t ntotal = id_map != nullptr ? id_map->ntotal : target.native->ntotal;
  if (ntotal == 0 || queries.rows == 0) return results;
  std::unique_ptr<Allowed> allowed;
  if (options.allowed_ids == nullptr) {
    allowed = std::make_unique<Allowed>(ntotal);
  } else if (id_map != nullptr) {
    allowed = std::make_unique<Allowed>(*id_map, *options.allowed_ids);
  } else {
    allowed = std::make_unique<Allowed>(*target.native_ids, *options.allowed_ids);
  }
  if (allowed->count() == 0) return results;

  const faiss::Index& inner = id_map != nullptr ? *id_map->index : *target.native;
  const SearchKind kind = KindOf(inner);
  const int64_t want = std::min<int64_t>(k, allowed->count());
  // Indexes that take no selector are filtered here, from a larger fetch.
  const bool post_filter = kind == SearchKind::kOther && allowed->selector() != nullptr;
  const auto* ivf = dynamic_cast<const faiss::IndexIVF*>(UnwrapTransforms(&inner));
  const int64_t nlist = ivf != nullptr ? static_cast<int64_t>(ivf->nlist) : 0;

  Knobs knobs;
  knobs.fetch = post_filter ? std::min<int64_t>(ntotal, std::max<int64_t>(4 * want, 64))
                            : std::min<int64_t>(k, ntotal);
  knobs.nprobe = nlist > 0 ? std::min<int64_t>(options.nprobe, nlist) : options.nprobe;
  knobs.ef_search = std::max<int64_t>(options.ef_search, knobs.fetch);

  std::vector<int64_t> rows(static_cast<size_t>(queries.rows));
  for (size_t r = 0; r < rows.size(); ++r) rows[r] = static_cast<int64_t>(r);
  std::vector<float> distances;
  std::vector<idx_t> labels;
  const int64_t map_size = id_map != nullptr ? static_cast<int64_t>(id_map->id_map.size()) : 0;
  while (true) {
    RunSearch(inner, kind, target, queries, rows, knobs,
              post_filter ? nullptr : allowed->selector(), distances, labels);
    std::vector<int64_t> short_rows;
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<Neighbor>& out = results[static_cast<size_t>(rows[r])];
      out.clear();
      for (int64_t j = 0; j < knobs.fetch && static_cast<int64_t>(out.size()) < want; ++j) {
        const size_t at = r * static_cast<size_t>(knobs.fetch) + static_cast<size_t>(j);
        const idx_t label = labels[at];
        if (label < 0 || !allowed->contains(label)) continue;
        if (id_map == nullptr) {
          out.push_back({label, distances[at]});
        } else if (label < map_size) {
          out.push_back({id_map->id_map[static_cast<size_t>(label)], distances[at]});
        }
      }
      if (static_cast<int64_t>(out.size()) < want) short_rows.push_back(rows[r]);
    }
    if (short_rows.empty() || !Widen(kind, post_filter, ntotal, nlist, knobs)) break;
    rows = std::move(short_rows);
  }
  return results;
}

}  // namespace xmodal::index::internal
