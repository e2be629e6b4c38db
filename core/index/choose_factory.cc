// ChooseFactory (declared in vector_index.h).
//
// Below 100,000 vectors an exact flat scan costs at most a few milliseconds per query on one
// core, so exactness wins. Above it, IVF with nlist about 4 * sqrt(count) lists (rounded to a
// power of two and clamped to [256, 65536]) keeps lists a few hundred vectors long, so that
// nprobe in the tens reaches a high recall. The codes stay flat (4 * dim bytes per vector) when
// count * dim * 4 bytes fits the memory budget; otherwise PQ with m sub-quantizers of 8 bits
// (m bytes per vector): m is the largest divisor of dim not above dim / 4 (a 16x compression),
// lowered further when even that does not fit the budget.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/index/vector_index.h"

namespace xmodal::index {
namespace {

constexpr int64_t kFlatBelow = 100'000;
constexpr int64_t kMinLists = 256;
constexpr int64_t kMaxLists = 65'536;

// The power of two nearest (in ratio) to 4 * sqrt(count), clamped.
int64_t ListCount(int64_t count) {
  const double target = 4.0 * std::sqrt(static_cast<double>(count));
  const int64_t lists = int64_t{1} << static_cast<int>(std::lround(std::log2(target)));
  return std::clamp(lists, kMinLists, kMaxLists);
}

// The largest divisor of `dim` that is at most `limit` (at least 1).
int LargestDivisorAtMost(int dim, int64_t limit) {
  for (int m = static_cast<int>(std::min<int64_t>(dim, std::max<int64_t>(limit, 1))); m > 1; --m) {
    if (dim % m == 0) return m;
  }
  return 1;
}

}  // namespace

std::string ChooseFactory(int64_t count, int dim, int64_t memory_budget_bytes) {
  if (count < kFlatBelow || dim <= 0) return "Flat";
  const int64_t lists = ListCount(count);
  const int64_t flat_bytes = count * dim * int64_t{4};
  if (flat_bytes <= memory_budget_bytes) return absl::StrCat("IVF", lists, ",Flat");
  const int64_t budget_per_vector = std::max<int64_t>(memory_budget_bytes, 0) / count;
  const int m = LargestDivisorAtMost(dim, std::min<int64_t>(dim / 4, budget_per_vector));
  return absl::StrCat("IVF", lists, ",PQ", m);
}

}  // namespace xmodal::index
