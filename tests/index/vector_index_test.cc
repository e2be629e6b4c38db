#include "core/index/vector_index.h"

#include <omp.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "testing/status_matchers.h"
#include "tests/index/random_vectors.h"

namespace xmodal::index {
namespace {

using ::testing::HasSubstr;
using ::xmodal::index::testing::BruteForce;
using ::xmodal::index::testing::RandomUnitVectors;
using ::xmodal::index::testing::Rows;
using ::xmodal::index::testing::SpreadIds;
using ::xmodal::testing::StatusIs;

constexpr int kDim = 32;

// An index of `n` random vectors (ids from SpreadIds), trained on them when needed, with
// one FAISS thread: these trainings are small, and OpenMP threads spinning against each other
// on a busy machine made them take seconds.
std::unique_ptr<VectorIndex> BuildIndex(const std::string& factory, const FloatMatrix& base) {
  SetIndexThreads(1);
  auto created = VectorIndex::Create(kDim, factory);
  EXPECT_OK(created);
  if (!created.ok()) return nullptr;
  std::unique_ptr<VectorIndex> index = std::move(created).value();
  const absl::Status trained = index->Train(base);
  EXPECT_OK(trained);
  const absl::Status added = index->Add(SpreadIds(base.rows), base);
  EXPECT_OK(added);
  return index;
}

std::vector<int64_t> IdsOf(const std::vector<Neighbor>& hits) {
  std::vector<int64_t> ids;
  for (const Neighbor& n : hits) ids.push_back(n.id);
  return ids;
}

TEST(VectorIndexTest, FlatSearchEqualsBruteForceIdsAndScores) {
  const FloatMatrix base = RandomUnitVectors(500, kDim, 1);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  auto index = BuildIndex("Flat", base);
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->size(), 500);
  EXPECT_EQ(index->dim(), kDim);
  EXPECT_EQ(index->factory(), "Flat");
  EXPECT_TRUE(index->is_trained());

  const FloatMatrix queries = RandomUnitVectors(25, kDim, 2);
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(queries, 10));
  ASSERT_EQ(results.size(), 25u);
  for (int64_t q = 0; q < queries.rows; ++q) {
    const std::vector<Neighbor> expected = BruteForce(base, ids, queries.row(q), 10);
    const std::vector<Neighbor>& got = results[static_cast<size_t>(q)];
    ASSERT_EQ(IdsOf(got), IdsOf(expected)) << "query " << q;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i].score, expected[i].score, 1e-5);
  }
}

// Above 2 MB of vectors a flat index is scanned through its int8 copy (int8_flat_copy.h): the
// results stay exact, and the copy follows Add and Remove.
TEST(VectorIndexTest, LargeFlatIndexIsExactAndFollowsAddsAndRemoves) {
  const FloatMatrix all = RandomUnitVectors(17'001, kDim, 11);  // 17,000 x 32 floats: 2.2 MB
  const FloatMatrix base = Rows(all, 0, 17'000);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  auto index = BuildIndex("Flat", base);
  ASSERT_NE(index, nullptr);
  const FloatMatrix queries = RandomUnitVectors(5, kDim, 12);
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(queries, 10));
  for (int64_t q = 0; q < queries.rows; ++q) {
    const std::vector<Neighbor> expected = BruteForce(base, ids, queries.row(q), 10);
    const std::vector<Neighbor>& got = results[static_cast<size_t>(q)];
    ASSERT_EQ(IdsOf(got), IdsOf(expected)) << "query " << q;
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i].score, expected[i].score, 1e-5);
  }

  const FloatMatrix added = Rows(all, 17'000, 17'001);
  const int64_t added_id = 7;
  ASSERT_OK(index->Add(std::vector<int64_t>{added_id}, added));
  ASSERT_OK_AND_ASSIGN(results, index->Search(added, 1));
  ASSERT_EQ(IdsOf(results[0]), std::vector<int64_t>{added_id});
  EXPECT_NEAR(results[0][0].score, 1.0f, 1e-5);

  ASSERT_OK_AND_ASSIGN(int64_t removed, index->Remove(std::vector<int64_t>{added_id}));
  EXPECT_EQ(removed, 1);
  ASSERT_OK_AND_ASSIGN(results, index->Search(added, 3));
  EXPECT_EQ(IdsOf(results[0]), IdsOf(BruteForce(base, ids, added.row(0), 3)));
}

