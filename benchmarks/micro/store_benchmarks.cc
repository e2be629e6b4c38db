// store/* micro-benchmarks (register.h): RocksDB through core/store's Store API. Commits are
// synced (fsync) as in production, so store/commit measures the disk as much as RocksDB.
#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmarks/micro/register.h"
#include "core/store/store.h"

namespace xmodal::bench {
namespace {

constexpr int kDim = 256;
constexpr int kPreloaded = 10'000;
constexpr int kPreloadBatch = 500;

std::string ItemId(int64_t i) { return absl::StrFormat("%032x", i); }

store::ItemRecord Item(int64_t i) {
  store::ItemRecord item;
  item.id = ItemId(i);
  item.modality = Modality::kImage;
  item.source_uri = absl::StrCat("/corpus/images/img-", i, ".jpg");
  item.metadata = {{"author", "bench"}, {"licence", "CC0"}};
  item.size_bytes = 40000 + i;
  item.content_sha256 = std::string(64, 'a');
  return item;
}

store::VectorRecord Vector(const store::ItemRecord& item, std::mt19937& rng) {
  store::VectorRecord v{.item_id = item.id, .modality = item.modality};
  std::normal_distribution<float> normal;
  v.values.resize(kDim);
  for (float& x : v.values) x = normal(rng);
  return v;
}

struct StoreFixture {
  std::string dir;
  std::once_flag once;
  std::unique_ptr<store::Store> store;
  std::vector<int64_t> vector_ids;
  std::atomic<int64_t> next_item{kPreloaded};
  std::string error;

  absl::Status Commit(int64_t first, int count, std::mt19937& rng, std::vector<int64_t>* ids) {
    std::vector<store::ItemRecord> items;
    std::vector<store::VectorRecord> vectors;
    for (int64_t i = first; i < first + count; ++i) {
      items.push_back(Item(i));
      vectors.push_back(Vector(items.back(), rng));
    }
    absl::StatusOr<std::vector<int64_t>> assigned =
        store->Commit(std::move(items), std::move(vectors));
    if (!assigned.ok()) return assigned.status();
    if (ids != nullptr) ids->insert(ids->end(), assigned->begin(), assigned->end());
    return absl::OkStatus();
  }

  void Open() {
    std::call_once(once, [this] {
      absl::StatusOr<std::unique_ptr<store::Store>> opened = store::Store::Open(dir, {});
      if (!opened.ok()) {
        error = opened.status().ToString();
        return;
      }
      store = *std::move(opened);
      std::mt19937 rng(1);
      for (int64_t i = 0; i < kPreloaded; i += kPreloadBatch) {
        if (absl::Status s = Commit(i, kPreloadBatch, rng, &vector_ids); !s.ok()) {
          error = s.ToString();
          store.reset();
          return;
        }
      }
    });
  }
};

// `body(fixture, rng)` is one iteration handling `items` items.
template <typename Body>
void Register(const std::string& name, std::shared_ptr<StoreFixture> f, int items, Body body) {
  benchmark::RegisterBenchmark(name.c_str(),
                               [f, items, body](benchmark::State& state) {
                                 f->Open();
                                 if (f->store == nullptr) {
                                   state.SkipWithError(f->error.c_str());
                                   return;
                                 }
                                 std::mt19937 rng(2);
                                 for (auto _ : state) {
                                   if (absl::Status s = body(*f, rng); !s.ok()) {
                                     state.SkipWithError(s.ToString().c_str());
                                     return;
                                   }
                                 }
                                 state.SetItemsProcessed(state.iterations() * items);
                               })
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();  // commits wait for fsync, not for the CPU
}

}  // namespace

void RegisterStoreBenchmarks(const MicroEnv& env) {
  auto f = std::make_shared<StoreFixture>();
  f->dir = env.scratch_dir + "/store-db";
  OnRelease([f] { f->store.reset(); });
  for (const int batch : {1, 100}) {
    Register(absl::StrCat("store/commit/batch:", batch, "/dim:", kDim), f, batch,
             [batch](StoreFixture& fx, std::mt19937& rng) {
               return fx.Commit(fx.next_item.fetch_add(batch), batch, rng, nullptr);
             });
  }
  Register("store/get_item", f, 1, [](StoreFixture& fx, std::mt19937& rng) {
    const int64_t i = std::uniform_int_distribution<int64_t>(0, kPreloaded - 1)(rng);
    absl::StatusOr<std::optional<store::ItemRecord>> item = fx.store->GetItem(ItemId(i));
    if (!item.ok()) return item.status();
    return item->has_value() ? absl::OkStatus() : absl::NotFoundError("preloaded item missing");
  });
  Register("store/get_vector/dim:256", f, 1, [](StoreFixture& fx, std::mt19937& rng) {
    const int64_t id =
        fx.vector_ids[std::uniform_int_distribution<size_t>(0, fx.vector_ids.size() - 1)(rng)];
    absl::StatusOr<std::optional<store::VectorRecord>> v = fx.store->GetVector(id);
    if (!v.ok()) return v.status();
    return v->has_value() ? absl::OkStatus() : absl::NotFoundError("preloaded vector missing");
  });
}

}  // namespace xmodal::bench
