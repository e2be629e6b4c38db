#include "server/http_server.h"

#include <glog/logging.h>
#include <httplib.h>

#include <chrono>
#include <exception>
#include <functional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "rpc/http_status.h"
#include "server/http_json.h"
#include "server/http_response.h"

namespace xmodal::server {
namespace {

constexpr int kMaxThreads = 4096;
// Requests one keep-alive connection may carry before the server closes it (cpp-httplib's
// default, 5, made clients reconnect every few requests).
constexpr size_t kKeepAliveRequests = 100'000;

struct HostPort {
  std::string host;
  int port = 0;
};

// "127.0.0.1:7080", "localhost:0", "[::1]:7080".
absl::StatusOr<HostPort> ParseHostPort(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  HostPort out;
  if (colon == absl::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &out.port) || out.port < 0 || out.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "http_listen '", listen, "' is not host:port (e.g. 127.0.0.1:7080, [::1]:7080)"));
  }
  absl::string_view host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  out.host = std::string(host);
  return out;
}

// The path's error as the API reports it, for errors cpp-httplib answers itself (no route,
// a body over the cap, a malformed request or Range header).
absl::Status LibraryError(int http_status, int64_t max_body_bytes) {
  switch (http_status) {
    case 404:
      return absl::NotFoundError("no such endpoint; see docs/http.md for the API");
    case 413:
      return absl::ResourceExhaustedError(absl::StrCat(
          "the request body exceeds the server's limit of ", max_body_bytes, " bytes"));
    case 416:
      return absl::OutOfRangeError("the Range header is malformed or cannot be satisfied");
    default:
      return absl::Status(rpc::StatusCodeForHttp(http_status),
                          absl::StrCat("the request was refused (HTTP ", http_status, ")"));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpOptions& options, Api* api,
                                                              std::function<bool()> ready) {
  XM_ASSIGN_OR_RETURN(const HostPort where, ParseHostPort(options.listen));
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_threads must be in 1..", kMaxThreads, ", got ", options.threads));
  }
  if (options.max_body_bytes <= 0 || options.thumbnail_cache_bytes < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the HTTP body cap must be positive and the thumbnail cache not negative, got ",
        options.max_body_bytes, " and ", options.thumbnail_cache_bytes));
  }
  auto server = std::make_unique<HttpServer>(options, api, std::move(ready));
  httplib::Server& http = *server->http_;
  const bool bound = where.port == 0 ? (server->port_ = http.bind_to_any_port(where.host)) > 0
                                     : http.bind_to_port(where.host, where.port);
  if (!bound) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", options.listen,
                                               ": the address is malformed, not local, or "
                                               "already in use"));
  }
  if (where.port != 0) server->port_ = where.port;
  server->thread_ = std::thread([s = server.get()] {
    if (!s->http_->listen_after_bind()) LOG(ERROR) << "the HTTP server stopped on an error";
  });
  return server;
}

HttpServer::HttpServer(const HttpOptions& options, Api* api, std::function<bool()> ready)
    : options_(options),
      api_(*api),
      ready_(std::move(ready)),
      thumbnails_(options.thumbnail_cache_bytes),
      http_(std::make_unique<httplib::Server>()) {
  const int threads = options_.threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_keep_alive_max_count(kKeepAliveRequests);
  // cpp-httplib writes a response's headers and body separately; with Nagle's algorithm on, the
  // body waited for the client's delayed ACK: 44 ms for every answer on loopback.
  http_->set_tcp_nodelay(true);
  InstallRoutes();
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  if (stopped_.exchange(true)) return;
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpServer::Serve(absl::string_view method, const Request& request, Response& response,
                       const std::function<absl::Status(const Request&, Response&)>& body) {
  const auto start = std::chrono::steady_clock::now();
  absl::Status status;
  try {
    status = body(request, response);
  } catch (const std::exception& e) {
    LOG(ERROR) << "HTTP " << method << " threw: " << e.what();
    status = absl::InternalError(absl::StrCat(method, " failed: ", e.what()));
  } catch (...) {
    LOG(ERROR) << "HTTP " << method << " threw a non-standard exception";
    status = absl::InternalError(absl::StrCat(method, " failed unexpectedly"));
  }
  if (!status.ok()) WriteError(request, status, response);
  api_.metrics().RecordRequest(
      method, Transport::kHttp, status.code(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

void HttpServer::InstallRoutes() {
  httplib::Server& http = *http_;
  using Body = std::function<absl::Status(const Request&, Response&)>;
  const auto route = [this](absl::string_view method, Body body) {
    return [this, method, body = std::move(body)](const Request& request, Response& response) {
      Serve(method, request, response, body);
    };
  };
  const auto member = [this](absl::Status (HttpServer::*handler)(const Request&, Response&)) {
    return Body(std::bind_front(handler, this));
  };
  const auto post_only = [this](const Request& request, Response& response) {
    response.set_header("Allow", "POST");
    Serve("MethodNotAllowed", request, response, [](const Request& q, Response&) {
      return WithHttpStatus(absl::UnimplementedError(
                                absl::StrCat(q.method, " ", q.path, " is not allowed: use POST")),
                            405);
    });
  };
  http.Post("/v1/search", route("Search", member(&HttpServer::HandleSearch)));
  http.Post("/v1/embed", route("Embed", member(&HttpServer::HandleEmbed)));
  http.Get("/v1/search", post_only);
  http.Get("/v1/embed", post_only);
  http.Get(R"(/v1/items/([^/]+))", route("GetItem", member(&HttpServer::HandleGetItem)));
  http.Get(R"(/v1/items/([^/]+)/content)", route("GetContent", member(&HttpServer::HandleContent)));
  http.Get(R"(/v1/items/([^/]+)/thumbnail)",
           route("GetThumbnail", member(&HttpServer::HandleThumbnail)));
  http.Get("/v1/info", route("GetInfo", member(&HttpServer::HandleInfo)));
  http.Get("/healthz", route("Health", [](const Request&, Response& response) {
             response.set_content("{\"status\":\"SERVING\"}\n", "application/json");
             return absl::OkStatus();
           }));
  http.Get("/readyz", route("Ready", member(&HttpServer::HandleReady)));
  http.Get("/metrics", route("Metrics", member(&HttpServer::HandleMetrics)));
  http.Get("/", route("Page", member(&HttpServer::HandleAsset)));
  http.Get("/app.js", route("Page", member(&HttpServer::HandleAsset)));
  http.Get("/style.css", route("Page", member(&HttpServer::HandleAsset)));
  // What cpp-httplib answers itself (no route, body over the cap, bad request line or Range)
  // comes here with an empty body; handlers' own errors already have theirs.
  http.set_error_handler([this](const Request& request, Response& response) {
    if (!response.body.empty()) return;
    const absl::Status status = LibraryError(response.status, options_.max_body_bytes);
    const int http_status = response.status;
    WriteError(request, status, response);
    response.status = http_status;
    api_.metrics().RecordRequest("Unrouted", Transport::kHttp, status.code(), 0.0);
  });
}

}  // namespace xmodal::server