TEST(VectorIndexTest, KLargerThanIndexReturnsEverythingWithoutMinusOne) {
  const FloatMatrix base = RandomUnitVectors(5, kDim, 3);
  auto index = BuildIndex("Flat", base);
  ASSERT_NE(index, nullptr);
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(Rows(base, 0, 2), 50));
  ASSERT_EQ(results.size(), 2u);
  for (const auto& hits : results) {
    ASSERT_EQ(hits.size(), 5u);
    const std::vector<int64_t> hit_ids = IdsOf(hits);
    EXPECT_EQ(std::set<int64_t>(hit_ids.begin(), hit_ids.end()).size(), 5u);
    for (size_t i = 0; i + 1 < hits.size(); ++i) EXPECT_GE(hits[i].score, hits[i + 1].score);
    for (const Neighbor& n : hits) EXPECT_GE(n.id, 1'000'000);
  }
  EXPECT_EQ(results[0][0].id, SpreadIds(1)[0]);
  EXPECT_NEAR(results[0][0].score, 1.0f, 1e-5);
}

TEST(VectorIndexTest, EmptyIndexReturnsEmptyRows) {
  ASSERT_OK_AND_ASSIGN(auto index, VectorIndex::Create(kDim, "Flat"));
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(RandomUnitVectors(3, kDim, 4), 5));
  ASSERT_EQ(results.size(), 3u);
  for (const auto& hits : results) EXPECT_TRUE(hits.empty());
}

class FilterTest : public ::testing::TestWithParam<const char*> {};

TEST_P(FilterTest, AllowedIdsOnlyAndStillKOfThem) {
  const FloatMatrix base = RandomUnitVectors(2000, kDim, 5);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  auto index = BuildIndex(GetParam(), base);
  ASSERT_NE(index, nullptr);
  std::vector<int64_t> allowed;
  for (size_t i = 0; i < ids.size(); i += 50) allowed.push_back(ids[i]);  // 40 ids
  allowed.push_back(42);                                                  // not indexed
  allowed.push_back(allowed.front());                                     // repeated
  const std::set<int64_t> allowed_set(allowed.begin(), allowed.end());

  SearchOptions options;
  options.nprobe = 1;  // narrow on purpose: the filter must widen the search itself
  options.ef_search = 1;
  options.allowed_ids = &allowed;
  const FloatMatrix queries = RandomUnitVectors(8, kDim, 6);
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(queries, 20, options));
  for (int64_t q = 0; q < queries.rows; ++q) {
    const auto& hits = results[static_cast<size_t>(q)];
    ASSERT_EQ(hits.size(), 20u) << GetParam() << " query " << q;
    for (const Neighbor& n : hits) EXPECT_TRUE(allowed_set.count(n.id)) << n.id;
    if (std::string(GetParam()) == "Flat") {
      EXPECT_EQ(IdsOf(hits), IdsOf(BruteForce(base, ids, queries.row(q), 20, &allowed)));
    }
  }

  // Fewer allowed ids than k: all of them, best first.
  const std::vector<int64_t> few = {ids[3], ids[1500], 99};
  options.allowed_ids = &few;
  ASSERT_OK_AND_ASSIGN(results, index->Search(queries, 10, options));
  for (const auto& hits : results) {
    const std::vector<int64_t> hit_ids = IdsOf(hits);
    EXPECT_EQ(std::set<int64_t>(hit_ids.begin(), hit_ids.end()),
              (std::set<int64_t>{ids[3], ids[1500]}));
  }

  const std::vector<int64_t> none;
  options.allowed_ids = &none;
  ASSERT_OK_AND_ASSIGN(results, index->Search(queries, 10, options));
  for (const auto& hits : results) EXPECT_TRUE(hits.empty());
}

INSTANTIATE_TEST_SUITE_P(Factories, FilterTest,
                         ::testing::Values("Flat", "IVF32,Flat", "HNSW16", "PQ8", "SQ8"));

TEST(VectorIndexTest, IvfTrainsAndFindsExactNeighboursWithEnoughProbes) {
  const FloatMatrix base = RandomUnitVectors(4000, kDim, 7);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  ASSERT_OK_AND_ASSIGN(auto index, VectorIndex::Create(kDim, "IVF64,Flat"));
  EXPECT_FALSE(index->is_trained());
  EXPECT_THAT(index->Add(ids, base),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("must be trained")));
  EXPECT_THAT(index->Train(Rows(base, 0, 10)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("10 vectors")));
  ASSERT_OK(index->Train(base));
  EXPECT_TRUE(index->is_trained());
  ASSERT_OK(index->Add(ids, base));

  SearchOptions options;
  options.nprobe = 64;  // every list: exact
  const FloatMatrix queries = Rows(base, 0, 50);
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(queries, 5, options));
  for (int64_t q = 0; q < queries.rows; ++q) {
    const auto& hits = results[static_cast<size_t>(q)];
    EXPECT_EQ(hits.front().id, ids[static_cast<size_t>(q)]);
    EXPECT_EQ(IdsOf(hits), IdsOf(BruteForce(base, ids, queries.row(q), 5)));
  }
}

