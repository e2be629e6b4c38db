#include "trainer/eval/recall.h"

#include <glog/logging.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "core/base/thread_pool.h"

namespace xmodal::eval {
namespace {

constexpr float kNoScore = -std::numeric_limits<float>::infinity();

// Inner product with eight independent partial sums, so that the compiler can vectorise it
// without -ffast-math; the summation order is fixed, so results are deterministic.
float DotProduct(std::span<const float> a, std::span<const float> b) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  const size_t n = a.size();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int k = 0; k < 8; ++k) acc[k] += a[i + k] * b[i + k];
  }
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
}

// The rank for one query item (see FirstCorrectRanks); `scores` is scratch space.
int RankOne(const SegmentedVectors& queries, int64_t q, int query_group,
            const SegmentedVectors& gallery, const std::vector<int>& gallery_groups,
            std::vector<float>& scores) {
  if (queries.num_rows(q) == 0) return kNoVectors;
  const int64_t n = gallery.num_items();
  scores.assign(n, kNoScore);
  for (int64_t qr = queries.offsets[q]; qr < queries.offsets[q + 1]; ++qr) {
    const std::span<const float> qv = queries.rows.row(qr);
    for (int64_t g = 0; g < n; ++g) {
      for (int64_t gr = gallery.offsets[g]; gr < gallery.offsets[g + 1]; ++gr) {
        scores[g] = std::max(scores[g], DotProduct(qv, gallery.rows.row(gr)));
      }
    }
  }
  int64_t best = -1;
  for (int64_t g = 0; g < n; ++g) {
    if (gallery_groups[g] != query_group || gallery.num_rows(g) == 0) continue;
    if (best < 0 || scores[g] > scores[best]) best = g;
  }
  if (best < 0) return kNotFound;
  int rank = 1;
  for (int64_t g = 0; g < n; ++g) {
    if (gallery_groups[g] == query_group || gallery.num_rows(g) == 0) continue;
    if (scores[g] > scores[best] || (scores[g] == scores[best] && g < best)) ++rank;
  }
  return rank;
}

}  // namespace

void SegmentedVectors::AddItem(const FloatMatrix& item_rows) {
  for (int64_t r = 0; r < item_rows.rows; ++r) rows.AppendRow(item_rows.row(r));
  offsets.push_back(rows.rows);
}

std::vector<int> FirstCorrectRanks(const SegmentedVectors& queries,
                                   const std::vector<int>& query_groups,
                                   const SegmentedVectors& gallery,
                                   const std::vector<int>& gallery_groups, int threads) {
  CHECK_EQ(static_cast<int64_t>(query_groups.size()), queries.num_items());
  CHECK_EQ(static_cast<int64_t>(gallery_groups.size()), gallery.num_items());
  if (queries.rows.rows > 0 && gallery.rows.rows > 0) {
    CHECK_EQ(queries.rows.cols, gallery.rows.cols);
  }
  const int64_t n = queries.num_items();
  std::vector<int> ranks(n, kNoVectors);
  const int workers = std::max(1, threads);
  ThreadPool pool(workers);
  const int64_t per_task = std::max<int64_t>(1, (n + workers * 4 - 1) / (workers * 4));
  for (int64_t begin = 0; begin < n; begin += per_task) {
    const int64_t end = std::min(n, begin + per_task);
    pool.Submit([&, begin, end] {
      std::vector<float> scores;
      for (int64_t q = begin; q < end; ++q) {
        ranks[q] = RankOne(queries, q, query_groups[q], gallery, gallery_groups, scores);
      }
    });
  }
  pool.Wait();
  return ranks;
}

void RecallAccumulator::Add(int rank) {
  ++n_;
  hits1_ += rank <= 1;
  hits5_ += rank <= 5;
  hits10_ += rank <= 10;
}

RecallAtK RecallAccumulator::Result() const {
  RecallAtK r;
  r.queries = n_;
  if (n_ == 0) return r;
  r.r1 = static_cast<double>(hits1_) / n_;
  r.r5 = static_cast<double>(hits5_) / n_;
  r.r10 = static_cast<double>(hits10_) / n_;
  return r;
}

}  // namespace xmodal::eval
