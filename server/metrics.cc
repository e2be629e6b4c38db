#include "server/metrics.h"

#include <glog/logging.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace xmodal::server {

namespace metrics_internal {

template <size_t N>
void Histogram<N>::Observe(const std::array<double, N>& bounds, double value) {
  // Buckets are "less than or equal": the first bound >= value.
  const size_t bucket = std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin();
  ++counts[bucket];
  ++count;
  sum += value;
}

}  // namespace metrics_internal

namespace {

using Label = std::pair<absl::string_view, absl::string_view>;
using Labels = std::initializer_list<Label>;

constexpr std::array<absl::string_view, 5> kStageNames = {"queue", "decode", "encode", "search",
                                                          "fetch"};
constexpr std::array<absl::string_view, 3> kReloadOutcomeNames = {"swapped", "unchanged", "failed"};

// A sample value as Go's strconv.FormatFloat(v, 'g', -1) writes it (what the Prometheus client
// libraries emit): the shortest text that reads back as `v`, and +Inf, -Inf, NaN.
std::string FormatDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::general);
  return std::string(buffer, result.ptr);
}

// Label values escape backslash, double quote and line feed; HELP text only the first and last.
void AppendEscaped(std::string& out, absl::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void AppendFamily(std::string& out, absl::string_view name, absl::string_view type,
                  absl::string_view help) {
  absl::StrAppend(&out, "# HELP ", name, " ");
  AppendEscaped(out, help, /*quote=*/false);
  absl::StrAppend(&out, "\n# TYPE ", name, " ", type, "\n");
}

void AppendSampleSpan(std::string& out, absl::string_view name, std::span<const Label> labels,
                      absl::string_view value) {
  absl::StrAppend(&out, name);
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "" : ",", labels[i].first, "=\"");
      AppendEscaped(out, labels[i].second, /*quote=*/true);
      out += '"';
    }
    out += '}';
  }
  absl::StrAppend(&out, " ", value, "\n");
}

void AppendSample(std::string& out, absl::string_view name, Labels labels,
                  absl::string_view value) {
  AppendSampleSpan(out, name, std::span<const Label>(labels.begin(), labels.size()), value);
}

// _bucket (cumulative, le last), _sum and _count of one histogram series.
template <size_t N>
void AppendHistogram(std::string& out, absl::string_view name, Labels labels,
                     const std::array<double, N>& bounds,
                     const metrics_internal::Histogram<N>& histogram) {
  std::vector<Label> with_le(labels);
  with_le.emplace_back("le", "");
  const std::string bucket_name = absl::StrCat(name, "_bucket");
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= N; ++i) {
    cumulative += histogram.counts[i];
    const std::string le = i < N ? FormatDouble(bounds[i]) : "+Inf";
    with_le.back().second = le;
    AppendSampleSpan(out, bucket_name, with_le, absl::StrCat(cumulative));
  }
  AppendSample(out, absl::StrCat(name, "_sum"), labels, FormatDouble(histogram.sum));
  AppendSample(out, absl::StrCat(name, "_count"), labels, absl::StrCat(histogram.count));
}

void AppendGauge(std::string& out, absl::string_view name, absl::string_view help,
                 absl::string_view value) {
  AppendFamily(out, name, "gauge", help);
  AppendSample(out, name, {}, value);
}

double NowUnixSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

absl::string_view TransportName(Transport transport) {
  switch (transport) {
    case Transport::kGrpc:
      return "grpc";
    case Transport::kHttp:
      return "http";
  }
  return "unknown";
}

Metrics::Metrics() = default;

void Metrics::RecordRequest(absl::string_view method, Transport transport, absl::StatusCode code,
                            double seconds) {
  size_t code_index = static_cast<size_t>(code);
  if (code_index >= kNumCodes) code_index = static_cast<size_t>(absl::StatusCode::kUnknown);
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  const size_t transport_index = transport == Transport::kHttp ? 1 : 0;
  std::lock_guard lock(mu_);
  auto it = recorded_.requests.find(method);
  if (it == recorded_.requests.end()) {
    it = recorded_.requests.emplace(std::string(method), std::array<RequestSeries, 2>{}).first;
  }
  RequestSeries& series = it->second[transport_index];
  series.seen = true;
  ++series.codes[code_index];
  series.duration.Observe(kDurationBuckets, seconds);
}

