// A client for the xmodal.v1.Xmodal service: blocking calls, and StartSearch on a completion
// queue. Each call carries a deadline and returns the server's status code and message
// unchanged (status_mapping.h); transport failures come back as gRPC reports them
// (DEADLINE_EXCEEDED, ...), and a server that cannot be reached (nothing listens, the name does
// not resolve) as UNAVAILABLE marked so that IsServerUnreachable tells it from an answer.
// Thread-safe: calls may be made concurrently from many threads.
#ifndef XMODAL_CLIENT_CLIENT_H_
#define XMODAL_CLIENT_CLIENT_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "xmodal/v1/xmodal.grpc.pb.h"

namespace xmodal::client {

struct ClientOptions {
  double deadline_seconds = 30;  // per call; must be > 0
  // The largest response accepted (GetItem with bytes can be large); -1: no limit.
  int max_receive_message_bytes = -1;
};

class XmodalClient {
 public:
  // Creates a channel to `target` ("host:port", "host" for port 7070, "[::1]:port" or any gRPC
  // target URI: server_address.h). The connection is made lazily, by the first call.
  // INVALID_ARGUMENT for a bad address (empty, bad port) or a deadline that is not positive and
  // finite.
  static absl::StatusOr<std::unique_ptr<XmodalClient>> Connect(const std::string& target,
                                                               const ClientOptions& options = {});

  absl::StatusOr<xmodal::v1::SearchResponse> Search(const xmodal::v1::SearchRequest& request);
  absl::StatusOr<xmodal::v1::EmbedResponse> Embed(const xmodal::v1::EmbedRequest& request);
  absl::StatusOr<xmodal::v1::GetItemResponse> GetItem(const xmodal::v1::GetItemRequest& request);
  absl::StatusOr<xmodal::v1::GetInfoResponse> GetInfo();

  // The target dialled: Connect's, with the default port filled in ("127.0.0.1:7070").
  const std::string& target() const { return target_; }

  // One Search in flight on a completion queue: its context (with this client's deadline), and
  // once the call is done, its response and status (gRPC's; rpc::FromGrpcStatus maps it as
  // Search does). Used once: a new call needs a new AsyncSearch.
  struct AsyncSearch {
    grpc::ClientContext context;
    xmodal::v1::SearchResponse response;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<xmodal::v1::SearchResponse>> reader;
  };
  // Starts `request` on `cq`, for callers that keep many searches in flight from one thread (the
  // load generator): when it is done, `cq`'s Next returns `tag`. `call` must stay put until then.
  void StartSearch(const xmodal::v1::SearchRequest& request, grpc::CompletionQueue* cq, void* tag,
                   AsyncSearch* call);

  // Constructed only by Connect.
  class Token {
    friend class XmodalClient;
    Token() = default;
  };
  XmodalClient(Token, std::string target, std::shared_ptr<grpc::Channel> channel,
               const ClientOptions& options);

 private:
  const std::string target_;
  const std::shared_ptr<grpc::Channel> channel_;
  const std::unique_ptr<xmodal::v1::Xmodal::Stub> stub_;
  const ClientOptions options_;
};

// True for a status returned by an XmodalClient call when the server could not be reached
// (UNAVAILABLE with the channel not connected), false for anything the server answered.
bool IsServerUnreachable(const absl::Status& status);

}  // namespace xmodal::client

#endif  // XMODAL_CLIENT_CLIENT_H_
