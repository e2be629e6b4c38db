// Metrics: what it renders parses as strict text format 0.0.4 with every family typed and
// documented, counters and histograms hold exactly what was recorded (also under concurrent
// recording), label values round-trip through escaping, and the process metrics come from /proc
// (or are left out when /proc lacks them). Also the strict parser of tests/testing itself: each
// kind of malformed input is rejected with its line, and the Prometheus documentation's example
// parses.
#include "server/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/file_util.h"
#include "server/process_stats.h"
#include "testing/status_matchers.h"
#include "tests/testing/prometheus_text.h"

namespace xmodal::server {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::ParsePrometheusText;
using ::xmodal::testing::PrometheusFamily;
using ::xmodal::testing::PrometheusLabels;
using ::xmodal::testing::PrometheusScrape;
using ::xmodal::testing::PrometheusType;
using ::xmodal::testing::StatusIs;

constexpr double kNow = 1'800'000'000;

// Renders without reading /proc, at a fixed time.
std::string Render(const Metrics& metrics, const ServingSnapshot& snapshot = {}) {
  return metrics.RenderText(snapshot, kNow, ProcessStats{});
}

PrometheusScrape MustParse(const std::string& text) {
  absl::StatusOr<PrometheusScrape> scrape = ParsePrometheusText(text);
  EXPECT_TRUE(scrape.ok()) << scrape.status() << "\n" << text;
  return scrape.ok() ? *std::move(scrape) : PrometheusScrape();
}

PrometheusLabels RequestLabels(const std::string& method, const std::string& transport,
                               const std::string& code) {
  return {{"method", method}, {"transport", transport}, {"code", code}};
}

// --- Metrics -----------------------------------------------------------------------------------

TEST(MetricsTest, EveryFamilyIsTypedAndDocumented) {
  Metrics metrics;
  const std::string text = metrics.RenderText(ServingSnapshot{});  // reads /proc too
  const PrometheusScrape scrape = MustParse(text);
  const std::vector<std::pair<std::string, PrometheusType>> expected = {
      {"xmodal_requests_total", PrometheusType::kCounter},
      {"xmodal_request_duration_seconds", PrometheusType::kHistogram},
      {"xmodal_stage_duration_seconds", PrometheusType::kHistogram},
      {"xmodal_search_batch_size", PrometheusType::kHistogram},
      {"xmodal_reloads_total", PrometheusType::kCounter},
      {"xmodal_thumbnails_total", PrometheusType::kCounter},
      {"xmodal_work_pool_workers", PrometheusType::kGauge},
      {"xmodal_work_pool_running", PrometheusType::kGauge},
      {"xmodal_work_pool_waiting", PrometheusType::kGauge},
      {"xmodal_search_waiting", PrometheusType::kGauge},
      {"xmodal_vectors", PrometheusType::kGauge},
      {"xmodal_items", PrometheusType::kGauge},
      {"xmodal_generation", PrometheusType::kGauge},
      {"xmodal_generation_published_timestamp_seconds", PrometheusType::kGauge},
      {"xmodal_generation_age_seconds", PrometheusType::kGauge},
      {"xmodal_ready", PrometheusType::kGauge},
      {"xmodal_thumbnail_cache_bytes", PrometheusType::kGauge},
      {"xmodal_thumbnail_cache_entries", PrometheusType::kGauge},
      {"process_resident_memory_bytes", PrometheusType::kGauge},
      {"process_virtual_memory_bytes", PrometheusType::kGauge},
      {"process_cpu_seconds_total", PrometheusType::kCounter},
      {"process_start_time_seconds", PrometheusType::kGauge},
      {"process_open_fds", PrometheusType::kGauge},
      {"process_max_fds", PrometheusType::kGauge},
      {"process_threads", PrometheusType::kGauge},
  };
  for (const auto& [name, type] : expected) {
    SCOPED_TRACE(name);
    EXPECT_EQ(scrape.Type(name), type);
  }
  EXPECT_EQ(scrape.families().size(), expected.size());
  for (const auto& [name, family] : scrape.families()) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(family.typed);
    ASSERT_TRUE(family.help.has_value());
    EXPECT_FALSE(family.help->empty());
  }
  // Nothing recorded yet: the request families are there, empty.
  EXPECT_TRUE(scrape.Family("xmodal_requests_total")->samples.empty());
  EXPECT_TRUE(scrape.Family("xmodal_request_duration_seconds")->samples.empty());
  EXPECT_EQ(scrape.Value("xmodal_search_batch_size_count"), 0);
  EXPECT_EQ(scrape.Value("xmodal_stage_duration_seconds_count", {{"stage", "fetch"}}), 0);
  EXPECT_EQ(scrape.Value("xmodal_reloads_total", {{"outcome", "failed"}}), 0);
  EXPECT_EQ(scrape.Value("xmodal_thumbnails_total", {{"cache", "hit"}}), 0);
}

