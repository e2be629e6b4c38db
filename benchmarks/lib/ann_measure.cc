#include "benchmarks/lib/ann_measure.h"

#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"

namespace xmodal::bench {
namespace {

constexpr int kQpsK = 10;
constexpr int kWarmupQueries = 5;

double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

int ListsOfFactory(const std::string& factory) {
  const size_t at = factory.find("IVF");
  if (at == std::string::npos) return 0;
  return std::atoi(factory.c_str() + at + 3);
}

index::SearchOptions OptionsFor(const PointPlan& plan) {
  index::SearchOptions options;
  if (plan.knob == AnnKnob::kNprobe) options.nprobe = plan.value;
  if (plan.knob == AnnKnob::kEfSearch) options.ef_search = plan.value;
  return options;
}

// Keeps the `k` candidates with the largest exact inner product with `query`.
std::vector<int64_t> Rerank(const FloatMatrix& base, std::span<const float> query,
                            const std::vector<index::Neighbor>& candidates, int k) {
  std::vector<std::pair<float, int64_t>> scored;
  scored.reserve(candidates.size());
  for (const index::Neighbor& n : candidates) scored.emplace_back(Dot(query, base.row(n.id)), n.id);
  const size_t keep = std::min(scored.size(), static_cast<size_t>(k));
  std::partial_sort(scored.begin(), scored.begin() + keep, scored.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<int64_t> ids;
  for (size_t i = 0; i < keep; ++i) ids.push_back(scored[i].second);
  return ids;
}

// Top-k ids per query of `queries` for the plan (with re-ranking when it refines).
absl::StatusOr<std::vector<std::vector<int64_t>>> SearchIds(const index::VectorIndex& index,
                                                            const FloatMatrix& base,
                                                            const FloatMatrix& queries, int k,
                                                            const PointPlan& plan) {
  const int fetch = plan.refine > 0 ? k * plan.refine : k;
  XM_ASSIGN_OR_RETURN(auto found, index.Search(queries, fetch, OptionsFor(plan)));
  std::vector<std::vector<int64_t>> ids;
  for (int64_t q = 0; q < queries.rows; ++q) {
    const auto& row = found[static_cast<size_t>(q)];
    if (plan.refine > 0) {
      ids.push_back(Rerank(base, queries.row(q), row, k));
    } else {
      std::vector<int64_t>& out = ids.emplace_back();
      for (const index::Neighbor& n : row) out.push_back(n.id);
    }
  }
  return ids;
}

}  // namespace

int64_t HeapBytesInUse() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

absl::StatusOr<BuiltIndex> BuildIndex(const std::string& factory, const FloatMatrix& base,
                                      int build_threads, const std::string& work_dir) {
  index::SetIndexThreads(build_threads);
  const int64_t heap_before = HeapBytesInUse();
  Stopwatch timer;
  XM_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> built,
                      index::VectorIndex::Create(static_cast<int>(base.cols), factory));
  if (!built->is_trained()) {
    const int64_t want = std::max<int64_t>(40 * int64_t{ListsOfFactory(factory)}, 10000);
    const int64_t rows = std::min(base.rows, want);
    FloatMatrix sample(rows, base.cols);
    for (int64_t r = 0; r < rows; ++r) {
      const auto src = base.row(r * base.rows / rows);
      std::copy(src.begin(), src.end(), sample.row(r).begin());
    }
    XM_RETURN_IF_ERROR(built->Train(sample));
  }
  {
    std::vector<int64_t> ids(static_cast<size_t>(base.rows));
    std::iota(ids.begin(), ids.end(), 0);
    XM_RETURN_IF_ERROR(built->Add(ids, base));
  }  // the ids are freed before the heap is measured
  BuiltIndex out{.build_seconds = timer.ElapsedSeconds()};
  const double n = static_cast<double>(std::max<int64_t>(base.rows, 1));
  out.memory_bytes_per_vector = std::max<double>(0, HeapBytesInUse() - heap_before) / n;
  const std::string path = absl::StrCat(work_dir, "/size-probe.faiss");
  XM_RETURN_IF_ERROR(built->Save(path));
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  std::filesystem::remove(path, ec);
  out.file_bytes_per_vector = static_cast<double>(bytes) / n;
  out.index = std::move(built);
  return out;
}

absl::StatusOr<PointMeasurement> MeasurePoint(const index::VectorIndex& index, const AnnData& data,
                                              const std::vector<std::vector<int64_t>>& truth,
                                              const PointPlan& plan) {
  PointMeasurement m;
  index::SetIndexThreads(plan.build_threads);
  XM_ASSIGN_OR_RETURN(auto at10, SearchIds(index, data.base, data.queries, kQpsK, plan));
  m.recall_at_1 = RecallAtK(at10, truth, 1);
  m.recall_at_10 = RecallAtK(at10, truth, kQpsK);
  const int k100 = static_cast<int>(std::min<int64_t>(100, data.base.rows));
  XM_ASSIGN_OR_RETURN(auto at100, SearchIds(index, data.base, data.queries, k100, plan));
  m.recall_at_100 = RecallAtK(at100, truth, k100);

  index::SetIndexThreads(plan.search_threads);
  std::vector<FloatMatrix> singles;
  for (int64_t q = 0; q < data.queries.rows; ++q) {
    FloatMatrix one(1, data.queries.cols);
    const auto row = data.queries.row(q);
    std::copy(row.begin(), row.end(), one.data.begin());
    singles.push_back(std::move(one));
  }
  for (int i = 0; i < std::min<int>(kWarmupQueries, static_cast<int>(singles.size())); ++i) {
    XM_RETURN_IF_ERROR(SearchIds(index, data.base, singles[i], kQpsK, plan).status());
  }
  for (int rep = 0; rep < plan.repetitions; ++rep) {
    const double cpu_start = ThreadCpuSeconds();
    Stopwatch timer;
    int64_t done = 0;
    for (const FloatMatrix& one : singles) {
      XM_RETURN_IF_ERROR(SearchIds(index, data.base, one, kQpsK, plan).status());
      ++done;
      if (timer.ElapsedSeconds() >= plan.seconds_per_pass && done >= kWarmupQueries) break;
    }
    m.qps.push_back(static_cast<double>(done) / std::max(timer.ElapsedSeconds(), 1e-9));
    m.cpu_qps.push_back(static_cast<double>(done) / std::max(ThreadCpuSeconds() - cpu_start, 1e-9));
  }
  return m;
}

}  // namespace xmodal::bench