void Metrics::RecordStages(const StageSeconds& stages) {
  const std::array<double, kNumStages> values = {stages.queue, stages.decode, stages.encode,
                                                 stages.search, stages.fetch};
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < kNumStages; ++i) {
    if (std::isfinite(values[i]) && values[i] >= 0) {
      recorded_.stages[i].Observe(kDurationBuckets, values[i]);
    }
  }
}

void Metrics::RecordSearchBatch(int size) {
  if (size < 1) return;
  std::lock_guard lock(mu_);
  recorded_.batch_sizes.Observe(kBatchSizeBuckets, size);
}

void Metrics::RecordReload(ReloadOutcome outcome) {
  const size_t index = static_cast<size_t>(outcome);
  if (index >= kReloadOutcomeNames.size()) return;
  std::lock_guard lock(mu_);
  ++recorded_.reloads[index];
}

void Metrics::RecordThumbnail(bool cache_hit) {
  std::lock_guard lock(mu_);
  ++recorded_.thumbnails[cache_hit ? 0 : 1];
}

std::string Metrics::RenderText(const ServingSnapshot& snapshot) const {
  const ProcessStats process = ReadProcessStats();
  for (const absl::Status& error : process.errors) {
    LOG_FIRST_N(WARNING, 8) << "process metric left out of /metrics: " << error;
  }
  return RenderText(snapshot, NowUnixSeconds(), process);
}