TEST(MetricsTest, CountersMoveByExactlyTheRecordedAmounts) {
  Metrics metrics;
  for (int i = 0; i < 3; ++i) {
    metrics.RecordRequest("Search", Transport::kGrpc, absl::StatusCode::kOk, 0.01);
  }
  metrics.RecordRequest("Search", Transport::kHttp, absl::StatusCode::kOk, 0.01);
  metrics.RecordRequest("Search", Transport::kHttp, absl::StatusCode::kInvalidArgument, 0.001);
  metrics.RecordRequest("GetThumbnail", Transport::kHttp, absl::StatusCode::kNotFound, 0.001);
  metrics.RecordRequest("Embed", Transport::kGrpc, absl::StatusCode::kDeadlineExceeded, 1);
  metrics.RecordRequest("Embed", Transport::kGrpc, static_cast<absl::StatusCode>(99), 1);
  metrics.RecordReload(Metrics::ReloadOutcome::kSwapped);
  metrics.RecordReload(Metrics::ReloadOutcome::kUnchanged);
  metrics.RecordReload(Metrics::ReloadOutcome::kUnchanged);
  metrics.RecordThumbnail(true);
  metrics.RecordThumbnail(false);
  metrics.RecordThumbnail(false);
  metrics.RecordThumbnail(false);

  const PrometheusScrape scrape = MustParse(Render(metrics));
  EXPECT_EQ(scrape.Value("xmodal_requests_total", RequestLabels("Search", "grpc", "OK")), 3);
  EXPECT_EQ(scrape.Value("xmodal_requests_total", RequestLabels("Search", "http", "OK")), 1);
  EXPECT_EQ(
      scrape.Value("xmodal_requests_total", RequestLabels("Search", "http", "INVALID_ARGUMENT")),
      1);
  EXPECT_EQ(
      scrape.Value("xmodal_requests_total", RequestLabels("GetThumbnail", "http", "NOT_FOUND")), 1);
  EXPECT_EQ(
      scrape.Value("xmodal_requests_total", RequestLabels("Embed", "grpc", "DEADLINE_EXCEEDED")),
      1);
  // A code absl does not know counts as UNKNOWN.
  EXPECT_EQ(scrape.Value("xmodal_requests_total", RequestLabels("Embed", "grpc", "UNKNOWN")), 1);
  // Label sets never recorded are not rendered.
  EXPECT_EQ(scrape.Value("xmodal_requests_total", RequestLabels("Search", "grpc", "NOT_FOUND")),
            std::nullopt);
  EXPECT_EQ(scrape.Samples("xmodal_requests_total").size(), 6u);
  EXPECT_EQ(scrape.Sum("xmodal_requests_total"), 8);
  // One duration series per (method, transport) seen.
  EXPECT_EQ(scrape.Samples("xmodal_request_duration_seconds_count").size(), 4u);
  EXPECT_EQ(scrape.Value("xmodal_request_duration_seconds_count",
                         {{"method", "Search"}, {"transport", "http"}}),
            2);

  EXPECT_EQ(scrape.Value("xmodal_reloads_total", {{"outcome", "swapped"}}), 1);
  EXPECT_EQ(scrape.Value("xmodal_reloads_total", {{"outcome", "unchanged"}}), 2);
  EXPECT_EQ(scrape.Value("xmodal_reloads_total", {{"outcome", "failed"}}), 0);
  EXPECT_EQ(scrape.Value("xmodal_thumbnails_total", {{"cache", "hit"}}), 1);
  EXPECT_EQ(scrape.Value("xmodal_thumbnails_total", {{"cache", "miss"}}), 3);

  // Rendering does not move anything; more recording moves exactly by its amount.
  metrics.RecordRequest("Search", Transport::kGrpc, absl::StatusCode::kOk, 0.01);
  metrics.RecordReload(Metrics::ReloadOutcome::kFailed);
  const PrometheusScrape again = MustParse(Render(metrics));
  EXPECT_EQ(again.Value("xmodal_requests_total", RequestLabels("Search", "grpc", "OK")), 4);
  EXPECT_EQ(again.Value("xmodal_reloads_total", {{"outcome", "failed"}}), 1);
  EXPECT_EQ(again.Value("xmodal_reloads_total", {{"outcome", "unchanged"}}), 2);
}

