// RunHttpInterval: RunInterval's schedule and samples over HTTP, a thread per client slot.
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "benchmarks/lib/load_interval.h"

namespace xmodal::bench {
namespace {

using Clock = std::chrono::steady_clock;

double MillisBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

IntervalSamples RunHttpInterval(const IntervalPlan& plan, const QueryMix& mix,
                                const std::array<std::vector<LoadRequest>, 3>& requests,
                                const std::vector<std::unique_ptr<HttpSearchClient>>& clients) {
  const bool open_loop = plan.rate_qps > 0;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(plan.seconds));
  std::mutex mu;
  int64_t claimed = 0;  // guarded by mu
  // Gives a slot its next request and due time from the shared schedule, unless the interval
  // is over for it (RunInterval's claim).
  auto claim = [&](RequestChooser& chooser, Clock::time_point* due) -> const LoadRequest* {
    std::lock_guard lock(mu);
    if (plan.max_requests > 0 && claimed >= plan.max_requests) return nullptr;
    *due = open_loop
               ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                             static_cast<double>(claimed) / plan.rate_qps))
               : Clock::now();
    if (*due >= end) return nullptr;
    const LoadRequest* request = chooser.Next();
    if (request != nullptr) ++claimed;
    return request;
  };

  std::vector<IntervalSamples> per_slot(static_cast<size_t>(plan.concurrency));
  std::vector<std::thread> threads;
  threads.reserve(per_slot.size());
  for (size_t w = 0; w < per_slot.size(); ++w) {
    threads.emplace_back([&, w] {
      RequestChooser chooser(mix, requests, plan.seed * 1000003 + w);
      IntervalSamples& out = per_slot[w];
      HttpSearchClient& client = *clients[w];
      xmodal::v1::SearchResponse response;
      Clock::time_point due;
      while (const LoadRequest* request = claim(chooser, &due)) {
        std::this_thread::sleep_until(due);
        const absl::Status status = client.Search(request->json_body, &response);
        const Clock::time_point done = Clock::now();
        ++out.requests;
        if (status.ok()) {
          out.latency_ms[static_cast<int>(request->kind)].push_back(MillisBetween(due, done));
        } else {
          const std::string code = absl::StatusCodeToString(status.code());
          ++out.errors[code];
          out.error_examples.emplace(code, status.ToString());
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  IntervalSamples merged;
  for (IntervalSamples& s : per_slot) {
    for (int i = 0; i < 3; ++i) {
      merged.latency_ms[i].insert(merged.latency_ms[i].end(), s.latency_ms[i].begin(),
                                  s.latency_ms[i].end());
    }
    for (const auto& [code, count] : s.errors) merged.errors[code] += count;
    merged.error_examples.insert(s.error_examples.begin(), s.error_examples.end());
    merged.requests += s.requests;
  }
  merged.wall_seconds = MillisBetween(start, Clock::now()) / 1000.0;
  return merged;
}

}  // namespace xmodal::bench
