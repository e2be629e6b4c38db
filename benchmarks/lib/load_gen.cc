#include "benchmarks/lib/load_gen.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>

#include "absl/functional/function_ref.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "benchmarks/lib/http_search_client.h"
#include "benchmarks/lib/load_interval.h"
#include "benchmarks/lib/proc_stats.h"
#include "benchmarks/lib/stats.h"
#include "client/client.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/engine/search_limits.h"

namespace xmodal::bench {
namespace {

// "all", or the modality names joined by commas.
std::string TargetModalitiesToString(const std::vector<Modality>& targets) {
  if (targets.empty()) return "all";
  std::string out;
  for (const Modality m : targets) absl::StrAppend(&out, out.empty() ? "" : ",", ModalityName(m));
  return out;
}

constexpr char kGrpc[] = "grpc";
constexpr char kHttp[] = "http";

bool Positive(double v) { return std::isfinite(v) && v > 0; }

absl::Status CheckLoopback(const std::string& server) {
  const size_t colon = server.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(server.substr(colon + 1), &port) ||
      port < 1 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("server '", server, "' is not HOST:PORT (e.g. 127.0.0.1:7070)"));
  }
  const std::string host = server.substr(0, colon);
  if (host == "localhost" || host == "[::1]" || host == "::1" || absl::StartsWith(host, "127.")) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("server host '", host,
                   "' is not a loopback address; the load generator only drives a "
                   "server on this machine (127.0.0.1, ::1 or localhost)"));
}

// Per-repetition measurements of one latency population.
struct LatencySeries {
  std::vector<double> p50, p95, p99, max, mean, qps;
  int64_t ok = 0;

  void Add(std::vector<double> ms, double wall_seconds) {
    std::sort(ms.begin(), ms.end());
    ok += static_cast<int64_t>(ms.size());
    qps.push_back(wall_seconds > 0 ? static_cast<double>(ms.size()) / wall_seconds : 0.0);
    if (ms.empty()) return;  // percentiles of nothing are not measurements
    p50.push_back(Percentile(ms, 50));
    p95.push_back(Percentile(ms, 95));
    p99.push_back(Percentile(ms, 99));
    max.push_back(ms.back());
    mean.push_back(std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size()));
  }
  Json LatencyJson() const {
    return Json{{"p50", SpreadToJson(Summarize(p50))},
                {"p95", SpreadToJson(Summarize(p95))},
                {"p99", SpreadToJson(Summarize(p99))},
                {"max", SpreadToJson(Summarize(max))},
                {"mean", SpreadToJson(Summarize(mean))}};
  }
};

// Sends each kind's first request once with `send`: the connection is made, lazy server state
// is built and an unreachable server is reported before any timing starts.
absl::Status Prime(absl::FunctionRef<absl::Status(const LoadRequest&)> send,
                   const std::array<std::vector<LoadRequest>, 3>& requests, const QueryMix& mix) {
  absl::Status last = absl::OkStatus();
  bool any_ok = false;
  for (const Modality m : kAllModalities) {
    const auto& of_kind = requests[static_cast<int>(m)];
    if (mix.weight(m) <= 0 || of_kind.empty()) continue;
    const absl::Status s = send(of_kind.front());
    if (s.ok()) {
      any_ok = true;
    } else {
      last = s;
    }
  }
  if (any_ok) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("no warm-up request succeeded; the last said: ", last.ToString()));
}

}  // namespace