TEST(MetricsTest, HistogramBucketsCountAndSum) {
  Metrics metrics;
  // 0.0001 lands in its own bucket (le is inclusive); 20 s only in +Inf; a negative duration
  // counts as 0.
  for (const double seconds : {0.0001, 0.003, 0.004, 20.0, -5.0}) {
    metrics.RecordRequest("GetItem", Transport::kGrpc, absl::StatusCode::kOk, seconds);
  }
  for (const int size : {1, 3, 3, 1024, 2000, 0, -1}) metrics.RecordSearchBatch(size);

  const std::string text = Render(metrics);
  const PrometheusScrape scrape = MustParse(text);
  auto bucket = [&](const std::string& le) {
    return scrape.Value("xmodal_request_duration_seconds_bucket",
                        {{"method", "GetItem"}, {"transport", "grpc"}, {"le", le}});
  };
  EXPECT_EQ(bucket("0.0001"), 2);  // -5 (as 0) and 0.0001
  EXPECT_EQ(bucket("0.00025"), 2);
  EXPECT_EQ(bucket("0.0025"), 2);
  EXPECT_EQ(bucket("0.005"), 4);
  EXPECT_EQ(bucket("10"), 4);
  EXPECT_EQ(bucket("+Inf"), 5);
  EXPECT_EQ(scrape.Samples("xmodal_request_duration_seconds_bucket").size(),
            Metrics::kDurationBuckets.size() + 1);
  const PrometheusLabels series = {{"method", "GetItem"}, {"transport", "grpc"}};
  EXPECT_EQ(scrape.Value("xmodal_request_duration_seconds_count", series), 5);
  EXPECT_NEAR(*scrape.Value("xmodal_request_duration_seconds_sum", series), 20.0071, 1e-9);

  auto batch = [&](const std::string& le) {
    return scrape.Value("xmodal_search_batch_size_bucket", {{"le", le}});
  };
  EXPECT_EQ(batch("1"), 1);
  EXPECT_EQ(batch("2"), 1);
  EXPECT_EQ(batch("4"), 3);
  EXPECT_EQ(batch("512"), 3);
  EXPECT_EQ(batch("1024"), 4);
  EXPECT_EQ(batch("+Inf"), 5);
  EXPECT_EQ(scrape.Value("xmodal_search_batch_size_count"), 5);  // 0 and -1 ignored
  EXPECT_EQ(scrape.Value("xmodal_search_batch_size_sum"), 3031);
  EXPECT_THAT(text, HasSubstr("xmodal_search_batch_size_bucket{le=\"1024\"} 4\n"));
}

TEST(MetricsTest, LabelValuesAreEscapedAndRoundTrip) {
  Metrics metrics;
  const std::string method = "we\"ird\\na\nme";
  metrics.RecordRequest(method, Transport::kHttp, absl::StatusCode::kOk, 0.5);
  const std::string text = Render(metrics);
  EXPECT_THAT(text, HasSubstr("method=\"we\\\"ird\\\\na\\nme\""));
  const PrometheusScrape scrape = MustParse(text);
  EXPECT_EQ(scrape.Value("xmodal_requests_total", RequestLabels(method, "http", "OK")), 1);
  EXPECT_EQ(scrape.Value("xmodal_request_duration_seconds_count",
                         {{"method", method}, {"transport", "http"}}),
            1);
}

TEST(MetricsTest, StagesNotMeasuredAreNotObserved) {
  Metrics metrics;
  StageSeconds stages;
  stages.queue = 0.002;
  stages.encode = 0;  // measured, and instant
  stages.search = std::numeric_limits<double>::quiet_NaN();
  metrics.RecordStages(stages);
  stages.queue = 0.02;
  stages.fetch = 3;
  metrics.RecordStages(stages);
  metrics.RecordStages(StageSeconds{});  // nothing measured

  const PrometheusScrape scrape = MustParse(Render(metrics));
  auto count = [&](const std::string& stage) {
    return scrape.Value("xmodal_stage_duration_seconds_count", {{"stage", stage}});
  };
  EXPECT_EQ(count("queue"), 2);
  EXPECT_EQ(count("decode"), 0);
  EXPECT_EQ(count("encode"), 2);
  EXPECT_EQ(count("search"), 0);
  EXPECT_EQ(count("fetch"), 1);
  EXPECT_NEAR(*scrape.Value("xmodal_stage_duration_seconds_sum", {{"stage", "queue"}}), 0.022,
              1e-12);
  EXPECT_EQ(
      scrape.Value("xmodal_stage_duration_seconds_bucket", {{"stage", "queue"}, {"le", "0.0025"}}),
      1);
  EXPECT_EQ(
      scrape.Value("xmodal_stage_duration_seconds_bucket", {{"stage", "encode"}, {"le", "0.0001"}}),
      2);
}

