// The server's Prometheus metrics: request counters and latency histograms recorded as calls
// end, gauges sampled at scrape time (ServingSnapshot) and the standard process metrics, all
// rendered in the Prometheus text exposition format 0.0.4 for `GET /metrics`. The families,
// their labels and meaning are documented in docs/metrics.md; their names are a contract.
//
// Why not prometheus-cpp: the server needs a handful of fixed families, and one small file
// writing the text format keeps the dependency (and its registry machinery) out.
//
// Recording is cheap enough for every request: one mutex held for a few additions; a method
// name seen before costs a map lookup and no allocation. Label values are escaped as the format
// requires (backslash, double quote, line feed).
//
// Thread-safe.
#ifndef XMODAL_SERVER_METRICS_H_
#define XMODAL_SERVER_METRICS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"
#include "server/process_stats.h"

namespace xmodal::server {

enum class Transport { kGrpc, kHttp };  // label values "grpc", "http"

// "grpc" or "http".
absl::string_view TransportName(Transport transport);

// Per-request stage durations in seconds; a negative value means "not measured" and is not
// observed.
struct StageSeconds {
  double queue = -1, decode = -1, encode = -1, search = -1, fetch = -1;
};

// Gauges sampled by the server at scrape time.
struct ServingSnapshot {
  int work_pool_workers = 0, work_pool_running = 0, work_pool_waiting = 0;
  int search_waiting = 0;                         // Search calls not yet taken by a worker
  std::map<Modality, int64_t> vectors, items;     // a modality left out is rendered as 0
  int64_t generation = 0;                         // served generation (0: none)
  int64_t generation_published_unix_seconds = 0;  // 0 (or less): unknown
  bool ready = false;
  int64_t thumbnail_cache_bytes = 0, thumbnail_cache_entries = 0;
};

namespace metrics_internal {

// A histogram over `N` upper bounds (the "le" of each bucket, increasing; +Inf is implicit).
// Not thread-safe: Metrics guards it.
template <size_t N>
struct Histogram {
  // counts[i]: observations in (bounds[i-1], bounds[i]]; counts[N]: above the last bound.
  // Not cumulative; the rendering sums them up.
  std::array<uint64_t, N + 1> counts{};
  uint64_t count = 0;
  double sum = 0;

  void Observe(const std::array<double, N>& bounds, double value);
};

}  // namespace metrics_internal

class Metrics {
 public:
  // Upper bounds of the duration histograms (request and stage): 0.1 ms .. 10 s.
  static constexpr std::array<double, 16> kDurationBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
  // Upper bounds of xmodal_search_batch_size.
  static constexpr std::array<double, 11> kBatchSizeBuckets = {1,  2,   4,   8,   16,  32,
                                                               64, 128, 256, 512, 1024};

  Metrics();

  // Counts one finished call of `method` ("Search", "GetItem", ...: a fixed set, since each
  // name is a label value kept for the life of the process) and observes its duration. A code
  // outside absl's canonical codes counts as UNKNOWN; a negative or non-finite `seconds` is
  // observed as 0.
  void RecordRequest(absl::string_view method, Transport transport, absl::StatusCode code,
                     double seconds);
  // Observes each measured stage (a value >= 0 and finite) in xmodal_stage_duration_seconds.
  void RecordStages(const StageSeconds& stages);
  // Observes the number of searches a worker answered together; sizes below 1 are ignored.
  void RecordSearchBatch(int size);

  enum class ReloadOutcome { kSwapped, kUnchanged, kFailed };
  void RecordReload(ReloadOutcome outcome);
  void RecordThumbnail(bool cache_hit);

  // Every metric in text format 0.0.4 (# HELP and # TYPE for each family), including process
  // metrics read from /proc/self (those /proc does not provide are left out, logged once).
  std::string RenderText(const ServingSnapshot& snapshot) const;
  // The same at a given time (for xmodal_generation_age_seconds) and with given process stats:
  // for tests.
  std::string RenderText(const ServingSnapshot& snapshot, double now_unix_seconds,
                         const ProcessStats& process) const;

 private:
  static constexpr size_t kNumCodes = 17;  // absl::StatusCode kOk (0) .. kUnauthenticated (16)
  static constexpr size_t kNumStages = 5;  // StageSeconds' fields, in order
  using DurationHistogram = metrics_internal::Histogram<kDurationBuckets.size()>;

  struct RequestSeries {
    bool seen = false;  // rendered once recorded
    std::array<uint64_t, kNumCodes> codes{};
    DurationHistogram duration;
  };

  // Everything recorded, copied out as a whole for rendering.
  struct Recorded {
    // By method, then by Transport.
    std::map<std::string, std::array<RequestSeries, 2>, std::less<>> requests;
    std::array<DurationHistogram, kNumStages> stages;
    metrics_internal::Histogram<kBatchSizeBuckets.size()> batch_sizes;
    std::array<uint64_t, 3> reloads{};     // by ReloadOutcome
    std::array<uint64_t, 2> thumbnails{};  // [0] cache hit, [1] miss
  };

  mutable std::mutex mu_;
  Recorded recorded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_METRICS_H_
