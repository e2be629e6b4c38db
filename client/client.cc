#include "client/client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <chrono>
#include <cmath>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "client/server_address.h"
#include "rpc/status_mapping.h"

namespace xmodal::client {
namespace {

// The payload that marks a status as "the server could not be reached".
constexpr char kUnreachableUrl[] = "type.xmodal.dev/xmodal.client.ServerUnreachable";

// A context whose deadline is `seconds` from now.
void SetDeadline(grpc::ClientContext* context, double seconds) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            std::chrono::duration<double>(seconds)));
}

// Runs one unary call `method` on `stub` and returns its response or the mapped status, marked
// unreachable when the call failed with UNAVAILABLE because `channel` is not connected.
template <typename Response, typename Request, typename Method>
absl::StatusOr<Response> Call(grpc::Channel* channel, xmodal::v1::Xmodal::Stub* stub, Method method,
                              const Request& request, double deadline_seconds) {
  grpc::ClientContext context;
  SetDeadline(&context, deadline_seconds);
  Response response;
  const grpc::Status status = (stub->*method)(&context, request, &response);
  if (status.ok()) return response;
  absl::Status mapped = rpc::FromGrpcStatus(status);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      channel->GetState(/*try_to_connect=*/false) != GRPC_CHANNEL_READY) {
    mapped.SetPayload(kUnreachableUrl, absl::Cord("1"));
  }
  return mapped;
}

}  // namespace

absl::StatusOr<std::unique_ptr<XmodalClient>> XmodalClient::Connect(const std::string& target,
                                                                    const ClientOptions& options) {
  absl::StatusOr<std::string> address = NormalizeServerAddress(target);
  if (!address.ok()) return address.status();
  if (!std::isfinite(options.deadline_seconds) || options.deadline_seconds <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the deadline must be a positive number of seconds, got ", options.deadline_seconds));
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(*address, grpc::InsecureChannelCredentials(), args);
  return std::make_unique<XmodalClient>(Token(), *std::move(address), std::move(channel), options);
}

XmodalClient::XmodalClient(Token, std::string target, std::shared_ptr<grpc::Channel> channel,
                           const ClientOptions& options)
    : target_(std::move(target)),
      channel_(std::move(channel)),
      stub_(xmodal::v1::Xmodal::NewStub(channel_)),
      options_(options) {}

absl::StatusOr<xmodal::v1::SearchResponse> XmodalClient::Search(
    const xmodal::v1::SearchRequest& request) {
  return Call<xmodal::v1::SearchResponse>(channel_.get(), stub_.get(),
                                          &xmodal::v1::Xmodal::Stub::Search, request,
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
  return Call<xmodal::v1::EmbedResponse>(channel_.get(), stub_.get(),
                                         &xmodal::v1::Xmodal::Stub::Embed, request,
                                         options_.deadline_seconds);
}

absl::StatusOr<xmodal::v1::GetItemResponse> XmodalClient::GetItem(
    const xmodal::v1::GetItemRequest& request) {
  return Call<xmodal::v1::GetItemResponse>(channel_.get(), stub_.get(),
                                           &xmodal::v1::Xmodal::Stub::GetItem, request,
                                           options_.deadline_seconds);
}

absl::StatusOr<xmodal::v1::GetInfoResponse> XmodalClient::GetInfo() {
  return Call<xmodal::v1::GetInfoResponse>(channel_.get(), stub_.get(),
                                           &xmodal::v1::Xmodal::Stub::GetInfo,
                                           xmodal::v1::GetInfoRequest(), options_.deadline_seconds);
}

bool IsServerUnreachable(const absl::Status& status) {
  return status.code() == absl::StatusCode::kUnavailable &&
         status.GetPayload(kUnreachableUrl).has_value();
}

}  // namespace xmodal::client