TEST(MetricsTest, GaugesComeFromTheSnapshot) {
  Metrics metrics;
  ServingSnapshot snapshot;
  snapshot.work_pool_workers = 4;
  snapshot.work_pool_running = 3;
  snapshot.work_pool_waiting = 7;
  snapshot.search_waiting = 5;
  snapshot.vectors = {{Modality::kText, 47000}, {Modality::kImage, 1200}};
  snapshot.items = {{Modality::kImage, 1200}};
  snapshot.generation = 12;
  snapshot.generation_published_unix_seconds = static_cast<int64_t>(kNow) - 90;
  snapshot.ready = true;
  snapshot.thumbnail_cache_bytes = 123456;
  snapshot.thumbnail_cache_entries = 12;

  const PrometheusScrape scrape = MustParse(Render(metrics, snapshot));
  EXPECT_EQ(scrape.Value("xmodal_work_pool_workers"), 4);
  EXPECT_EQ(scrape.Value("xmodal_work_pool_running"), 3);
  EXPECT_EQ(scrape.Value("xmodal_work_pool_waiting"), 7);
  EXPECT_EQ(scrape.Value("xmodal_search_waiting"), 5);
  EXPECT_EQ(scrape.Value("xmodal_vectors", {{"modality", "text"}}), 47000);
  EXPECT_EQ(scrape.Value("xmodal_vectors", {{"modality", "image"}}), 1200);
  EXPECT_EQ(scrape.Value("xmodal_vectors", {{"modality", "audio"}}), 0);
  EXPECT_EQ(scrape.Value("xmodal_items", {{"modality", "text"}}), 0);
  EXPECT_EQ(scrape.Value("xmodal_items", {{"modality", "image"}}), 1200);
  EXPECT_EQ(scrape.Value("xmodal_generation"), 12);
  EXPECT_EQ(scrape.Value("xmodal_generation_published_timestamp_seconds"), kNow - 90);
  EXPECT_EQ(scrape.Value("xmodal_generation_age_seconds"), 90);
  EXPECT_EQ(scrape.Value("xmodal_ready"), 1);
  EXPECT_EQ(scrape.Value("xmodal_thumbnail_cache_bytes"), 123456);
  EXPECT_EQ(scrape.Value("xmodal_thumbnail_cache_entries"), 12);

  // Unknown publication time: age 0; a publication "in the future" (clock skew): age 0.
  snapshot.generation_published_unix_seconds = 0;
  snapshot.ready = false;
  const PrometheusScrape unknown = MustParse(Render(metrics, snapshot));
  EXPECT_EQ(unknown.Value("xmodal_generation_published_timestamp_seconds"), 0);
  EXPECT_EQ(unknown.Value("xmodal_generation_age_seconds"), 0);
  EXPECT_EQ(unknown.Value("xmodal_ready"), 0);
  snapshot.generation_published_unix_seconds = static_cast<int64_t>(kNow) + 60;
  EXPECT_EQ(MustParse(Render(metrics, snapshot)).Value("xmodal_generation_age_seconds"), 0);
}

TEST(MetricsTest, ProcessMetricsArePresentAndPlausible) {
  Metrics metrics;
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const PrometheusScrape scrape = MustParse(metrics.RenderText(ServingSnapshot{}));
  const std::optional<double> rss = scrape.Value("process_resident_memory_bytes");
  const std::optional<double> vsize = scrape.Value("process_virtual_memory_bytes");
  const std::optional<double> cpu = scrape.Value("process_cpu_seconds_total");
  const std::optional<double> start = scrape.Value("process_start_time_seconds");
  const std::optional<double> fds = scrape.Value("process_open_fds");
  const std::optional<double> max_fds = scrape.Value("process_max_fds");
  const std::optional<double> threads = scrape.Value("process_threads");
  ASSERT_TRUE(rss && vsize && cpu && start && fds && max_fds && threads);
  EXPECT_GT(*rss, 1 << 20);
  EXPECT_GE(*vsize, *rss);
  EXPECT_GE(*cpu, 0);
  EXPECT_LT(*cpu, 24 * 3600);
  // Started before now, and (as a test) within the last day; btime has a 1 s resolution.
  EXPECT_LE(*start, now + 1);
  EXPECT_GT(*start, now - 24 * 3600);
  EXPECT_GE(*fds, 3);  // stdin, stdout, stderr
  EXPECT_GE(*max_fds, *fds);
  EXPECT_GE(*threads, 1);
}

TEST(MetricsTest, ProcessMetricsMissingFromProcAreLeftOut) {
  Metrics metrics;
  ProcessStats partial;
  partial.threads = 9;
  const PrometheusScrape scrape = MustParse(metrics.RenderText(ServingSnapshot{}, kNow, partial));
  EXPECT_EQ(scrape.Value("process_threads"), 9);
  for (const char* name : {"process_resident_memory_bytes", "process_virtual_memory_bytes",
                           "process_cpu_seconds_total", "process_start_time_seconds",
                           "process_open_fds", "process_max_fds"}) {
    EXPECT_EQ(scrape.Family(name), nullptr) << name;
  }
}