std::string Metrics::RenderText(const ServingSnapshot& snapshot, double now_unix_seconds,
                                const ProcessStats& process) const {
  Recorded recorded;
  {
    std::lock_guard lock(mu_);
    recorded = recorded_;
  }
  std::string out;
  out.reserve(16 << 10);

  AppendFamily(out, "xmodal_requests_total", "counter",
               "Calls answered, by method, transport and status code (gRPC's code names).");
  for (const auto& [method, by_transport] : recorded.requests) {
    for (size_t t = 0; t < by_transport.size(); ++t) {
      if (!by_transport[t].seen) continue;
      const absl::string_view transport = TransportName(static_cast<Transport>(t));
      for (size_t c = 0; c < kNumCodes; ++c) {
        if (by_transport[t].codes[c] == 0) continue;
        const std::string code = absl::StatusCodeToString(static_cast<absl::StatusCode>(c));
        AppendSample(out, "xmodal_requests_total",
                     {{"method", method}, {"transport", transport}, {"code", code}},
                     absl::StrCat(by_transport[t].codes[c]));
      }
    }
  }

  AppendFamily(out, "xmodal_request_duration_seconds", "histogram",
               "Time from a call's arrival to its answer, in seconds, by method and transport.");
  for (const auto& [method, by_transport] : recorded.requests) {
    for (size_t t = 0; t < by_transport.size(); ++t) {
      if (!by_transport[t].seen) continue;
      AppendHistogram(out, "xmodal_request_duration_seconds",
                      {{"method", method}, {"transport", TransportName(static_cast<Transport>(t))}},
                      kDurationBuckets, by_transport[t].duration);
    }
  }

  AppendFamily(out, "xmodal_stage_duration_seconds", "histogram",
               "Time calls spent in each stage of their work, in seconds: waiting for a worker "
               "(queue), decoding media, encoding, searching the indexes, fetching items.");
  for (size_t i = 0; i < kNumStages; ++i) {
    AppendHistogram(out, "xmodal_stage_duration_seconds", {{"stage", kStageNames[i]}},
                    kDurationBuckets, recorded.stages[i]);
  }

  AppendFamily(out, "xmodal_search_batch_size", "histogram",
               "Searches a worker answered together in one batch.");
  AppendHistogram(out, "xmodal_search_batch_size", {}, kBatchSizeBuckets, recorded.batch_sizes);

  AppendFamily(out, "xmodal_reloads_total", "counter",
               "Checks for a newly published generation, by outcome: swapped in, unchanged, or "
               "failed to load.");
  for (size_t i = 0; i < kReloadOutcomeNames.size(); ++i) {
    AppendSample(out, "xmodal_reloads_total", {{"outcome", kReloadOutcomeNames[i]}},
                 absl::StrCat(recorded.reloads[i]));
  }

  AppendFamily(out, "xmodal_thumbnails_total", "counter",
               "Thumbnails served, by whether the thumbnail cache held them.");
  AppendSample(out, "xmodal_thumbnails_total", {{"cache", "hit"}},
               absl::StrCat(recorded.thumbnails[0]));
  AppendSample(out, "xmodal_thumbnails_total", {{"cache", "miss"}},
               absl::StrCat(recorded.thumbnails[1]));

  AppendGauge(out, "xmodal_work_pool_workers", "Worker threads of the work pool.",
              absl::StrCat(snapshot.work_pool_workers));
  AppendGauge(out, "xmodal_work_pool_running", "Work running on the work pool now.",
              absl::StrCat(snapshot.work_pool_running));
  AppendGauge(out, "xmodal_work_pool_waiting", "Work queued for a worker of the work pool.",
              absl::StrCat(snapshot.work_pool_waiting));
  AppendGauge(out, "xmodal_search_waiting", "Search calls not yet taken up by a worker.",
              absl::StrCat(snapshot.search_waiting));

  const std::pair<absl::string_view, const std::map<Modality, int64_t>*> per_modality[] = {
      {"xmodal_vectors", &snapshot.vectors}, {"xmodal_items", &snapshot.items}};
  for (const auto& [name, values] : per_modality) {
    AppendFamily(out, name, "gauge",
                 name == "xmodal_vectors" ? "Vectors in the served generation's index, by modality."
                                          : "Items in the served generation, by modality.");
    for (const Modality modality : kAllModalities) {
      const auto it = values->find(modality);
      AppendSample(out, name, {{"modality", ModalityName(modality)}},
                   absl::StrCat(it == values->end() ? 0 : it->second));
    }
  }

  AppendGauge(out, "xmodal_generation", "The served generation of the collection (0: none).",
              absl::StrCat(snapshot.generation));
  const bool published_known = snapshot.generation_published_unix_seconds > 0;
  AppendGauge(out, "xmodal_generation_published_timestamp_seconds",
              "When the served generation was published, in Unix seconds (0: unknown).",
              absl::StrCat(published_known ? snapshot.generation_published_unix_seconds : 0));
  const double age =
      published_known
          ? std::max(0.0, now_unix_seconds -
                              static_cast<double>(snapshot.generation_published_unix_seconds))
          : 0.0;
  AppendGauge(out, "xmodal_generation_age_seconds",
              "Seconds since the served generation was published (0: unknown).", FormatDouble(age));
  AppendGauge(out, "xmodal_ready", "1 when the server answers searches, else 0.",
              snapshot.ready ? "1" : "0");
  AppendGauge(out, "xmodal_thumbnail_cache_bytes", "Bytes of thumbnails held in the cache.",
              absl::StrCat(snapshot.thumbnail_cache_bytes));
  AppendGauge(out, "xmodal_thumbnail_cache_entries", "Thumbnails held in the cache.",
              absl::StrCat(snapshot.thumbnail_cache_entries));

  // The standard process metrics (as the Prometheus client libraries name them); each one /proc
  // did not provide is left out.
  if (process.cpu_seconds) {
    AppendFamily(out, "process_cpu_seconds_total", "counter",
                 "Total user and system CPU time spent in seconds.");
    AppendSample(out, "process_cpu_seconds_total", {}, FormatDouble(*process.cpu_seconds));
  }
  if (process.open_fds) {
    AppendGauge(out, "process_open_fds", "Number of open file descriptors.",
                absl::StrCat(*process.open_fds));
  }
  if (process.max_fds) {
    AppendGauge(out, "process_max_fds", "Maximum number of open file descriptors.",
                absl::StrCat(*process.max_fds));
  }
  if (process.virtual_memory_bytes) {
    AppendGauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.",
                absl::StrCat(*process.virtual_memory_bytes));
  }
  if (process.resident_memory_bytes) {
    AppendGauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.",
                absl::StrCat(*process.resident_memory_bytes));
  }
  if (process.start_time_seconds) {
    AppendGauge(out, "process_start_time_seconds",
                "Start time of the process since unix epoch in seconds.",
                FormatDouble(*process.start_time_seconds));
  }
  if (process.threads) {
    AppendGauge(out, "process_threads", "Number of OS threads in the process.",
                absl::StrCat(*process.threads));
  }
  return out;
}

}  // namespace xmodal::server
