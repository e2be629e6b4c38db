// The xmodal.v1 API independent of its transport: validates and translates each request, runs it
// on the searcher and reports the outcome as an absl::Status with the engine's message. gRPC
// (xmodal_service.h) and HTTP (http_api.h) are thin adapters over one Api, so both share the
// work pool, the search batcher, the limits and the metrics: an HTTP search is as fast and as
// bounded as a gRPC one.
//
// Search and Embed (decoding, encoding, search: the CPU work) run on a WorkPool with a worker
// per thread of the budget; calls beyond it wait for one (work_pool.h), and a worker answers the
// Search calls waiting then together (search_batcher.h). GetItem, GetInfo and the item content
// (store reads; content also reads the item's file, core/engine/item_content.h) run on the
// caller's thread and do not wait. A call gives up between stages once its CallControl says the
// client has gone or its deadline has passed. Nothing thrown escapes (it becomes INTERNAL).
//
// Thread-safe: transports call it from many threads at once.
#ifndef XMODAL_SERVER_API_H_
#define XMODAL_SERVER_API_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/engine/searcher.h"
#include "server/metrics.h"
#include "server/search_batcher.h"
#include "server/work_pool.h"
#include "xmodal/v1/xmodal.pb.h"

namespace xmodal::server {

// "xmodal <project version>", reported by GetInfo.
absl::string_view ServerVersion();

// What the transport knows about one call's client.
struct CallControl {
  // When the client stops waiting; max(): never.
  std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();
  // True once the client has cancelled (or gone); empty: never.
  std::function<bool()> cancelled;

  bool DeadlinePassed() const { return std::chrono::system_clock::now() > deadline; }
  bool GaveUp() const { return (cancelled && cancelled()) || DeadlinePassed(); }
  // For when GaveUp(): DEADLINE_EXCEEDED if the deadline passed, else CANCELLED, naming `call`.
  absl::Status GaveUpStatus(absl::string_view call) const;
};

class Api {
 public:
  // `searcher` and `metrics` must not be null; `metrics` must outlive the Api. `workers` (>= 1)
  // calls may search or embed at once; a worker answers up to `search_batch` (>= 1) waiting
  // Search calls together.
  Api(std::shared_ptr<const engine::Searcher> searcher, int workers, int search_batch,
      Metrics* metrics);

  // Each returns the status the client gets: INVALID_ARGUMENT naming the field at fault
  // (request_translation.h), the engine's errors (engine/searcher.h), CANCELLED or
  // DEADLINE_EXCEEDED when the client gave up, INTERNAL for anything thrown. On OK the response
  // is filled. The stage timings of Search and Embed go to the metrics; the transports count
  // the calls themselves (they see errors that never reach the Api).
  absl::Status Search(const CallControl& call, const xmodal::v1::SearchRequest& request,
                      xmodal::v1::SearchResponse* response);
  absl::Status Embed(const CallControl& call, const xmodal::v1::EmbedRequest& request,
                     xmodal::v1::EmbedResponse* response);
  absl::Status GetItem(const CallControl& call, const xmodal::v1::GetItemRequest& request,
                       xmodal::v1::GetItemResponse* response);
  absl::Status GetInfo(const CallControl& call, xmodal::v1::GetInfoResponse* response);
  // The item and its content (the bytes GetItem with include_bytes returns), for transports
  // that send the bytes themselves. Errors as GetItem.
  absl::StatusOr<engine::ItemWithBytes> GetItemWithContent(const CallControl& call,
                                                           const std::string& item_id);

  // The gauges /metrics reports, sampled now (everything but the thumbnail cache).
  ServingSnapshot Snapshot() const;
  Metrics& metrics() const { return *metrics_; }
  const engine::SearchLimits& limits() const { return searcher_->limits(); }

 private:
  // Runs `work` on the pool; the give-up status if the client gave up before it could start.
  // `queue_seconds` receives the wait for a worker.
  absl::Status RunOnWorkPool(const CallControl& call, absl::string_view name,
                             absl::FunctionRef<absl::Status()> work, double* queue_seconds);

  const std::shared_ptr<const engine::Searcher> searcher_;
  Metrics* const metrics_;
  WorkPool work_pool_;
  SearchBatcher search_batcher_;  // on work_pool_
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_API_H_