TEST(MetricsTest, ConcurrentRecordingGivesExactTotals) {
  Metrics metrics;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 5000;
  std::atomic<bool> done{false};
  std::atomic<int> renders{0};
  // Rendering (and parsing) while the others record: each scrape is consistent.
  std::thread scraper([&] {
    while (!done.load()) {
      const absl::StatusOr<PrometheusScrape> scrape = ParsePrometheusText(Render(metrics));
      ASSERT_TRUE(scrape.ok()) << scrape.status();
      ++renders;
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      const std::string method = t % 2 == 0 ? "Search" : "GetItem";
      const Transport transport = t % 4 < 2 ? Transport::kGrpc : Transport::kHttp;
      StageSeconds stages;
      stages.search = 0.001;
      for (int i = 0; i < kPerThread; ++i) {
        metrics.RecordRequest(method, transport, absl::StatusCode::kOk, 0.001);
        metrics.RecordStages(stages);
        metrics.RecordSearchBatch(2);
        metrics.RecordThumbnail(i % 2 == 0);
        metrics.RecordReload(Metrics::ReloadOutcome::kUnchanged);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  done = true;
  scraper.join();
  EXPECT_GT(renders.load(), 0);

  const PrometheusScrape scrape = MustParse(Render(metrics));
  constexpr double kTotal = kThreads * kPerThread;
  // Two threads per (method, transport).
  for (const std::string method : {"Search", "GetItem"}) {
    for (const std::string transport : {"grpc", "http"}) {
      EXPECT_EQ(scrape.Value("xmodal_requests_total", RequestLabels(method, transport, "OK")),
                2 * kPerThread);
      EXPECT_EQ(scrape.Value("xmodal_request_duration_seconds_count",
                             {{"method", method}, {"transport", transport}}),
                2 * kPerThread);
    }
  }
  EXPECT_EQ(scrape.Sum("xmodal_requests_total"), kTotal);
  EXPECT_EQ(scrape.Value("xmodal_stage_duration_seconds_count", {{"stage", "search"}}), kTotal);
  EXPECT_EQ(scrape.Value("xmodal_search_batch_size_count"), kTotal);
  EXPECT_EQ(scrape.Value("xmodal_search_batch_size_sum"), 2 * kTotal);
  EXPECT_EQ(scrape.Value("xmodal_thumbnails_total", {{"cache", "hit"}}), kTotal / 2);
  EXPECT_EQ(scrape.Value("xmodal_thumbnails_total", {{"cache", "miss"}}), kTotal / 2);
  EXPECT_EQ(scrape.Value("xmodal_reloads_total", {{"outcome", "unchanged"}}), kTotal);
}

// --- process_stats.h ---------------------------------------------------------------------------

// The text of a /proc/<pid>/stat line for `comm`, with the given fields after the command name
// (indexes from 0 at "state"), the others 0.
std::string StatLine(const std::string& comm, const std::vector<std::pair<int, std::string>>& set,
                     int fields = 52) {
  std::vector<std::string> after(fields, "0");
  after[0] = "S";
  for (const auto& [index, value] : set) after.at(index) = value;
  return absl::StrCat("4242 (", comm, ") ", absl::StrJoin(after, " "), "\n");
}

TEST(ProcessStatsTest, ParsesProcSelfStat) {
  ProcessStats stats;
  // utime 11, stime 12, num_threads 17, starttime 19, vsize 20, rss 21.
  const std::string stat =
      StatLine("my (odd) name",
               {{11, "250"}, {12, "50"}, {17, "7"}, {19, "1000"}, {20, "123456789"}, {21, "10"}});
  ParseProcSelfStat(stat, 100, 4096, 1'700'000'000, stats);
  EXPECT_TRUE(stats.errors.empty());
  EXPECT_EQ(stats.cpu_seconds, 3.0);
  EXPECT_EQ(stats.threads, 7);
  EXPECT_EQ(stats.start_time_seconds, 1'700'000'010.0);
  EXPECT_EQ(stats.virtual_memory_bytes, 123456789);
  EXPECT_EQ(stats.resident_memory_bytes, 40960);
}

TEST(ProcessStatsTest, MissingOrBadStatFieldsAreLeftOut) {
  ProcessStats stats;
  // Cut off after stime; and no boot time.
  ParseProcSelfStat(StatLine("x", {{11, "250"}, {12, "50"}}, 13), 100, 4096, std::nullopt, stats);
  EXPECT_EQ(stats.cpu_seconds, 2.0 + 1.0);
  EXPECT_EQ(stats.threads, std::nullopt);
  EXPECT_EQ(stats.start_time_seconds, std::nullopt);
  EXPECT_EQ(stats.virtual_memory_bytes, std::nullopt);
  EXPECT_EQ(stats.resident_memory_bytes, std::nullopt);
  EXPECT_EQ(stats.errors.size(), 4u);  // num_threads, starttime, vsize, rss

  ProcessStats bad;
  ParseProcSelfStat(StatLine("x", {{11, "lots"}, {21, "-"}}), 100, 4096, 0, bad);
  EXPECT_EQ(bad.cpu_seconds, std::nullopt);
  EXPECT_EQ(bad.resident_memory_bytes, std::nullopt);
  EXPECT_EQ(bad.threads, 0);
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_THAT(bad.errors[0].message(), HasSubstr("utime"));

  ProcessStats garbage;
  ParseProcSelfStat("no parenthesis here", 100, 4096, 0, garbage);
  EXPECT_EQ(garbage.cpu_seconds, std::nullopt);
  EXPECT_EQ(garbage.errors.size(), 1u);
}

TEST(ProcessStatsTest, ParsesBootTimeAndMaxOpenFiles) {
  EXPECT_EQ(*ParseBootTime("cpu  1 2 3\nintr 5\nbtime 1796394166\nprocesses 9\n"), 1796394166);
  EXPECT_THAT(ParseBootTime("cpu 1\n"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("btime")));
  EXPECT_THAT(ParseBootTime("btime soon\n"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("btime")));

  const std::string limits =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            1024                 524288               files     \n";
  EXPECT_EQ(*ParseMaxOpenFiles(limits), 1024);
  EXPECT_THAT(
      ParseMaxOpenFiles("Max open files            unlimited            unlimited  files\n"),
      StatusIs(absl::StatusCode::kNotFound, HasSubstr("unlimited")));
  EXPECT_THAT(ParseMaxOpenFiles("Limit  Soft\n"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("Max open files")));
}

void WriteText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(ProcessStatsTest, ReadsAFakeProcTreeAndLeavesOutWhatIsMissing) {
  ASSERT_OK_AND_ASSIGN(const std::string root, MakeTempDirectory("fake-proc-"));
  ASSERT_OK(MakeDirectories(root + "/self/fd"));
  WriteText(root + "/stat", "cpu 1 2 3\nbtime 1000\n");
  WriteText(root + "/self/stat", StatLine("x", {{11, "0"}, {12, "0"}, {17, "3"}}, 19));
  for (const char* fd : {"0", "1", "2", "7"}) WriteText(absl::StrCat(root, "/self/fd/", fd), "");
  // No self/limits.

  const ProcessStats stats = ReadProcessStats(root);
  EXPECT_EQ(stats.cpu_seconds, 0.0);
  EXPECT_EQ(stats.threads, 3);
  EXPECT_EQ(stats.start_time_seconds, std::nullopt);  // cut off before starttime
  EXPECT_EQ(stats.open_fds, 4);
  EXPECT_EQ(stats.max_fds, std::nullopt);
  EXPECT_EQ(stats.virtual_memory_bytes, std::nullopt);
  EXPECT_EQ(stats.resident_memory_bytes, std::nullopt);
  EXPECT_EQ(stats.errors.size(), 4u);  // starttime, vsize, rss, limits

  // No /proc at all: nothing, and no crash.
  const ProcessStats none = ReadProcessStats(root + "/missing");
  EXPECT_EQ(none.cpu_seconds, std::nullopt);
  EXPECT_EQ(none.open_fds, std::nullopt);
  EXPECT_EQ(none.threads, std::nullopt);
  EXPECT_EQ(none.errors.size(), 4u);  // stat, self/stat, self/limits, self/fd
  std::filesystem::remove_all(root);
}

TEST(ProcessStatsTest, ReadsThisProcess) {
  const ProcessStats stats = ReadProcessStats();
  EXPECT_TRUE(stats.errors.empty()) << stats.errors.front();
  ASSERT_TRUE(stats.resident_memory_bytes.has_value());
  EXPECT_GT(*stats.resident_memory_bytes, 0);
  ASSERT_TRUE(stats.threads.has_value());
  EXPECT_GE(*stats.threads, 1);
}

// --- tests/testing/prometheus_text.h -----------------------------------------------------------

// The example of https://prometheus.io/docs/instrumenting/exposition_formats/ (text format).
constexpr char kDocsExample[] = R"(# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# A histogram, which has a pretty complex representation in the text format:
# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="0.2"} 100392
http_request_duration_seconds_bucket{le="0.5"} 129389
http_request_duration_seconds_bucket{le="1"} 133988
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# Finally a summary, which has a complex representation, too:
# HELP rpc_duration_seconds A summary of the RPC duration in seconds.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.01"} 3102
rpc_duration_seconds{quantile="0.05"} 3272
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds{quantile="0.9"} 9001
rpc_duration_seconds{quantile="0.99"} 76656
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
)";

TEST(PrometheusTextTest, ParsesTheDocumentationExample) {
  ASSERT_OK_AND_ASSIGN(const PrometheusScrape scrape, ParsePrometheusText(kDocsExample));
  EXPECT_EQ(scrape.Type("http_requests_total"), PrometheusType::kCounter);
  EXPECT_EQ(scrape.Family("http_requests_total")->help, "The total number of HTTP requests.");
  EXPECT_EQ(scrape.Value("http_requests_total", {{"method", "post"}, {"code", "200"}}), 1027);
  EXPECT_EQ(scrape.Value("http_requests_total", {{"method", "post"}, {"code", "400"}}), 3);
  EXPECT_EQ(scrape.Family("http_requests_total")->samples[0].timestamp_ms, 1395066363000);
  // Exact label match only.
  EXPECT_EQ(scrape.Value("http_requests_total", {{"method", "post"}}), std::nullopt);
  EXPECT_EQ(scrape.Sum("http_requests_total", {{"method", "post"}}), 1030);

  EXPECT_EQ(scrape.Type("msdos_file_access_time_seconds"), PrometheusType::kUntyped);
  EXPECT_FALSE(scrape.Family("msdos_file_access_time_seconds")->typed);
  EXPECT_EQ(
      scrape.Value("msdos_file_access_time_seconds",
                   {{"path", "C:\\DIR\\FILE.TXT"}, {"error", "Cannot find file:\n\"FILE.TXT\""}}),
      1.458255915e9);
  EXPECT_EQ(scrape.Value("metric_without_timestamp_and_labels"), 12.47);
  const PrometheusFamily* weird = scrape.Family("something_weird");
  ASSERT_NE(weird, nullptr);
  EXPECT_TRUE(std::isinf(weird->samples[0].value));
  EXPECT_EQ(weird->samples[0].timestamp_ms, -3982045);

  EXPECT_EQ(scrape.Type("http_request_duration_seconds"), PrometheusType::kHistogram);
  EXPECT_EQ(scrape.Value("http_request_duration_seconds_bucket", {{"le", "0.2"}}), 100392);
  EXPECT_EQ(scrape.Value("http_request_duration_seconds_count"), 144320);
  EXPECT_EQ(scrape.Value("http_request_duration_seconds_sum"), 53423);
  EXPECT_EQ(scrape.Type("rpc_duration_seconds"), PrometheusType::kSummary);
  EXPECT_EQ(scrape.Value("rpc_duration_seconds", {{"quantile", "0.99"}}), 76656);
  EXPECT_EQ(scrape.Value("rpc_duration_seconds_sum"), 1.7560473e+07);
  EXPECT_EQ(scrape.families().size(), 6u);
}

TEST(PrometheusTextTest, AcceptsWhatTheFormatAllows) {
  const std::string text =
      "# a plain comment\n"
      "\n"
      "  # TYPE g gauge\n"
      "# HELP g Back\\\\slash and\\nnewline.\n"
      "g{a=\"1\",} -Inf\n"
      "g { a = \"2\" , b=\"\" } NaN 0\n"
      "g{} 1e-3\n"
      "g{a=\"3\"}\t+2.5E+2   \n"
      "# TYPE h histogram\n"
      "# TYPE empty_histogram histogram\n"
      "# TYPE u untyped\n"
      "u .5\n";
  // (h has no samples: valid.)
  ASSERT_OK_AND_ASSIGN(const PrometheusScrape scrape, ParsePrometheusText(text));
  EXPECT_EQ(scrape.Family("g")->help, "Back\\slash and\nnewline.");
  EXPECT_EQ(scrape.Value("g", {{"a", "1"}}), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(*scrape.Value("g", {{"a", "2"}, {"b", ""}})));
  EXPECT_EQ(scrape.Value("g"), 0.001);
  EXPECT_EQ(scrape.Value("g", {{"a", "3"}}), 250);
  EXPECT_EQ(scrape.Value("u"), 0.5);
  EXPECT_EQ(scrape.Type("h"), PrometheusType::kHistogram);
  EXPECT_TRUE(scrape.Family("h")->samples.empty());
  EXPECT_THAT(ParsePrometheusText(""), ::xmodal::testing::IsOk());
}

TEST(PrometheusTextTest, AcceptsAHistogramWithSeveralSeries) {
  const std::string text =
      "# TYPE h histogram\n"
      "h_bucket{x=\"a\",le=\"1\"} 1\n"
      "h_bucket{x=\"a\",le=\"+Inf\"} 2\n"
      "h_sum{x=\"a\"} 3.5\n"
      "h_count{x=\"a\"} 2\n"
      "h_bucket{x=\"b\",le=\"1\"} 0\n"
      "h_bucket{x=\"b\",le=\"+Inf\"} 0\n"
      "h_sum{x=\"b\"} 0\n"
      "h_count{x=\"b\"} 0\n";
  ASSERT_OK_AND_ASSIGN(const PrometheusScrape scrape, ParsePrometheusText(text));
  EXPECT_EQ(scrape.Value("h_count", {{"x", "a"}}), 2);
  EXPECT_EQ(scrape.Samples("h_bucket", {{"x", "b"}}).size(), 2u);
}

TEST(PrometheusTextTest, RejectsMalformedInputWithItsLine) {
  const std::string kHistogramHead = "# TYPE h histogram\n";
  struct Case {
    std::string text;
    int line;
    std::string message;
  };
  const std::vector<Case> cases = {
      // Names.
      {"1abc 1\n", 1, "invalid metric name '1abc'"},
      {"foo-bar 1\n", 1, "invalid metric name 'foo-bar'"},
      {"# TYPE 1abc gauge\n", 1, "invalid metric name '1abc' in TYPE"},
      {"# HELP a.b text\n", 1, "invalid metric name 'a.b' in HELP"},
      {"foo{1a=\"x\"} 1\n", 1, "invalid label name '1a'"},
      {"foo{a-b=\"x\"} 1\n", 1, "invalid label name 'a-b'"},
      {"foo{__name__=\"x\"} 1\n", 1, "__name__ is reserved"},
      {"foo{a=\"1\",a=\"2\"} 1\n", 1, "label a given twice"},
      // Label sets and escapes.
      {"foo{a=\"x\" 1\n", 1, "expected ',' or '}'"},
      {"foo{a=x} 1\n", 1, "expected '\"'"},
      {"foo{a\"x\"} 1\n", 1, "expected '='"},
      {"foo{a=\"x\"b=\"y\"} 1\n", 1, "expected ',' or '}'"},
      {"foo{a=\"x} 1\n", 1, "no closing quote"},
      {"foo{,} 1\n", 1, "invalid label name ''"},
      {"foo{a=\"\\t\"} 1\n", 1, "invalid escape '\\t' in a label value"},
      {"# HELP foo a\\tb\n", 1, "invalid escape '\\t' in HELP text"},
      // Values and timestamps.
      {"foo 1.2.3\n", 1, "unparseable value '1.2.3'"},
      {"foo abc\n", 1, "unparseable value 'abc'"},
      {"foo inf\n", 1, "unparseable value 'inf'"},
      {"foo 1e\n", 1, "unparseable value '1e'"},
      {"foo 0x10\n", 1, "unparseable value '0x10'"},
      {"foo\n", 1, "has no value"},
      {"foo 1 1.5\n", 1, "unparseable timestamp '1.5'"},
      {"foo 1 2 3\n", 1, "unexpected text after the timestamp"},
      {"foo 1", 1, "does not end with a line feed"},
      // TYPE and HELP lines.
      {"# TYPE g meter\n", 1, "unknown TYPE 'meter'"},
      {"# TYPE g gauge extra\n", 1, "unexpected text after TYPE"},
      {"# TYPE g gauge\n# TYPE g gauge\n", 2, "second TYPE for g (first at line 1)"},
      {"# HELP g a\n# HELP g b\n", 2, "second HELP for g"},
      {"g 1\n# TYPE g gauge\n", 2, "TYPE for g after its samples"},
      {"h_bucket{le=\"+Inf\"} 1\n" + kHistogramHead, 2,
       "a sample h_bucket before its TYPE, at line 1"},
      // Grouping and duplicates.
      {"# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n", 5,
       "lines of family a are not grouped together (it began at line 1)"},
      {"# TYPE g gauge\ng{a=\"1\",b=\"2\"} 1\ng{b=\"2\",a=\"1\"} 2\n", 3,
       "duplicate series g{a=\"1\",b=\"2\"} (first at line 2)"},
      {"# TYPE g gauge\ng 1\ng 1\n", 3, "duplicate series g (first at line 2)"},
      // Counters.
      {"# TYPE c counter\nc -1\n", 2, "counter c is negative"},
      {"# TYPE c counter\nc -Inf\n", 2, "counter c is negative"},
      // Histograms.
      {kHistogramHead + "h 1\n", 2, "not named _bucket, _sum or _count"},
      {kHistogramHead + "h_bucket 1\n", 2, "h_bucket has no le label"},
      {kHistogramHead + "h_bucket{le=\"big\"} 1\n", 2, "unparseable le \"big\""},
      {kHistogramHead + "h_sum{le=\"1\"} 1\n", 2, "h_sum must not have an le label"},
      {kHistogramHead + "h_bucket{le=\"1\"} -1\n", 2, "h_bucket is not a count"},
      {kHistogramHead +
           "h_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 3\nh_bucket{le=\"+Inf\"} 5\nh_sum 1\n"
           "h_count 5\n",
       3, "not cumulative (le=\"2\" has 3, below the 5 of le=\"1\")"},
      {kHistogramHead +
           "h_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\n"
           "h_count 1\n",
       3, "not in increasing le order (le=\"1\" after le=\"2\")"},
      {kHistogramHead + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n", 3,
       "not in increasing le order"},
      {kHistogramHead + "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", 2,
       "histogram h has no le=\"+Inf\" bucket"},
      {kHistogramHead + "h_sum 1\nh_count 0\n", 2, "histogram h has no le=\"+Inf\" bucket"},
      {kHistogramHead + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", 5,
       "h_count of h (3) differs from its le=\"+Inf\" bucket (2, line 3)"},
      {kHistogramHead + "h_bucket{x=\"a\",le=\"+Inf\"} 2\nh_sum{x=\"a\"} 1\n", 2,
       "histogram h{x=\"a\"} has no h_count"},
      {kHistogramHead + "h_bucket{le=\"+Inf\"} 2\nh_count 2\n", 2, "histogram h has no h_sum"},
      // Summaries.
      {"# TYPE s summary\ns 1\n", 2, "no float quantile label"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_THAT(ParsePrometheusText(c.text),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         ::testing::StartsWith(absl::StrCat("line ", c.line, ": "))));
    EXPECT_THAT(ParsePrometheusText(c.text),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
}

}  // namespace
}  // namespace xmodal::server
