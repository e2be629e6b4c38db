// The load generator's HTTP transport: Search over xmodal-server's HTTP/JSON API
// (POST /v1/search, the xmodal.v1.SearchRequest in protobuf's JSON mapping), on one keep-alive
// connection (cpp-httplib's client, TCP_NODELAY). Errors come back with the code the server's
// JSON error body names ({"code": "INVALID_ARGUMENT", "message": "..."}), so that runs over
// HTTP count errors under the same names as runs over gRPC.
//
// Thread-compatible, not thread-safe: one HttpSearchClient per load client, used by one thread
// at a time.
#ifndef XMODAL_BENCHMARKS_LIB_HTTP_SEARCH_CLIENT_H_
#define XMODAL_BENCHMARKS_LIB_HTTP_SEARCH_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "xmodal/v1/xmodal.pb.h"

namespace httplib {
class Client;
}  // namespace httplib

namespace xmodal::bench {

// The body of POST /v1/search for `request`: protobuf's JSON mapping with its default options
// (lowerCamelCase names, enums by name, bytes in base64, default values left out), e.g.
// {"query":{"text":"a dog"},"targets":["MODALITY_IMAGE"],"k":10}. INTERNAL if protobuf fails.
absl::StatusOr<std::string> SearchRequestToJson(const xmodal::v1::SearchRequest& request);

// The status an HTTP error response stands for: the "code" (a canonical code name such as
// "NOT_FOUND") and "message" of its JSON body; when the body is not such an object, the code
// rpc::StatusCodeForHttp gives for `http_status`, with the status and the body's start as the
// message. Never OK: a 2xx status with an unreadable body is not an error this function sees.
absl::Status StatusFromHttpError(int http_status, absl::string_view body);

class HttpSearchClient {
 public:
  // For `server` "host:port" ("[::1]:port" for IPv6). Nothing is connected until the first
  // Search. `deadline_seconds` bounds connecting, and each wait to send or receive.
  // INVALID_ARGUMENT for an address that is not host:port or a deadline that is not positive and
  // finite.
  static absl::StatusOr<std::unique_ptr<HttpSearchClient>> Create(const std::string& server,
                                                                  double deadline_seconds);
  ~HttpSearchClient();

  HttpSearchClient(const HttpSearchClient&) = delete;
  HttpSearchClient& operator=(const HttpSearchClient&) = delete;

  // Sends `json_body` (SearchRequestToJson's) and reads the answer into `response` (unknown
  // fields ignored). Errors: the server's (StatusFromHttpError) for a non-2xx answer;
  // UNAVAILABLE when the server cannot be reached or the connection fails; DEADLINE_EXCEEDED
  // when a read or write times out; INTERNAL for a 2xx answer that is not a SearchResponse. A
  // failed connection is made again by the next call.
  absl::Status Search(const std::string& json_body, xmodal::v1::SearchResponse* response);

  const std::string& server() const { return server_; }

 private:
  HttpSearchClient(std::string server, std::chrono::steady_clock::duration deadline,
                   std::unique_ptr<httplib::Client> client);

  std::string server_;
  std::chrono::steady_clock::duration deadline_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_HTTP_SEARCH_CLIENT_H_
