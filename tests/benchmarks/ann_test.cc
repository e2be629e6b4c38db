// ann_configs, ann_data, ann_measure and ann_bench at small sizes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "benchmarks/lib/ann_bench.h"
#include "benchmarks/lib/ann_configs.h"
#include "benchmarks/lib/ann_data.h"
#include "benchmarks/lib/ann_measure.h"
#include "core/base/file_util.h"
#include "testing/status_matchers.h"

namespace xmodal::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(BenchAnnConfigsTest, ListCountFollowsSizeAndTrainingMinimum) {
  EXPECT_EQ(IvfListsFor(1'000'000), 4096);  // 4 * sqrt(1e6) = 4000
  EXPECT_EQ(IvfListsFor(100'000), 1024);    // 4 * 316 = 1265
  EXPECT_EQ(IvfListsFor(2'000), 32);        // 179 ideal, at most 2000 / 39 = 51
  EXPECT_EQ(IvfListsFor(10), 1);
}

TEST(BenchAnnConfigsTest, KnobsFollowTheFactory) {
  const AnnConfig hnsw = ConfigFor("HNSW32");
  EXPECT_EQ(hnsw.knob, AnnKnob::kEfSearch);
  EXPECT_THAT(hnsw.values, ElementsAre(16, 32, 64, 128));
  const AnnConfig ivf = ConfigFor("IVF8,PQ4");
  EXPECT_EQ(ivf.knob, AnnKnob::kNprobe);
  EXPECT_THAT(ivf.values, ElementsAre(1, 2, 4, 8));
  EXPECT_EQ(ConfigFor("Flat").knob, AnnKnob::kNone);
  EXPECT_EQ(KnobName(AnnKnob::kNprobe), "nprobe");
}

TEST(BenchAnnConfigsTest, DefaultsAndParsing) {
  std::vector<std::string> factories;
  for (const AnnConfig& c : DefaultAnnConfigs(100'000, 256)) factories.push_back(c.factory);
  EXPECT_THAT(factories,
              ElementsAre("Flat", "IVF1024,Flat", "HNSW32", "IVF1024,SQ8", "IVF1024,PQ32"));
  EXPECT_THAT(ConfigFor("IVF4096,Flat").values, ElementsAre(1, 2, 4, 8, 16, 32, 64, 128));
  ASSERT_OK_AND_ASSIGN(auto parsed, ParseAnnConfigs("Flat; IVF64,PQ8+refine5"));
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[1].factory, "IVF64,PQ8");
  EXPECT_THAT(parsed[1].refines, ElementsAre(5));
  EXPECT_THAT(ParseAnnConfigs("Flat;;HNSW32"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty entry")));
  EXPECT_THAT(ParseAnnConfigs("IVF64,PQ8+refine0"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1..100")));
}

TEST(BenchAnnDataTest, SyntheticDataIsDeterministicUnitAndValidated) {
  ASSERT_OK_AND_ASSIGN(AnnData a, MakeSyntheticData({.vectors = 300, .dim = 8, .queries = 5}));
  ASSERT_OK_AND_ASSIGN(AnnData b, MakeSyntheticData({.vectors = 300, .dim = 8, .queries = 5}));
  EXPECT_EQ(a.base.data, b.base.data);
  EXPECT_EQ(a.queries.rows, 5);
  EXPECT_NEAR(Dot(a.base.row(7), a.base.row(7)), 1.0, 1e-5);
  EXPECT_EQ(ResolvedClusters({.vectors = 300}), 6);
  EXPECT_THAT(MakeSyntheticData({.vectors = 0}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("0 vectors")));
}

TEST(BenchAnnDataTest, RecallCountsTheOverlap) {
  const std::vector<std::vector<int64_t>> truth = {{1, 2, 3}, {4, 5, 6}};
  EXPECT_DOUBLE_EQ(RecallAtK({{1, 9, 3}, {6, 5, 4}}, truth, 3), (2.0 / 3 + 1.0) / 2);
  EXPECT_DOUBLE_EQ(RecallAtK({{1, 9, 3}, {6, 5, 4}}, truth, 1), 0.5);
  EXPECT_DOUBLE_EQ(RecallAtK({}, truth, 1), 0.0);
  ASSERT_OK_AND_ASSIGN(AnnData d, MakeSyntheticData({.vectors = 200, .dim = 4, .queries = 3}));
  ASSERT_OK_AND_ASSIGN(auto exact, ExactNeighbors(d.base, d.queries, 10));
  EXPECT_DOUBLE_EQ(RecallAtK(exact, exact, 10), 1.0);
}

// Heap bytes per vector count everything the built index holds. An IVF keeps ids in its lists
// (8 bytes) plus core/index's sorted id array (8 bytes); a PQ index without lists needs an id
// map (an id array and a hash map: ~48 bytes and more).
TEST(BenchAnnMeasureTest, HeapBytesPerVectorCountTheIds) {
  ASSERT_OK_AND_ASSIGN(AnnData data,
                       MakeSyntheticData({.vectors = 20000, .dim = 16, .queries = 1}));
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("bench_ann_heap"));
  ASSERT_OK_AND_ASSIGN(BuiltIndex ivf, BuildIndex("IVF16,PQ4", data.base, 1, dir));
  ASSERT_OK_AND_ASSIGN(BuiltIndex id_mapped, BuildIndex("PQ4", data.base, 1, dir));
  // 4 bytes of code + 16 of ids, plus centroids (~1 byte per vector here) and malloc overhead.
  EXPECT_GE(ivf.memory_bytes_per_vector, 4 + 16);
  EXPECT_LE(ivf.memory_bytes_per_vector, 4 + 16 + 6);
  EXPECT_GT(ivf.file_bytes_per_vector, 4 + 8);
  EXPECT_GE(id_mapped.memory_bytes_per_vector, 4 + 40);
}

TEST(BenchAnnBenchTest, ComparesConfigurationsAndChooses) {
  ASSERT_OK_AND_ASSIGN(AnnData data,
                       MakeSyntheticData({.vectors = 2000, .dim = 16, .queries = 20}));
  AnnOptions options{
      .recall_target = 0.9, .build_threads = 1, .repetitions = 2, .seconds_per_point = 0.005};
  ASSERT_OK_AND_ASSIGN(options.configs, ParseAnnConfigs("Flat;IVF16,Flat;IVF16,PQ4+refine10"));
  options.configs.push_back(ConfigFor("NotAFactory"));
  ASSERT_OK_AND_ASSIGN(Json ann, RunAnnBench(data, options));
  ASSERT_EQ(ann["points"].size(), 1u + 5u + 5u);  // Flat; nprobe 1..16 twice
  const Json& flat = ann["points"][0];
  EXPECT_EQ(flat["recall_at_10"], 1.0);
  EXPECT_EQ(flat["meets_recall_target"], true);
  EXPECT_GT(flat["file_bytes_per_vector"].get<double>(), 16 * 4);
  EXPECT_EQ(ann["points"][10]["label"], "IVF16,PQ4 nprobe=16 refine=10");
  ASSERT_EQ(ann["skipped"].size(), 1u);
  EXPECT_EQ(ann["skipped"][0]["factory"], "NotAFactory");
  EXPECT_FALSE(ann["choice"].is_null());
  EXPECT_THAT(ann["verdict"].get<std::string>(), HasSubstr("meets recall@10 >= 0.9"));
  EXPECT_EQ(ann["speedup_basis"], "cpu_qps");
}

TEST(BenchAnnBenchTest, SaysSoWhenNothingFitsTheBudget) {
  ASSERT_OK_AND_ASSIGN(AnnData data, MakeSyntheticData({.vectors = 500, .dim = 8, .queries = 5}));
  AnnOptions options{.memory_budget_bytes = 100, .repetitions = 1, .seconds_per_point = 0.001};
  ASSERT_OK_AND_ASSIGN(options.configs, ParseAnnConfigs("Flat"));
  ASSERT_OK_AND_ASSIGN(Json ann, RunAnnBench(data, options));
  EXPECT_TRUE(ann["choice"].is_null());
  EXPECT_THAT(ann["verdict"].get<std::string>(), HasSubstr("no configuration fits"));
  EXPECT_THAT(RunAnnBench(data, {.recall_target = 1.5}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("recall target")));
}

}  // namespace
}  // namespace xmodal::bench
