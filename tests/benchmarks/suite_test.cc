// Runs every benchmark at a tiny size so that none of them rots: the micro-benchmark binary
// (all benchmarks, --tiny, minimal time), then index, load (closed and open loop, against a
// real in-process server over loopback gRPC) and ann on a generated corpus with the toy
// model, then report and `xmodal-bench validate`; the merged results must match
// benchmarks/results.schema.json.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "benchmarks/lib/commands.h"
#include "benchmarks/lib/json_schema.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/load_interval.h"
#include "benchmarks/lib/synthetic_corpus.h"
#include "core/base/file_util.h"
#include "server/server.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"

namespace xmodal::bench {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kSchema = std::string(XMODAL_SOURCE_DIR) + "/benchmarks/results.schema.json";

// Runs a shell command; returns its exit status (-1 when it did not exit normally).
int Shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class BenchSuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(root_, MakeTempDirectory("bench_suite_"));
    ASSERT_OK(xmodal::testing::WriteToyModelPackage(root_ + "/model"));
    ASSERT_OK(WriteSyntheticCorpus(root_ + "/corpus", root_ + "/queries",
                                   {.images = 6,
                                    .image_side = 64,
                                    .audio_clips = 2,
                                    .audio_seconds = 1.5,
                                    .texts = 6,
                                    .query_texts = 4,
                                    .query_images = 2,
                                    .query_audio = 1}));
    ASSERT_OK_AND_ASSIGN(schema_, ReadJsonFile(kSchema));
  }

  void ExpectValid(const Json& doc) {
    EXPECT_THAT(JsonSchemaViolations(doc, schema_), ::testing::IsEmpty());
  }

  std::string root_;
  Json schema_;
};

