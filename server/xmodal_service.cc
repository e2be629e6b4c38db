#include "server/xmodal_service.h"

#include <chrono>

#include "absl/functional/function_ref.h"
#include "rpc/status_mapping.h"

namespace xmodal::server {
namespace {

CallControl ToCallControl(grpc::ServerContext* context) {
  return {.deadline = context->deadline(),
          .cancelled = [context] { return context->IsCancelled(); }};
}

// Runs one call of `method` on the Api and counts it.
grpc::Status Serve(Api& api, absl::string_view method, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const CallControl&)> call) {
  const auto start = std::chrono::steady_clock::now();
  const absl::Status status = call(ToCallControl(context));
  api.metrics().RecordRequest(
      method, Transport::kGrpc, status.code(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return rpc::ToGrpcStatus(status);
}

}  // namespace

grpc::Status XmodalService::Search(grpc::ServerContext* context,
                                   const xmodal::v1::SearchRequest* request,
                                   xmodal::v1::SearchResponse* response) {
  return Serve(api_, "Search", context,
               [&](const CallControl& call) { return api_.Search(call, *request, response); });
}

grpc::Status XmodalService::Embed(grpc::ServerContext* context,
                                  const xmodal::v1::EmbedRequest* request,
                                  xmodal::v1::EmbedResponse* response) {
  return Serve(api_, "Embed", context,
               [&](const CallControl& call) { return api_.Embed(call, *request, response); });
}

grpc::Status XmodalService::GetItem(grpc::ServerContext* context,
                                    const xmodal::v1::GetItemRequest* request,
                                    xmodal::v1::GetItemResponse* response) {
  return Serve(api_, "GetItem", context,
               [&](const CallControl& call) { return api_.GetItem(call, *request, response); });
}

grpc::Status XmodalService::GetInfo(grpc::ServerContext* context,
                                    const xmodal::v1::GetInfoRequest* request,
                                    xmodal::v1::GetInfoResponse* response) {
  return Serve(api_, "GetInfo", context,
               [&](const CallControl& call) { return api_.GetInfo(call, response); });
}

}  // namespace xmodal::server
