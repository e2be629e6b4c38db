// results_doc, targets and report (Markdown, plots, files).
#include "benchmarks/lib/results_doc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "benchmarks/lib/json_schema.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/report.h"
#include "benchmarks/lib/stats.h"
#include "benchmarks/lib/targets.h"
#include "core/base/file_util.h"
#include "testing/status_matchers.h"

#ifndef XMODAL_SOURCE_DIR
#define XMODAL_SOURCE_DIR "."
#endif

namespace xmodal::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::xmodal::testing::StatusIs;

Json Spread3(double median) { return SpreadToJson({median, median, median, 3}); }

Json LatencyMs(double p50, double p99) {
  return Json{{"p50", Spread3(p50)},
              {"p95", Spread3(p99)},
              {"p99", Spread3(p99)},
              {"max", Spread3(p99)},
              {"mean", Spread3(p50)}};
}

// A closed-loop run with one kind's statistics.
Json LoadRun(int concurrency, const std::string& mix, const std::string& kind, double qps,
             double p50, double p99) {
  const Json stats{{"ok", 100}, {"qps", Spread3(qps)}, {"latency_ms", LatencyMs(p50, p99)}};
  return Json{{"mode", "closed"},
              {"concurrency", concurrency},
              {"target_rate_qps", 0},
              {"seconds", 1},
              {"warmup_seconds", 0},
              {"repetitions", 3},
              {"max_requests", 0},
              {"k", 10},
              {"mix", mix},
              {"requests", 100},
              {"ok", 100},
              {"errors", Json::object()},
              {"error_examples", Json::object()},
              {"qps", Spread3(qps)},
              {"latency_ms", LatencyMs(p50, p99)},
              {"by_kind", {{kind, stats}}},
              {"server", nullptr}};
}

TEST(BenchResultsDocTest, ConvertsGoogleBenchmarkRepetitions) {
  const Json gbench = Json::parse(R"({
    "context": {"num_cpus": 2, "library_build_type": "release", "host_name": "ignored"},
    "benchmarks": [
      {"name": "a/rep", "run_name": "a", "run_type": "iteration", "iterations": 10,
       "real_time": 2.0, "cpu_time": 1.0, "time_unit": "us", "items_per_second": 500},
      {"name": "a/rep", "run_name": "a", "run_type": "iteration", "iterations": 12,
       "real_time": 4.0, "cpu_time": 3.0, "time_unit": "us", "items_per_second": 250},
      {"name": "a_mean", "run_name": "a", "run_type": "aggregate", "real_time": 3.0},
      {"name": "b", "run_name": "b", "run_type": "iteration", "iterations": 1,
       "real_time": 5, "cpu_time": 5, "time_unit": "ms", "error_occurred": true,
       "error_message": "fixture failed"}]})");
  ASSERT_OK_AND_ASSIGN(Json micro, MicroSectionFromGoogleBenchmark(gbench));
  ASSERT_EQ(micro["benchmarks"].size(), 2u);
  const Json& a = micro["benchmarks"][0];
  EXPECT_EQ(a["name"], "a");
  EXPECT_EQ(a["repetitions"], 2);
  EXPECT_EQ(a["real_time_ns"]["median"], 3000.0);
  EXPECT_EQ(a["real_time_ns"]["min"], 2000.0);
  EXPECT_EQ(a["items_per_second"]["max"], 500.0);
  EXPECT_TRUE(a["error"].is_null());
  EXPECT_EQ(micro["benchmarks"][1]["real_time_ns"]["median"], 5e6);
  EXPECT_EQ(micro["benchmarks"][1]["error"], "fixture failed");
  EXPECT_TRUE(micro["benchmarks"][1]["items_per_second"].is_null());
  EXPECT_EQ(micro["context"]["num_cpus"], 2);
  EXPECT_FALSE(micro["context"].contains("host_name"));
  EXPECT_THAT(MicroSectionFromGoogleBenchmark(Json::object()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"benchmarks\"")));
}

