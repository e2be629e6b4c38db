#include "benchmarks/lib/load_interval.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <random>
#include <thread>

#include "absl/status/status.h"
#include "server/modality_mapping.h"

namespace xmodal::bench {
namespace {

using Clock = std::chrono::steady_clock;

double MillisBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Chooses requests by kind weight, then uniformly within the kind. One per worker.
class Chooser {
 public:
  Chooser(const QueryMix& mix, const std::array<std::vector<LoadRequest>, 3>& requests,
          uint64_t seed)
      : requests_(requests), rng_(seed) {
    std::array<double, 3> w{};
    for (const Modality m : kAllModalities) {
      const int i = static_cast<int>(m);
      w[i] = requests[i].empty() ? 0.0 : mix.weight(m);
    }
    if (w[0] + w[1] + w[2] <= 0) w = {1, 1, 1};  // callers check coverage; stay defined
    kinds_ = std::discrete_distribution<int>(w.begin(), w.end());
  }
  const LoadRequest* Next() {
    const auto& of_kind = requests_[kinds_(rng_)];
    if (of_kind.empty()) return nullptr;
    return &of_kind[std::uniform_int_distribution<size_t>(0, of_kind.size() - 1)(rng_)];
  }

 private:
  const std::array<std::vector<LoadRequest>, 3>& requests_;
  std::mt19937_64 rng_;
  std::discrete_distribution<int> kinds_;
};

// What one worker measured; merged at the end so workers share nothing while running.
struct WorkerSamples {
  std::array<std::vector<double>, 3> latency_ms;
  std::map<std::string, int64_t> errors;
  int64_t requests = 0;
  std::map<std::string, std::string> error_examples;
};

void Send(client::XmodalClient& client, const LoadRequest& req, Clock::time_point started,
          WorkerSamples& out) {
  absl::StatusOr<xmodal::v1::SearchResponse> response = client.Search(req.request);
  const Clock::time_point done = Clock::now();
  ++out.requests;
  if (response.ok()) {
    out.latency_ms[static_cast<int>(req.kind)].push_back(MillisBetween(started, done));
  } else {
    const std::string code = absl::StatusCodeToString(response.status().code());
    ++out.errors[code];
    out.error_examples.emplace(code, response.status().ToString());
  }
}

}  // namespace

std::array<std::vector<LoadRequest>, 3> BuildRequests(const QuerySet& set, int k,
                                                      const std::vector<Modality>& targets) {
  std::array<std::vector<LoadRequest>, 3> out;
  for (const Modality kind : kAllModalities) {
    for (const std::string& payload : set.of(kind)) {
      LoadRequest r{.kind = kind};
      xmodal::v1::Query* query = r.request.mutable_query();
      switch (kind) {
        case Modality::kText:
          query->set_text(payload);
          break;
        case Modality::kImage:
          query->set_image(payload);
          break;
        case Modality::kAudio:
          query->set_audio(payload);
          break;
      }
      r.request.set_k(k);
      for (const Modality t : targets) r.request.add_targets(rpc::ToProtoModality(t));
      out[static_cast<int>(kind)].push_back(std::move(r));
    }
  }
  return out;
}

IntervalSamples RunInterval(const IntervalPlan& plan, const QueryMix& mix,
                            const std::array<std::vector<LoadRequest>, 3>& requests,
                            const std::vector<std::unique_ptr<client::XmodalClient>>& clients) {
  std::vector<WorkerSamples> samples(static_cast<size_t>(plan.concurrency));
  std::atomic<int64_t> claimed{0};
  const bool open_loop = plan.rate_qps > 0;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(plan.seconds));
  auto worker = [&](int w) {
    Chooser chooser(mix, requests, plan.seed * 1000003 + static_cast<uint64_t>(w));
    WorkerSamples& out = samples[static_cast<size_t>(w)];
    while (true) {
      const int64_t n = claimed.fetch_add(1);
      if (plan.max_requests > 0 && n >= plan.max_requests) break;
      Clock::time_point due = Clock::now();
      if (open_loop) {
        due = start + std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double>(static_cast<double>(n) / plan.rate_qps));
        if (due >= end) break;
        std::this_thread::sleep_until(due);
      } else if (due >= end) {
        break;
      }
      const LoadRequest* req = chooser.Next();
      if (req == nullptr) break;
      Send(*clients[static_cast<size_t>(w)], *req, due, out);
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < plan.concurrency; ++w) threads.emplace_back(worker, w);
  for (std::thread& t : threads) t.join();

  IntervalSamples merged;
  merged.wall_seconds = MillisBetween(start, Clock::now()) / 1000.0;
  for (WorkerSamples& s : samples) {
    for (int i = 0; i < 3; ++i) {
      merged.latency_ms[i].insert(merged.latency_ms[i].end(), s.latency_ms[i].begin(),
                                  s.latency_ms[i].end());
    }
    for (const auto& [code, count] : s.errors) merged.errors[code] += count;
    merged.requests += s.requests;
    merged.error_examples.insert(s.error_examples.begin(), s.error_examples.end());
  }
  return merged;
}

}  // namespace xmodal::bench
