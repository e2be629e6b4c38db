// The synchronous xmodal.v1.Xmodal service over an engine::Searcher: validates and translates
// each request, runs it on the searcher and maps the outcome to a gRPC status (status_mapping.h)
// with the engine's message. A handler gives up between stages once the client has cancelled or
// its deadline has passed. No exception escapes a handler (anything thrown becomes INTERNAL).
// Search and Embed (decoding, encoding, search: the CPU work) run on a WorkPool with a worker per
// thread of the budget; calls beyond it wait for one (work_pool.h), and a worker answers the
// Search calls waiting then together (search_batcher.h). GetItem and GetInfo (store reads;
// GetItem with bytes also reads the item's file, core/engine/item_content.h) run on the
// call's own thread and do not wait.
// Thread-safe: gRPC calls the handlers from many threads at once.
#ifndef XMODAL_SERVER_XMODAL_SERVICE_H_
#define XMODAL_SERVER_XMODAL_SERVICE_H_

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/engine/searcher.h"
#include "server/search_batcher.h"
#include "server/work_pool.h"
#include "xmodal/v1/xmodal.grpc.pb.h"

namespace xmodal::server {

// "xmodal <project version>", reported by GetInfo.
absl::string_view ServerVersion();

class XmodalService final : public xmodal::v1::Xmodal::Service {
 public:
  // `searcher` must not be null; it checks SearchRequest.k against its SearchLimits::max_k.
  // `workers` (>= 1) calls may search or embed at once; a worker answers up to `search_batch`
  // (>= 1) waiting Search calls together.
  XmodalService(std::shared_ptr<const engine::Searcher> searcher, int workers, int search_batch);

  grpc::Status Search(grpc::ServerContext* context, const xmodal::v1::SearchRequest* request,
                      xmodal::v1::SearchResponse* response) override;
  grpc::Status Embed(grpc::ServerContext* context, const xmodal::v1::EmbedRequest* request,
                     xmodal::v1::EmbedResponse* response) override;
  grpc::Status GetItem(grpc::ServerContext* context, const xmodal::v1::GetItemRequest* request,
                       xmodal::v1::GetItemResponse* response) override;
  grpc::Status GetInfo(grpc::ServerContext* context, const xmodal::v1::GetInfoRequest* request,
                       xmodal::v1::GetInfoResponse* response) override;

 private:
  // Runs `work` on the pool; the give-up status if the client gave up before it could start.
  absl::Status RunOnWorkPool(const grpc::ServerContext& context, absl::string_view rpc,
                             absl::FunctionRef<absl::Status()> work);

  const std::shared_ptr<const engine::Searcher> searcher_;
  WorkPool work_pool_;
  SearchBatcher search_batcher_;  // on work_pool_
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_XMODAL_SERVICE_H_
