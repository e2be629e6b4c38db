#include "benchmarks/lib/load_interval.h"

#include <chrono>
#include <optional>
#include <queue>
#include <random>

#include "absl/status/status.h"
#include "rpc/modality_mapping.h"
#include "rpc/status_mapping.h"

namespace xmodal::bench {
namespace {

using Clock = std::chrono::steady_clock;

double MillisBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// A client slot: one of `concurrency` requests that are in flight (or due) at once, each on its
// own connection and with its own query choice, as separate clients would be.
struct Slot {
  int index = 0;
  std::optional<RequestChooser> chooser;
  const LoadRequest* request = nullptr;
  Clock::time_point due;  // latency counts from here
  std::unique_ptr<client::XmodalClient::AsyncSearch> call;
};

// Due times of slots waiting to send, earliest first.
struct LaterDue {
  bool operator()(const Slot* a, const Slot* b) const { return a->due > b->due; }
};

}  // namespace

RequestChooser::RequestChooser(const QueryMix& mix,
                               const std::array<std::vector<LoadRequest>, 3>& requests,
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

const LoadRequest* RequestChooser::Next() {
  const auto& of_kind = requests_[kinds_(rng_)];
  if (of_kind.empty()) return nullptr;
  return &of_kind[std::uniform_int_distribution<size_t>(0, of_kind.size() - 1)(rng_)];
}

absl::Status AddJsonBodies(std::array<std::vector<LoadRequest>, 3>& requests) {
  for (auto& of_kind : requests) {
    for (LoadRequest& r : of_kind) {
      absl::StatusOr<std::string> body = SearchRequestToJson(r.request);
      if (!body.ok()) return body.status();
      r.json_body = *std::move(body);
    }
  }
  return absl::OkStatus();
}

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
  // One thread drives every slot through a completion queue: with a thread per client, the
  // generator's own wake-ups took as much CPU as a fifth of the server's on our 2 cores.
  IntervalSamples out;
  const bool open_loop = plan.rate_qps > 0;
  const Clock::time_point start = Clock::now();
  const Clock::time_point end = start + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(plan.seconds));
  int64_t claimed = 0;
  std::vector<Slot> slots(static_cast<size_t>(plan.concurrency));
  std::priority_queue<Slot*, std::vector<Slot*>, LaterDue> waiting;
  // Gives `slot` its next request and due time, unless the interval is over for it.
  auto claim = [&](Slot& slot) {
    const int64_t n = claimed;
    if (plan.max_requests > 0 && n >= plan.max_requests) return;
    slot.due =
        open_loop
            ? start + std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double>(static_cast<double>(n) / plan.rate_qps))
            : Clock::now();
    if (slot.due >= end) return;
    slot.request = slot.chooser->Next();
    if (slot.request == nullptr) return;
    ++claimed;
    waiting.push(&slot);
  };
  for (size_t w = 0; w < slots.size(); ++w) {
    slots[w].index = static_cast<int>(w);
    slots[w].chooser.emplace(mix, requests, plan.seed * 1000003 + w);
    claim(slots[w]);
  }
  grpc::CompletionQueue cq;
  int in_flight = 0;
  while (true) {
    const Clock::time_point now = Clock::now();
    while (!waiting.empty() && waiting.top()->due <= now) {
      Slot& slot = *waiting.top();
      waiting.pop();
      slot.call = std::make_unique<client::XmodalClient::AsyncSearch>();
      clients[static_cast<size_t>(slot.index)]->StartSearch(slot.request->request, &cq, &slot,
                                                            slot.call.get());
      ++in_flight;
    }
    if (in_flight == 0 && waiting.empty()) break;
    void* tag = nullptr;
    bool ok = false;
    const auto deadline = waiting.empty()
                              ? std::chrono::system_clock::now() + std::chrono::hours(1)
                              : std::chrono::system_clock::now() + (waiting.top()->due - now);
    if (cq.AsyncNext(&tag, &ok, deadline) != grpc::CompletionQueue::GOT_EVENT) continue;
    Slot& slot = *static_cast<Slot*>(tag);
    --in_flight;
    const Clock::time_point done = Clock::now();
    ++out.requests;
    if (slot.call->status.ok()) {
      out.latency_ms[static_cast<int>(slot.request->kind)].push_back(MillisBetween(slot.due, done));
    } else {
      const absl::Status status = rpc::FromGrpcStatus(slot.call->status);
      const std::string code = absl::StatusCodeToString(status.code());
      ++out.errors[code];
      out.error_examples.emplace(code, status.ToString());
    }
    claim(slot);
  }
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) {
  }
  out.wall_seconds = MillisBetween(start, Clock::now()) / 1000.0;
  return out;
}

}  // namespace xmodal::bench
