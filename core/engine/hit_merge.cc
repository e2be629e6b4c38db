#include "core/engine/hit_merge.h"

#include <algorithm>

namespace xmodal::engine {

void HitMerge::Add(std::span<const index::Neighbor> row, int fetch,
                   const std::unordered_map<int64_t, VectorRef>& vectors,
                   const std::vector<std::string>& item_ids, const std::string& exclude_item_id) {
  const size_t count = std::min(row.size(), static_cast<size_t>(fetch));
  for (size_t i = 0; i < count; ++i) {
    const index::Neighbor& n = row[i];
    auto ref = vectors.find(n.id);
    if (ref == vectors.end()) continue;
    if (item_ids[ref->second.item] == exclude_item_id) continue;
    Candidate& c = best_.try_emplace(ref->second.item, Candidate{-1e30f, {}}).first->second;
    if (n.score > c.score) c = Candidate{n.score, ref->second};
  }
}

std::vector<Candidate> HitMerge::Ranked(const std::vector<std::string>& item_ids, int k) const {
  std::vector<Candidate> ranked;
  ranked.reserve(best_.size());
  for (const auto& [item, c] : best_) ranked.push_back(c);
  std::sort(ranked.begin(), ranked.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return item_ids[a.ref.item] < item_ids[b.ref.item];
  });
  if (static_cast<int>(ranked.size()) > k) ranked.resize(k);
  return ranked;
}

}  // namespace xmodal::engine
