// The synchronous gRPC xmodal.v1.Xmodal service: a thin adapter over the transport-neutral Api
// (api.h), which does the work. It turns the call's ServerContext into a CallControl (the
// client's deadline and cancellation), maps the Api's status to a gRPC status
// (rpc/status_mapping.h) and counts each call in the metrics with transport "grpc".
// Thread-safe: gRPC calls the handlers from many threads at once.
#ifndef XMODAL_SERVER_XMODAL_SERVICE_H_
#define XMODAL_SERVER_XMODAL_SERVICE_H_

#include "server/api.h"
#include "xmodal/v1/xmodal.grpc.pb.h"

namespace xmodal::server {

class XmodalService final : public xmodal::v1::Xmodal::Service {
 public:
  // `api` must outlive the service.
  explicit XmodalService(Api* api) : api_(*api) {}

  grpc::Status Search(grpc::ServerContext* context, const xmodal::v1::SearchRequest* request,
                      xmodal::v1::SearchResponse* response) override;
  grpc::Status Embed(grpc::ServerContext* context, const xmodal::v1::EmbedRequest* request,
                     xmodal::v1::EmbedResponse* response) override;
  grpc::Status GetItem(grpc::ServerContext* context, const xmodal::v1::GetItemRequest* request,
                       xmodal::v1::GetItemResponse* response) override;
  grpc::Status GetInfo(grpc::ServerContext* context, const xmodal::v1::GetInfoRequest* request,
                       xmodal::v1::GetInfoResponse* response) override;

 private:
  Api& api_;
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_XMODAL_SERVICE_H_