absl::Status ValidateLoadOptions(const LoadRunOptions& o) {
  XM_RETURN_IF_ERROR(CheckLoopback(o.server));
  if (o.transport != kGrpc && o.transport != kHttp) {
    return absl::InvalidArgumentError(
        absl::StrCat("transport '", o.transport, "' is neither ", kGrpc, " nor ", kHttp));
  }
  if (o.concurrency < 1 || o.concurrency > 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("concurrency ", o.concurrency, " is outside 1..1024"));
  }
  if (!Positive(o.seconds)) {
    return absl::InvalidArgumentError(absl::StrCat("seconds ", o.seconds, " is not positive"));
  }
  if (!std::isfinite(o.warmup_seconds) || o.warmup_seconds < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("warm-up seconds ", o.warmup_seconds, " is negative"));
  }
  if (o.repetitions < 1 || o.repetitions > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("repetitions ", o.repetitions, " is outside 1..100"));
  }
  if (o.max_requests < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max requests ", o.max_requests, " is negative"));
  }
  if (!std::isfinite(o.rate_qps) || o.rate_qps < 0) {
    return absl::InvalidArgumentError(absl::StrCat("rate ", o.rate_qps, " QPS is negative"));
  }
  if (o.k < 1 || o.k > engine::kDefaultMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k ", o.k, " is outside 1..", engine::kDefaultMaxK));
  }
  if (!Positive(o.deadline_seconds)) {
    return absl::InvalidArgumentError(
        absl::StrCat("deadline ", o.deadline_seconds, " s is not positive"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> RunLoad(const LoadRunOptions& options, const QuerySet& queries) {
  XM_RETURN_IF_ERROR(ValidateLoadOptions(options));
  XM_RETURN_IF_ERROR(CheckMixCovered(options.mix, queries));
  if (options.server_pid > 0) XM_RETURN_IF_ERROR(SampleProcess(options.server_pid).status());
  auto requests = BuildRequests(queries, options.k, options.targets);
  const bool http = options.transport == kHttp;
  std::vector<std::unique_ptr<client::XmodalClient>> grpc_clients;
  std::vector<std::unique_ptr<HttpSearchClient>> http_clients;
  if (http) {
    XM_RETURN_IF_ERROR(AddJsonBodies(requests));
    for (int i = 0; i < options.concurrency; ++i) {
      XM_ASSIGN_OR_RETURN(auto c,
                          HttpSearchClient::Create(options.server, options.deadline_seconds));
      http_clients.push_back(std::move(c));
    }
    xmodal::v1::SearchResponse response;
    for (const auto& c : http_clients) {
      XM_RETURN_IF_ERROR(
          Prime([&](const LoadRequest& r) { return c->Search(r.json_body, &response); }, requests,
                options.mix));
    }
  } else {
    for (int i = 0; i < options.concurrency; ++i) {
      XM_ASSIGN_OR_RETURN(
          auto c, client::XmodalClient::Connect(options.server,
                                                {.deadline_seconds = options.deadline_seconds}));
      grpc_clients.push_back(std::move(c));
    }
    for (const auto& c : grpc_clients) {
      XM_RETURN_IF_ERROR(Prime([&](const LoadRequest& r) { return c->Search(r.request).status(); },
                               requests, options.mix));
    }
  }
  auto run_interval = [&](const IntervalPlan& plan) {
    return http ? RunHttpInterval(plan, options.mix, requests, http_clients)
                : RunInterval(plan, options.mix, requests, grpc_clients);
  };
  if (options.warmup_seconds > 0) {
    run_interval({.concurrency = options.concurrency,
                  .seconds = options.warmup_seconds,
                  .seed = options.seed + 999});
  }

  LatencySeries all;
  std::array<LatencySeries, 3> by_kind;
  std::map<std::string, int64_t> errors;
  std::map<std::string, std::string> error_examples;
  int64_t sent = 0;
  std::vector<double> cpu_cores, rss;
  int64_t peak_rss = 0;
  for (int rep = 0; rep < options.repetitions; ++rep) {
    std::optional<ProcessSample> before;
    if (options.server_pid > 0) {
      XM_ASSIGN_OR_RETURN(before, SampleProcess(options.server_pid));
    }
    Stopwatch wall;
    IntervalSamples s = run_interval({.concurrency = options.concurrency,
                                      .seconds = options.seconds,
                                      .max_requests = options.max_requests,
                                      .rate_qps = options.rate_qps,
                                      .seed = options.seed + static_cast<uint64_t>(rep)});
    if (before.has_value()) {
      XM_ASSIGN_OR_RETURN(ProcessSample after, SampleProcess(options.server_pid));
      cpu_cores.push_back((after.cpu_seconds - before->cpu_seconds) / wall.ElapsedSeconds());
      rss.push_back(static_cast<double>(after.rss_bytes));
      peak_rss = std::max(peak_rss, after.peak_rss_bytes);
    }
    std::vector<double> pooled;
    for (int i = 0; i < 3; ++i) {
      pooled.insert(pooled.end(), s.latency_ms[i].begin(), s.latency_ms[i].end());
      if (options.mix.weights[i] > 0) by_kind[i].Add(s.latency_ms[i], s.wall_seconds);
    }
    all.Add(std::move(pooled), s.wall_seconds);
    for (const auto& [code, count] : s.errors) errors[code] += count;
    error_examples.insert(s.error_examples.begin(), s.error_examples.end());
    sent += s.requests;
  }

  Json run{{"mode", options.rate_qps > 0 ? "open" : "closed"},
           {"transport", options.transport},
           {"concurrency", options.concurrency},
           {"target_rate_qps", options.rate_qps},
           {"seconds", options.seconds},
           {"warmup_seconds", options.warmup_seconds},
           {"repetitions", options.repetitions},
           {"max_requests", options.max_requests},
           {"k", options.k},
           {"mix", QueryMixToString(options.mix)},
           {"target_modalities", TargetModalitiesToString(options.targets)},
           {"requests", sent},
           {"ok", all.ok},
           {"errors", Json(errors)},
           {"error_examples", Json(error_examples)},
           {"qps", SpreadToJson(Summarize(all.qps))},
           {"latency_ms", all.LatencyJson()}};
  Json kinds = Json::object();
  for (const Modality m : kAllModalities) {
    const LatencySeries& s = by_kind[static_cast<int>(m)];
    if (options.mix.weight(m) <= 0) continue;
    kinds[std::string(ModalityName(m))] = Json{
        {"ok", s.ok}, {"qps", SpreadToJson(Summarize(s.qps))}, {"latency_ms", s.LatencyJson()}};
  }
  run["by_kind"] = kinds;
  if (!options.label.empty()) run["label"] = options.label;
  run["server"] = options.server_pid > 0 ? Json{{"pid", options.server_pid},
                                                {"cpu_cores", SpreadToJson(Summarize(cpu_cores))},
                                                {"rss_bytes", SpreadToJson(Summarize(rss))},
                                                {"peak_rss_bytes", peak_rss}}
                                         : Json(nullptr);
  return run;
}

}  // namespace xmodal::bench