TEST_F(BenchSuiteTest, EveryBenchmarkRunsAtATinySizeAndTheResultsMatchTheSchema) {
  // Micro-benchmarks: the real binary, every benchmark, a sliver of time each.
  const std::string micro = root_ + "/micro.json";
  ASSERT_EQ(Shell(absl::StrCat(XMODAL_MICROBENCH, " --tiny --model ", root_, "/model",
                               " --benchmark_filter=. --benchmark_min_time=0.001",
                               " --benchmark_min_warmup_time=0 --benchmark_repetitions=2",
                               " --benchmark_out_format=json --benchmark_out=", micro,
                               " > /dev/null 2>&1")),
            0);

  // Index: per-modality runs, then the whole corpus into the collection the server will use.
  const std::string collection = root_ + "/collection";
  ASSERT_OK_AND_ASSIGN(Json index, IndexCommand({.corpus = {root_ + "/corpus"},
                                                 .model_dir = root_ + "/model",
                                                 .repetitions = 2,
                                                 .warmup_runs = 1,
                                                 .max_per_modality = 4,
                                                 .threads = 2,
                                                 .keep_collection = collection},
                                                root_ + "/index"));
  ExpectValid(index);
  EXPECT_EQ(index["index"]["per_modality"]["image"]["indexed"], 4);
  EXPECT_EQ(index["index"]["per_modality"]["audio"]["items"], 2);
  EXPECT_GT(index["index"]["per_modality"]["text"]["items_per_second"]["median"].get<double>(), 0);
  EXPECT_EQ(index["index"]["full_run"]["indexed"]["image"], 6);

  // Load: closed loop at two concurrencies, then open loop, over loopback gRPC.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<server::Server> server,
                       server::Server::Start({.collection_dir = collection,
                                              .listen = "127.0.0.1:0",
                                              .threads = 2,
                                              .reload_interval_seconds = 0}));
  LoadCommandOptions load{.run = {.server = server->address(),
                                  .seconds = 0.3,
                                  .warmup_seconds = 0.1,
                                  .repetitions = 2,
                                  .server_pid = getpid()},
                          .concurrency = {1, 2},
                          .queries_dir = root_ + "/queries"};
  ASSERT_OK_AND_ASSIGN(Json closed, LoadCommand(load, root_ + "/load-closed"));
  ExpectValid(closed);
  ASSERT_EQ(closed["load"]["runs"].size(), 2u);
  for (const Json& run : closed["load"]["runs"]) {
    EXPECT_GT(run["ok"].get<int64_t>(), 0);
    EXPECT_EQ(run["errors"], Json::object()) << DumpJson(run["error_examples"]);
    EXPECT_GT(run["latency_ms"]["p50"]["median"].get<double>(), 0);
    EXPECT_TRUE(run["by_kind"].contains("text"));
    EXPECT_GT(run["server"]["rss_bytes"]["median"].get<double>(), 0);
  }
  load.run.rate_qps = 40;
  load.run.mix.weights = {1, 1, 0};
  load.concurrency = {2};
  ASSERT_OK_AND_ASSIGN(Json open, LoadCommand(load, root_ + "/load-open"));
  ExpectValid(open);
  EXPECT_EQ(open["load"]["runs"][0]["mode"], "open");
  EXPECT_EQ(open["load"]["runs"][0]["mix"], "text=1,image=1");
  EXPECT_LE(open["load"]["runs"][0]["requests"].get<int64_t>(), 2 * 13);  // 40/s for 0.3 s

  // The interval runner itself: max_requests bounds the requests sent, and a failed request is
  // counted by its code, not timed.
  std::array<std::vector<LoadRequest>, 3> requests;
  requests[0].resize(2);
  requests[0][0].request.mutable_query()->set_text("a red square");
  requests[0][0].request.set_k(3);
  requests[0][1].request.set_k(3);  // no query: INVALID_ARGUMENT
  std::vector<std::unique_ptr<client::XmodalClient>> clients;
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(clients.emplace_back(), client::XmodalClient::Connect(server->address()));
  }
  const IntervalSamples samples =
      RunInterval({.concurrency = 3, .seconds = 60, .max_requests = 40, .seed = 7}, QueryMix{},
                  requests, clients);
  EXPECT_EQ(samples.requests, 40);
  EXPECT_GT(samples.latency_ms[0].size(), 0u);
  EXPECT_EQ(samples.errors.size(), 1u);
  EXPECT_EQ(
      static_cast<int64_t>(samples.latency_ms[0].size()) + samples.errors.at("INVALID_ARGUMENT"),
      40);
  EXPECT_THAT(samples.error_examples.at("INVALID_ARGUMENT"), HasSubstr("query"));
  EXPECT_LT(samples.wall_seconds, 60);
  server->Shutdown(1);

  // ANN: synthetic vectors, and the collection's own (held-out) vectors.
  ASSERT_OK_AND_ASSIGN(
      Json ann,
      AnnCommand({.queries = 20,
                  .synthetic = {.vectors = 1500, .dim = 16},
                  .ann = {.build_threads = 1, .repetitions = 2, .seconds_per_point = 0.002}},
                 root_ + "/ann"));
  ExpectValid(ann);
  EXPECT_GT(ann["ann"]["points"].size(), 10u);
  EXPECT_TRUE(ann["ann"]["skipped"].empty()) << DumpJson(ann["ann"]["skipped"]);
  ASSERT_OK_AND_ASSIGN(Json from_collection,
                       AnnCommand({.collection = collection,
                                   .modality = Modality::kText,
                                   .queries = 2,
                                   .ann = {.configs = {ConfigFor("Flat"), ConfigFor("HNSW32")},
                                           .repetitions = 1,
                                           .seconds_per_point = 0.001}},
                                  ""));
  ExpectValid(from_collection);
  EXPECT_EQ(from_collection["ann"]["modality"], "text");

  // Report: everything merged, targets evaluated, validated, and checked again by the binary.
  ASSERT_OK(WriteFileAtomically(root_ + "/notes.txt", "toy model\n\ngenerated corpus\n"));
  ASSERT_OK_AND_ASSIGN(Json report,
                       ReportCommand({.inputs = {root_ + "/index.json", root_ + "/load-closed.json",
                                                 root_ + "/load-open.json", root_ + "/ann.json"},
                                      .micro = micro,
                                      .notes_file = root_ + "/notes.txt",
                                      .schema = kSchema},
                                     root_ + "/report"));
  ExpectValid(report);
  EXPECT_EQ(report["load"]["runs"].size(), 3u);
  EXPECT_EQ(report["setup"]["notes"].size(), 2u);
  EXPECT_EQ(report["targets"].size(), 11u);
  std::vector<std::string> groups;
  for (const Json& b : report["micro"]["benchmarks"]) {
    EXPECT_TRUE(b["error"].is_null()) << b["name"] << ": " << b["error"];
    EXPECT_EQ(b["repetitions"], 2) << b["name"];
    const std::string name = b["name"];
    groups.push_back(name.substr(0, name.find('/')));
  }
  for (const char* group : {"image", "audio", "text", "encode", "faiss", "store"}) {
    EXPECT_THAT(groups, Contains(group));
  }
  EXPECT_EQ(Shell(absl::StrCat(XMODAL_BENCH_BINARY, " validate --schema ", kSchema, " ", root_,
                               "/report.json > /dev/null 2>&1")),
            0);
  ASSERT_OK_AND_ASSIGN(std::string md, ReadFile(root_ + "/report.md"));
  EXPECT_THAT(md, HasSubstr("## Micro-benchmarks"));
  EXPECT_THAT(md, HasSubstr("## ANN configurations"));
  for (const char* plot : {"/report-ann-recall-qps.svg", "/report-load-latency.svg"}) {
    ASSERT_OK_AND_ASSIGN(std::string svg, ReadFile(root_ + plot));
    EXPECT_THAT(svg, StartsWith("<svg")) << plot;
  }
  EXPECT_NE(Shell(absl::StrCat(XMODAL_BENCH_BINARY, " validate --schema ", kSchema, " ", root_,
                               "/micro.json > /dev/null 2>&1")),
            0);  // Google Benchmark's own output is not a results document

  // The CLIP report (benchmarks/run_clip) over the tiny clip/ benchmarks of the same run.
  ASSERT_EQ(Shell(absl::StrCat(XMODAL_BENCH_BINARY, " clip-report --inputs ", root_,
                               "/load-closed.json --micro ", micro, " --schema ", kSchema,
                               " --out ", root_, "/clip > /dev/null 2>&1")),
            0);
  ASSERT_OK_AND_ASSIGN(Json clip, ReadJsonFile(root_ + "/clip.json"));
  ExpectValid(clip);
  std::vector<std::string> clip_names;
  for (const Json& b : clip["clip"]["benchmarks"]) {
    EXPECT_TRUE(b["error"].is_null()) << b["name"];
    clip_names.push_back(b["name"]);
  }
  for (const char* name : {"clip/image/batch:32", "clip/text/batch:1/intra_op:1",
                           "clip/text/batch:1/bf16", "clip/matmul/m:1600/k:768/n:3072/bf16"}) {
    EXPECT_THAT(clip_names, Contains(name));
  }
  ASSERT_EQ(clip["targets"].size(), 6u);                 // three targets, float32 and bfloat16
  EXPECT_TRUE(clip["targets"][0]["value"].is_number());  // image share of the matmul
  EXPECT_TRUE(clip["targets"][1]["value"].is_number());  // text p50
  EXPECT_TRUE(clip["targets"][2]["value"].is_null());    // no load run labelled float32
  ASSERT_OK_AND_ASSIGN(std::string clip_md, ReadFile(root_ + "/clip.md"));
  EXPECT_THAT(clip_md, HasSubstr("## Targets (issue 12"));
}

}  // namespace
}  // namespace xmodal::bench
