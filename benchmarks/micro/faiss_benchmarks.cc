// faiss/* micro-benchmarks (register.h): single-query top-10 search through core/index's
// VectorIndex (one FAISS thread) over synthetic clustered unit vectors, and for Flat also a
// batch of 16 queries searched at once (faiss/Flat/batch:16; items/s counts queries). The index is
// built on the benchmark's first run and not timed.
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/lib/ann_configs.h"
#include "benchmarks/lib/ann_data.h"
#include "benchmarks/lib/ann_measure.h"
#include "benchmarks/micro/register.h"
#include "core/index/vector_index.h"

namespace xmodal::bench {
namespace {

constexpr int kQueries = 256;
constexpr int kK = 10;
constexpr int kBatch = 16;  // the faiss/Flat/batch:16 case: concurrent queries searched at once

struct Case {
  std::string factory;
  index::SearchOptions options;
};

struct BuiltCase {
  int64_t n = 0;
  int dim = 0;
  std::string factory;
  std::string scratch;
  int build_threads = 0;  // 0: all cores
  std::once_flag once;
  std::unique_ptr<index::VectorIndex> index;
  std::vector<FloatMatrix> queries;  // one row each
  FloatMatrix batch;                 // the first kBatch queries
  std::string error;

  void Build() {
    std::call_once(once, [this] {
      absl::StatusOr<AnnData> data =
          MakeSyntheticData({.vectors = n, .dim = dim, .queries = kQueries, .seed = 7});
      if (!data.ok()) {
        error = data.status().ToString();
        return;
      }
      absl::StatusOr<BuiltIndex> built = BuildIndex(factory, data->base, build_threads, scratch);
      if (!built.ok()) {
        error = built.status().ToString();
        return;
      }
      index = std::move(built->index);
      for (int64_t q = 0; q < data->queries.rows; ++q) {
        FloatMatrix one(1, dim);
        const auto row = data->queries.row(q);
        std::copy(row.begin(), row.end(), one.data.begin());
        if (q < kBatch) batch.AppendRow(one.row(0));
        queries.push_back(std::move(one));
      }
    });
  }
};

// PQ with dim / 8 one-byte codes (at least 1).
std::string PqFactory(int lists, int dim) {
  int m = std::max(1, dim / 8);
  while (dim % m != 0) --m;
  return absl::StrCat("IVF", lists, ",PQ", m);
}

// Times top-kK searches of one query, or of kBatch queries at once (items count queries).
void RegisterSearch(const std::string& name, std::shared_ptr<BuiltCase> built,
                    const index::SearchOptions& options, bool batched) {
  benchmark::RegisterBenchmark(name.c_str(), [built, options, batched](benchmark::State& state) {
    built->Build();
    if (built->index == nullptr) {
      state.SkipWithError(built->error.c_str());
      return;
    }
    index::SetIndexThreads(1);
    size_t q = 0;
    for (auto _ : state) {
      const FloatMatrix& queries = batched ? built->batch : built->queries[q];
      auto found = built->index->Search(queries, kK, options);
      if (!found.ok()) {
        state.SkipWithError(found.status().ToString().c_str());
        return;
      }
      benchmark::DoNotOptimize(found->data());
      q = (q + 1) % built->queries.size();
    }
    state.SetItemsProcessed(state.iterations() * (batched ? built->batch.rows : 1));
  })->Unit(benchmark::kMicrosecond);
}

}  // namespace

void RegisterFaissBenchmarks(const MicroEnv& env) {
  for (const int dim : env.faiss_dims) {
    for (const int64_t n : env.faiss_sizes) {
      const int lists = IvfListsFor(n);
      const std::vector<Case> cases = {
          {"Flat", {}},
          {absl::StrCat("IVF", lists, ",Flat"), {.nprobe = 16}},
          {"HNSW32", {.ef_search = 64}},
          {PqFactory(lists, dim), {.nprobe = 16}},
      };
      for (const Case& c : cases) {
        auto built = std::make_shared<BuiltCase>();
        built->n = n;
        built->dim = dim;
        built->factory = c.factory;
        built->scratch = env.scratch_dir;
        built->build_threads = env.faiss_build_threads;
        OnRelease([built] { built->index.reset(); });
        std::string knobs;
        if (c.factory.find("IVF") != std::string::npos)
          knobs = absl::StrCat("/nprobe:", c.options.nprobe);
        if (c.factory.find("HNSW") != std::string::npos)
          knobs = absl::StrCat("/ef:", c.options.ef_search);
        const std::string name = absl::StrCat("faiss/", c.factory, knobs, "/n:", n, "/dim:", dim);
        RegisterSearch(name, built, c.options, /*batched=*/false);
        // Exact search of queries that arrive together: one pass over the vectors for all.
        if (c.factory == "Flat") {
          RegisterSearch(absl::StrCat("faiss/Flat/batch:", kBatch, "/n:", n, "/dim:", dim), built,
                         c.options, /*batched=*/true);
        }
      }
    }
  }
}

}  // namespace xmodal::bench
