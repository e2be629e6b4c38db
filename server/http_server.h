// xmodal-server's HTTP transport (cpp-httplib; docs/architecture.md says why): the JSON API
// over the same Api as gRPC (api.h), the items' bytes and thumbnails, the search page, health,
// readiness and Prometheus metrics. docs/http.md is the reference of every endpoint:
//
//   POST /v1/search   SearchRequest as JSON, or multipart/form-data (http_form.h)
//   POST /v1/embed    EmbedRequest likewise
//   GET  /v1/items/ID             {"item": ...}
//   GET  /v1/items/ID/content     the bytes: Content-Type, ETag, Range
//   GET  /v1/items/ID/thumbnail?size=N   a JPEG of an image item, at most N px a side
//   GET  /v1/info     GetInfoResponse
//   GET  /healthz /readyz /metrics, and the page at / (/app.js, /style.css)
//
// Errors are {"code": "...", "message": "..."} with the HTTP status of the code
// (rpc/http_status.h). Connections are served by a fixed set of threads; a connection beyond
// them waits for one. The CPU work of a search waits in the Api's pool like a gRPC call's.
// An HTTP call has no deadline and runs to its end if its client disconnects (cpp-httplib
// 0.11.4 does not report a closed connection to a handler).
//
// Thread-safe. The Api, the metrics and the readiness function outlive the server.
#ifndef XMODAL_SERVER_HTTP_SERVER_H_
#define XMODAL_SERVER_HTTP_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/api.h"
#include "server/thumbnail_cache.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace xmodal::server {

struct HttpOptions {
  std::string listen;          // host:port; port 0 picks a free port
  int threads = 32;            // connections served at once
  int64_t max_body_bytes = 0;  // larger request bodies get 413
  int64_t thumbnail_cache_bytes = 64 << 20;
};

class HttpServer {
 public:
  // Binds `options.listen` and starts serving on its own thread. `ready` answers /readyz.
  // Errors: INVALID_ARGUMENT for a malformed address or non-positive threads or caps,
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpOptions& options, Api* api,
                                                           std::function<bool()> ready);
  // Stops if not stopped yet.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }

  // Stops accepting connections, lets the requests being handled finish and joins the threads.
  // Idempotent.
  void Stop();

  // Constructed only by Start.
  HttpServer(const HttpOptions& options, Api* api, std::function<bool()> ready);

 private:
  using Request = httplib::Request;
  using Response = httplib::Response;

  void InstallRoutes();
  // Runs a handler body, writes its error as JSON and counts the request as `method`.
  void Serve(absl::string_view method, const Request& request, Response& response,
             const std::function<absl::Status(const Request&, Response&)>& body);
  // Handlers (http_handlers.cc).
  absl::Status HandleSearch(const Request& request, Response& response);
  absl::Status HandleEmbed(const Request& request, Response& response);
  absl::Status HandleGetItem(const Request& request, Response& response);
  absl::Status HandleContent(const Request& request, Response& response);
  absl::Status HandleThumbnail(const Request& request, Response& response);
  absl::Status HandleInfo(const Request& request, Response& response);
  absl::Status HandleReady(const Request& request, Response& response);
  absl::Status HandleMetrics(const Request& request, Response& response);
  absl::Status HandleAsset(const Request& request, Response& response);

  const HttpOptions options_;
  Api& api_;
  const std::function<bool()> ready_;
  ThumbnailCache thumbnails_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> stopped_{false};
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_HTTP_SERVER_H_
