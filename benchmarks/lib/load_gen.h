// The load generator behind `xmodal-bench load`: N concurrent clients send Search requests
// over real gRPC (client::XmodalClient) or over the server's HTTP/JSON API (POST /v1/search,
// http_search_client.h: the same requests in protobuf's JSON mapping, one keep-alive connection
// per client) to a server on this machine, closed-loop (each client
// sends its next request when the previous one returns) or open-loop (requests are due at a
// fixed rate and their latency counts from when they were due, so a slow server cannot hide
// its queueing). Each run warms up, then measures several repetitions.
#ifndef XMODAL_BENCHMARKS_LIB_LOAD_GEN_H_
#define XMODAL_BENCHMARKS_LIB_LOAD_GEN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "benchmarks/lib/query_set.h"
#include "core/base/json.h"
#include "core/base/modality.h"

namespace xmodal::bench {

struct LoadRunOptions {
  std::string server;              // host:port on a loopback address (the HTTP one for "http")
  std::string transport = "grpc";  // "grpc" or "http"
  int concurrency = 1;             // clients (closed loop) or requests in flight (open loop)
  double seconds = 10;             // measured time per repetition
  double warmup_seconds = 2;       // unmeasured closed-loop traffic before the repetitions
  int repetitions = 3;
  int64_t max_requests = 0;  // per repetition as well; 0: only `seconds` bounds it
  double rate_qps = 0;       // > 0: open loop at this many requests per second
  QueryMix mix;
  int k = 10;
  std::vector<Modality> targets;  // empty: every modality the collection holds
  double deadline_seconds = 10;   // per request
  int64_t server_pid = 0;         // > 0: sample its CPU time and RSS from /proc
  uint64_t seed = 1;              // query choice is deterministic per client
  std::string label;              // non-empty: recorded as the run's "label" (e.g. the model)
};

// INVALID_ARGUMENT naming the first bad option: a server that is not host:port on a loopback
// address (127.0.0.0/8, ::1, localhost), a transport other than grpc and http, concurrency
// outside 1..1024, non-positive or
// non-finite seconds / deadline, negative warm-up, repetitions outside 1..100, negative
// max_requests or rate, k outside 1..1000.
absl::Status ValidateLoadOptions(const LoadRunOptions& options);

// Runs one load configuration against the server and returns the "load run" JSON object of
// the results schema (benchmarks/README.md): QPS and latency percentiles as medians over the
// repetitions with their min / max, the same per query kind, errors by status code name and
// the server's CPU use and RSS when `server_pid` is set, and the transport. Failed requests
// are counted, not
// timed. Errors: ValidateLoadOptions's, CheckMixCovered's, NOT_FOUND when server_pid names no
// process, and UNAVAILABLE when not a single request of the warm-up succeeded (with the last
// error's message). Blocks for about warmup + repetitions * seconds.
absl::StatusOr<Json> RunLoad(const LoadRunOptions& options, const QuerySet& queries);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_LOAD_GEN_H_