TEST(VectorIndexTest, HnswFindsIndexedVectorsAndCannotRemove) {
  const FloatMatrix base = RandomUnitVectors(2000, kDim, 8);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  auto index = BuildIndex("HNSW32", base);
  ASSERT_NE(index, nullptr);
  SearchOptions options;
  options.ef_search = 128;
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(Rows(base, 0, 200), 3, options));
  int found = 0;
  for (size_t q = 0; q < results.size(); ++q) {
    ASSERT_EQ(results[q].size(), 3u);
    found += results[q][0].id == ids[q] ? 1 : 0;
  }
  EXPECT_GE(found, 196);
  const std::vector<int64_t> remove = {ids[0]};
  EXPECT_THAT(index->Remove(remove),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot remove")));
  EXPECT_EQ(index->size(), 2000);
}

// Removing must keep every other id attached to its own vector.
class RemoveTest : public ::testing::TestWithParam<const char*> {};

TEST_P(RemoveTest, RemovesIdsAndKeepsTheOthersRight) {
  const FloatMatrix base = RandomUnitVectors(1000, kDim, 9);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  auto index = BuildIndex(GetParam(), base);
  ASSERT_NE(index, nullptr);
  const std::vector<int64_t> remove = {ids[0], ids[10], ids[500], 12345, ids[10]};
  ASSERT_OK_AND_ASSIGN(int64_t removed, index->Remove(remove));
  EXPECT_EQ(removed, 3);
  EXPECT_EQ(index->size(), 997);

  SearchOptions options;
  options.nprobe = 1024;
  ASSERT_OK_AND_ASSIGN(auto results, index->Search(base, 1, options));
  for (int64_t r = 0; r < base.rows; ++r) {
    const int64_t id = ids[static_cast<size_t>(r)];
    const Neighbor& top = results[static_cast<size_t>(r)].front();
    if (r == 0 || r == 10 || r == 500) {
      EXPECT_NE(top.id, id);
    } else {
      EXPECT_EQ(top.id, id) << "row " << r;
    }
  }
  // Ids can be reused after removal, and new vectors land on the right id.
  const std::vector<int64_t> again = {ids[10]};
  ASSERT_OK(index->Add(again, Rows(base, 10, 11)));
  ASSERT_OK_AND_ASSIGN(results, index->Search(Rows(base, 10, 12), 1, options));
  EXPECT_EQ(results[0][0].id, ids[10]);
  EXPECT_EQ(results[1][0].id, ids[11]);
}

INSTANTIATE_TEST_SUITE_P(Factories, RemoveTest,
                         ::testing::Values("Flat", "IVF16,Flat", "IVF16,SQ8", "SQ8"));

// Recall@k of `index` at efSearch `ef` against brute force over `base`.
double HnswRecall(const VectorIndex& index, const FloatMatrix& base, const FloatMatrix& queries,
                  int ef, int k) {
  SearchOptions options;
  options.ef_search = ef;
  absl::StatusOr<std::vector<std::vector<Neighbor>>> results = index.Search(queries, k, options);
  EXPECT_OK(results);
  if (!results.ok()) return 0;
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  int hits = 0;
  for (int64_t q = 0; q < queries.rows; ++q) {
    const std::vector<int64_t> want = IdsOf(BruteForce(base, ids, queries.row(q), k));
    for (const Neighbor& n : (*results)[static_cast<size_t>(q)]) {
      hits += std::find(want.begin(), want.end(), n.id) != want.end() ? 1 : 0;
    }
  }
  return static_cast<double>(hits) / static_cast<double>(queries.rows * k);
}

// FAISS 1.7.3 ignores a per-call efSearch; the index must apply it (compat/hnsw_ef_gate.h).
TEST(VectorIndexTest, HnswEfSearchChangesRecall) {
  const FloatMatrix base = RandomUnitVectors(4000, kDim, 15);  // unclustered: hard for HNSW
  const FloatMatrix queries = RandomUnitVectors(100, kDim, 16);
  auto index = BuildIndex("HNSW4", base);
  ASSERT_NE(index, nullptr);
  const double narrow = HnswRecall(*index, base, queries, 10, 10);
  const double wide = HnswRecall(*index, base, queries, 400, 10);
  EXPECT_GE(wide, 0.95);
  EXPECT_GT(wide, narrow + 0.1) << "efSearch 10: " << narrow << ", 400: " << wide;
  // Back to the narrow setting: the wide one did not stick.
  EXPECT_DOUBLE_EQ(HnswRecall(*index, base, queries, 10, 10), narrow);
}

