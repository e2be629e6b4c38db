// One measured interval of load: the workers, the query choice and the raw samples, over gRPC
// (load_interval.cc) or HTTP (load_interval_http.cc). Internal to load_gen.cc; exposed for its
// summarising code and tests.
#ifndef XMODAL_BENCHMARKS_LIB_LOAD_INTERVAL_H_
#define XMODAL_BENCHMARKS_LIB_LOAD_INTERVAL_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "benchmarks/lib/http_search_client.h"
#include "benchmarks/lib/query_set.h"
#include "client/client.h"
#include "core/base/modality.h"

namespace xmodal::bench {

// A prepared request and its kind.
struct LoadRequest {
  Modality kind = Modality::kText;
  xmodal::v1::SearchRequest request;
  std::string json_body;  // `request` as POST /v1/search's body; only set for the HTTP transport
};

// Requests for every query in `set`, grouped by kind (index = Modality).
std::array<std::vector<LoadRequest>, 3> BuildRequests(const QuerySet& set, int k,
                                                      const std::vector<Modality>& targets);

// Sets every request's json_body (SearchRequestToJson). Errors: SearchRequestToJson's.
absl::Status AddJsonBodies(std::array<std::vector<LoadRequest>, 3>& requests);

// Chooses requests by kind weight (kinds without requests weigh 0), then uniformly within the
// kind, from `seed`. One per client slot: not thread-safe.
class RequestChooser {
 public:
  // `requests` must outlive the chooser.
  RequestChooser(const QueryMix& mix, const std::array<std::vector<LoadRequest>, 3>& requests,
                 uint64_t seed);
  // Null when the chosen kind has no requests (only when no kind has any).
  const LoadRequest* Next();

 private:
  const std::array<std::vector<LoadRequest>, 3>& requests_;
  std::mt19937_64 rng_;
  std::discrete_distribution<int> kinds_;
};

struct IntervalSamples {
  double wall_seconds = 0.0;
  std::array<std::vector<double>, 3> latency_ms;      // successful requests, by kind
  std::map<std::string, int64_t> errors;              // status code name -> count
  int64_t requests = 0;                               // sent, successful or not
  std::map<std::string, std::string> error_examples;  // status code name -> a full status
};

struct IntervalPlan {
  int concurrency = 1;
  double seconds = 1;
  int64_t max_requests = 0;  // 0: unbounded
  double rate_qps = 0;       // > 0: open loop
  uint64_t seed = 1;
};

// Runs `plan` and returns the samples: `plan.concurrency` slots, slot i sending on clients[i]
// (so clients must be at least that long) with its own seeded query choice, all driven from
// the calling thread through one completion queue. Kinds are drawn with `mix` among those with
// requests.
IntervalSamples RunInterval(const IntervalPlan& plan, const QueryMix& mix,
                            const std::array<std::vector<LoadRequest>, 3>& requests,
                            const std::vector<std::unique_ptr<client::XmodalClient>>& clients);

// RunInterval over HTTP: slot i sends json_body (AddJsonBodies) on clients[i]. cpp-httplib's
// client blocks, so each slot has its own thread; it claims its next request and due time from
// the shared schedule when its last one returns, exactly as RunInterval's slots do, and sleeps
// until it is due (open loop). Errors are counted under the code the server's JSON names.
IntervalSamples RunHttpInterval(const IntervalPlan& plan, const QueryMix& mix,
                                const std::array<std::vector<LoadRequest>, 3>& requests,
                                const std::vector<std::unique_ptr<HttpSearchClient>>& clients);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_LOAD_INTERVAL_H_