TEST(BenchResultsDocTest, MergeAppendsLoadRunsAndNotes) {
  Json doc = NewResultsDocument();
  Json part = NewResultsDocument();
  AddNote(part, "toy model");
  AddLoadRun(part, {{"server", "127.0.0.1:1"}}, LoadRun(1, "text=1", "text", 10, 1, 2));
  part["ann"] = Json{{"vectors", 5}};
  ASSERT_OK(MergeResults(doc, part, "part.json"));
  ASSERT_OK(MergeResults(doc, part, "part.json"));
  EXPECT_EQ(doc["load"]["runs"].size(), 2u);
  EXPECT_EQ(doc["load"]["server"], "127.0.0.1:1");
  EXPECT_EQ(doc["ann"]["vectors"], 5);
  EXPECT_EQ(doc["setup"]["notes"].size(), 2u);
  Json other = part;
  other["schema_version"] = 2;
  EXPECT_THAT(MergeResults(doc, other, "v2.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("v2.json")));
}

TEST(BenchTargetsTest, PrefersSingleKindRunsAndJudgesLimits) {
  Json doc = NewResultsDocument();
  AddLoadRun(doc, Json::object(), LoadRun(1, "text=8,image=1,audio=1", "text", 900, 9, 20));
  AddLoadRun(doc, Json::object(), LoadRun(1, "text=1", "text", 400, 2.5, 14));
  AddLoadRun(doc, Json::object(), LoadRun(16, "text=1", "text", 1400, 8, 30));
  AddLoadRun(doc, Json::object(), LoadRun(4, "image=1", "image", 120, 9, 30));
  AddLoadRun(doc, Json::object(), LoadRun(16, "image=1", "image", 160, 60, 90));
  doc["index"] = Json{{"per_modality", {{"image", {{"items_per_second", Spread3(150)}}}}}};
  const Json targets = EvaluateTargets(doc);
  ASSERT_EQ(targets.size(), 11u);
  EXPECT_EQ(targets[0]["value"], 2.5);  // the text-only run, not the mixed one
  EXPECT_EQ(targets[0]["met"], true);
  EXPECT_EQ(targets[0]["target"], "<= 3 ms");
  EXPECT_EQ(targets[1]["met"], true);
  EXPECT_EQ(targets[2]["value"], 1400);
  EXPECT_EQ(targets[2]["met"], false);
  EXPECT_EQ(targets[4]["met"], nullptr);  // no image run at concurrency 1
  EXPECT_EQ(targets[5]["value"], 160);    // the best concurrency
  EXPECT_EQ(targets[5]["met"], true);
  EXPECT_EQ(targets[7]["met"], true);
  EXPECT_EQ(targets[8]["met"], nullptr);
  EXPECT_EQ(targets[9]["met"], nullptr);
}

TEST(BenchTargetsTest, ARunThatLostRequestsMissesItsTarget) {
  Json doc = NewResultsDocument();
  Json run = LoadRun(16, "text=1", "text", 2000, 5, 20);
  run["requests"] = 200;  // 100 ok: half of them failed
  run["errors"] = Json{{"RESOURCE_EXHAUSTED", 100}};
  AddLoadRun(doc, Json::object(), run);
  const Json targets = EvaluateTargets(doc);
  EXPECT_EQ(targets[2]["value"], 2000);
  EXPECT_EQ(targets[2]["met"], false);
  EXPECT_THAT(targets[2]["note"].get<std::string>(), HasSubstr("50.0% of the run's requests"));
}

TEST(BenchTargetsTest, RunsOverSomeModalitiesAreShownButNotJudged) {
  Json doc = NewResultsDocument();
  Json to_image = LoadRun(16, "text=1", "text", 1700, 9, 15);
  to_image["target_modalities"] = "image";
  doc["load"] = Json{{"server", "127.0.0.1:1"},
                     {"server_pid", 0},
                     {"queries_dir", "/q"},
                     {"queries", {{"text", 1}, {"image", 0}, {"audio", 0}}},
                     {"runs", Json::array({to_image, LoadRun(16, "text=1", "text", 420, 38, 50)})}};
  doc["load"]["runs"][1]["target_modalities"] = "all";
  const Json targets = EvaluateTargets(doc);
  EXPECT_EQ(targets[2]["value"], 420);  // the query over every modality, not the faster one
  EXPECT_EQ(targets[2]["met"], false);
  EXPECT_EQ(LoadRunLabel(doc["load"]["runs"][0]), "text=1 to image");
  EXPECT_EQ(LoadRunLabel(doc["load"]["runs"][1]), "text=1");
  const std::string md = RenderMarkdown(doc);
  EXPECT_THAT(md, HasSubstr("| closed | 16 | text=1 to image | 1700 |"));
  EXPECT_THAT(md, HasSubstr("| closed | 16 | text=1 | 420 |"));
}

TEST(BenchTargetsTest, HttpRunsAreShownButNotJudged) {
  Json doc = NewResultsDocument();
  Json http = LoadRun(16, "text=1", "text", 1900, 9, 15);
  http["transport"] = "http";
  Json grpc = LoadRun(16, "text=1", "text", 1400, 9, 15);
  grpc["transport"] = "grpc";
  doc["load"] = Json{{"server", "127.0.0.1:1"},
                     {"server_pid", 0},
                     {"queries_dir", "/q"},
                     {"queries", {{"text", 1}, {"image", 0}, {"audio", 0}}},
                     {"runs", Json::array({http, grpc})}};
  const Json targets = EvaluateTargets(doc);
  EXPECT_EQ(targets[2]["value"], 1400);  // the gRPC run, not the faster HTTP one
  EXPECT_EQ(LoadRunLabel(doc["load"]["runs"][0]), "text=1 over HTTP");
  EXPECT_EQ(LoadRunLabel(doc["load"]["runs"][1]), "text=1");
  EXPECT_THAT(RenderMarkdown(doc), HasSubstr("| closed | 16 | text=1 over HTTP | 1900 |"));
}

TEST(BenchReportTest, WritesJsonMarkdownAndPlotsThatMatchTheSchema) {
  Json doc = NewResultsDocument();
  AddNote(doc, "toy model | generated corpus");
  doc["load"] = Json{{"server", "127.0.0.1:1"},
                     {"server_pid", 0},
                     {"queries_dir", "/q"},
                     {"queries", {{"text", 1}, {"image", 0}, {"audio", 0}}},
                     {"runs", Json::array({LoadRun(1, "text=1", "text", 400, 2.5, 14),
                                           LoadRun(4, "text=1", "text", 900, 4, 20)})}};
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("report_"));
  ASSERT_OK(WriteReport(doc, dir + "/r"));
  ASSERT_OK_AND_ASSIGN(Json written, ReadJsonFile(dir + "/r.json"));
  ASSERT_OK_AND_ASSIGN(Json schema, ReadJsonFile(std::string(XMODAL_SOURCE_DIR) +
                                                 "/benchmarks/results.schema.json"));
  EXPECT_OK(ValidateJson(written, schema));
  ASSERT_OK_AND_ASSIGN(std::string md, ReadFile(dir + "/r.md"));
  EXPECT_THAT(md, StartsWith("# xmodal benchmark results"));
  EXPECT_THAT(md, HasSubstr("toy model | generated corpus"));
  EXPECT_THAT(md, HasSubstr("| closed | 4 | text=1 | 900 |"));
  EXPECT_THAT(md, HasSubstr("![r-load-latency.svg](r-load-latency.svg)"));
  ASSERT_OK_AND_ASSIGN(std::string svg, ReadFile(dir + "/r-load-latency.svg"));
  EXPECT_THAT(svg, HasSubstr("text=1 p99"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/r-ann-recall-qps.svg"));

  written["load"]["runs"][0]["qps"]["median"] = "fast";
  EXPECT_THAT(ValidateJson(written, schema),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("/load/runs/0/qps/median: expected number, got string")));
}

}  // namespace
}  // namespace xmodal::bench