TEST(VectorIndexTest, ConcurrentHnswSearchesWithDifferentEfSearchKeepTheirOwn) {
  const FloatMatrix base = RandomUnitVectors(3000, kDim, 17);
  const FloatMatrix queries = RandomUnitVectors(20, kDim, 18);
  auto index = BuildIndex("HNSW4", base);
  ASSERT_NE(index, nullptr);
  const std::vector<int> efs = {10, 40, 160};
  std::vector<std::vector<std::vector<Neighbor>>> expected;
  for (const int ef : efs) {
    SearchOptions options;
    options.ef_search = ef;
    ASSERT_OK_AND_ASSIGN(expected.emplace_back(), index->Search(queries, 10, options));
  }
  ASSERT_NE(IdsOf(expected[0][0]), IdsOf(expected[2][0]));  // the setting matters here
  std::vector<int> mismatches(6, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const size_t which = static_cast<size_t>((t + i) % 3);
        SearchOptions options;
        options.ef_search = efs[which];
        auto got = index->Search(queries, 10, options);
        if (!got.ok() || got->size() != expected[which].size()) {
          ++mismatches[static_cast<size_t>(t)];
          continue;
        }
        for (size_t q = 0; q < got->size(); ++q) {
          if (IdsOf((*got)[q]) != IdsOf(expected[which][q])) ++mismatches[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(6, 0));
}

TEST(VectorIndexTest, RejectsBadFactoriesAndDimensions) {
  EXPECT_THAT(VectorIndex::Create(kDim, "NoSuchIndex42"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NoSuchIndex42")));
  EXPECT_THAT(VectorIndex::Create(0, "Flat"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("dimension is 0")));
  EXPECT_THAT(VectorIndex::Create(kDim, "IDMap,Flat"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("IDMap")));
  EXPECT_THAT(VectorIndex::Create(kDim, "PQ5"),  // 32 is not a multiple of 5
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("PQ5")));
}

TEST(VectorIndexTest, RejectsBadArguments) {
  const FloatMatrix base = RandomUnitVectors(10, kDim, 10);
  auto index = BuildIndex("Flat", base);
  ASSERT_NE(index, nullptr);
  EXPECT_THAT(index->Search(base, 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("k is 0")));
  EXPECT_THAT(index->Search(RandomUnitVectors(1, kDim + 1, 11), 1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("33 wide")));
  SearchOptions bad;
  bad.nprobe = 0;
  EXPECT_THAT(index->Search(base, 1, bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nprobe")));
  const std::vector<int64_t> one = {1};
  EXPECT_THAT(index->Add(one, base),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1 ids for 10 vectors")));
  EXPECT_THAT(index->Add(std::vector<int64_t>{SpreadIds(1)[0]}, Rows(base, 0, 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("already in the index")));
  EXPECT_THAT(index->Add(std::vector<int64_t>{5, 5}, Rows(base, 0, 2)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("already in the index")));
  EXPECT_THAT(index->Add(std::vector<int64_t>{-1}, Rows(base, 0, 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("negative")));
  FloatMatrix nan = Rows(base, 0, 1);
  nan.data[3] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THAT(index->Add(std::vector<int64_t>{77}, nan),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NaN")));
  EXPECT_THAT(index->Search(nan, 1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NaN")));
  EXPECT_EQ(index->size(), 10);
}

TEST(VectorIndexTest, ConcurrentSearchesAgree) {
  const FloatMatrix base = RandomUnitVectors(3000, kDim, 12);
  // 40 queries: flat search goes through BLAS from 20 queries on, so that path runs too.
  const FloatMatrix queries = RandomUnitVectors(40, kDim, 13);
  for (const char* factory : {"Flat", "IVF32,Flat", "HNSW16"}) {
    auto index = BuildIndex(factory, base);
    ASSERT_NE(index, nullptr);
    std::vector<int64_t> allowed = SpreadIds(1500);
    SearchOptions options;
    options.nprobe = 4;
    options.allowed_ids = &allowed;
    ASSERT_OK_AND_ASSIGN(const auto expected, index->Search(queries, 10, options));
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 10; ++i) {
          auto got = index->Search(queries, 10, options);
          if (!got.ok() || got->size() != expected.size()) {
            ++mismatches[t];
            continue;
          }
          for (size_t q = 0; q < expected.size(); ++q) {
            if (IdsOf((*got)[q]) != IdsOf(expected[q])) ++mismatches[t];
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(mismatches, std::vector<int>(4, 0)) << factory;
  }
}

TEST(VectorIndexTest, ThreadBudgetReachesOtherThreads) {
  SetIndexThreads(1);
  const FloatMatrix base = RandomUnitVectors(50, kDim, 14);
  auto index = BuildIndex("Flat", base);
  ASSERT_NE(index, nullptr);
  int seen = -1;
  std::thread worker([&] {
    ASSERT_OK(index->Search(base, 3));
    seen = omp_get_max_threads();
  });
  worker.join();
  EXPECT_EQ(seen, 1);
  SetIndexThreads(0);  // clamped to 1
  std::thread worker2([&] {
    ASSERT_OK(index->Search(base, 3));
    seen = omp_get_max_threads();
  });
  worker2.join();
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace xmodal::index
