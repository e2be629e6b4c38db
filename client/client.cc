#include "client/client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <chrono>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "server/status_mapping.h"

namespace xmodal::client {
namespace {

// A context whose deadline is `seconds` from now.
void SetDeadline(grpc::ClientContext* context, double seconds) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            std::chrono::duration<double>(seconds)));
}

// Runs one unary call `method` on `stub` and returns its response or the mapped status.
template <typename Response, typename Request, typename Method>
absl::StatusOr<Response> Call(xmodal::v1::Xmodal::Stub* stub, Method method, const Request& request,
                              double deadline_seconds) {
  grpc::ClientContext context;
  SetDeadline(&context, deadline_seconds);
  Response response;
  const grpc::Status status = (stub->*method)(&context, request, &response);
  if (!status.ok()) return rpc::FromGrpcStatus(status);
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<XmodalClient>> XmodalClient::Connect(const std::string& target,
                                                                    const ClientOptions& options) {
  if (target.empty()) {
    return absl::InvalidArgumentError("the server address is empty: give host:port");
  }
  if (!std::isfinite(options.deadline_seconds) || options.deadline_seconds <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the deadline must be a positive number of seconds, got ", options.deadline_seconds));
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  return std::make_unique<XmodalClient>(Token(), std::move(channel), options);
}

XmodalClient::XmodalClient(Token, std::shared_ptr<grpc::Channel> channel,
                           const ClientOptions& options)
    : channel_(std::move(channel)),
      stub_(xmodal::v1::Xmodal::NewStub(channel_)),
      options_(options) {}

absl::StatusOr<xmodal::v1::SearchResponse> XmodalClient::Search(
    const xmodal::v1::SearchRequest& request) {
  return Call<xmodal::v1::SearchResponse>(stub_.get(), &xmodal::v1::Xmodal::Stub::Search, request,
                                          options_.deadline_seconds);
}

void XmodalClient::StartSearch(const xmodal::v1::SearchRequest& request, grpc::CompletionQueue* cq,
                               void* tag, AsyncSearch* call) {
  SetDeadline(&call->context, options_.deadline_seconds);
  call->reader = stub_->AsyncSearch(&call->context, request, cq);
  call->reader->Finish(&call->response, &call->status, tag);
}

absl::StatusOr<xmodal::v1::EmbedResponse> XmodalClient::Embed(
    const xmodal::v1::EmbedRequest& request) {
  return Call<xmodal::v1::EmbedResponse>(stub_.get(), &xmodal::v1::Xmodal::Stub::Embed, request,
                                         options_.deadline_seconds);
}

absl::StatusOr<xmodal::v1::GetItemResponse> XmodalClient::GetItem(
    const xmodal::v1::GetItemRequest& request) {
  return Call<xmodal::v1::GetItemResponse>(stub_.get(), &xmodal::v1::Xmodal::Stub::GetItem, request,
                                           options_.deadline_seconds);
}

absl::StatusOr<xmodal::v1::GetInfoResponse> XmodalClient::GetInfo() {
  return Call<xmodal::v1::GetInfoResponse>(stub_.get(), &xmodal::v1::Xmodal::Stub::GetInfo,
                                           xmodal::v1::GetInfoRequest(), options_.deadline_seconds);
}

}  // namespace xmodal::client
