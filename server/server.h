// The xmodal gRPC server: loads the model, opens the collection's newest generation, serves
// xmodal.v1.Xmodal (plus the standard health service and reflection) and hot-swaps newer
// generations as the indexer publishes them.
//
//   ASSIGN_OR_RETURN(auto server, Server::Start({.collection_dir = dir, .listen = "127.0.0.1:0"}));
//   Connect to server->port(); ...; server->Shutdown();
#ifndef XMODAL_SERVER_SERVER_H_
#define XMODAL_SERVER_SERVER_H_

#include <grpcpp/server.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/engine/searcher.h"
#include "server/api.h"
#include "server/health_service.h"
#include "server/http_server.h"
#include "server/metrics.h"

namespace xmodal::server {

class XmodalService;

inline constexpr char kDefaultHttpListen[] = "127.0.0.1:7080";

struct ServerOptions {
  std::string collection_dir;  // required
  // The model package; empty: the model_dir recorded in the collection's manifest.
  std::string model_dir;
  // host:port to bind; port 0 picks a free port (see Server::port()).
  std::string listen = "127.0.0.1:7070";
  // The one thread budget: the number of worker threads that decode, encode and search, one
  // call each, running LibTorch and FAISS single-threaded; other calls wait their turn
  // (work_pool.h). 0: the number of hardware threads.
  int threads = 0;
  // The most Search calls one worker answers together: the calls waiting for a worker share
  // each index scan (search_batcher.h). 1: one at a time. A worker never waits to fill a batch.
  int search_batch = 16;
  // Calls the server holds at once, running or waiting for their turn. gRPC's synchronous
  // server needs a thread per held call (asleep while it waits: a stack, no CPU), so this caps
  // its threads; a call beyond it is refused with RESOURCE_EXHAUSTED ("Server Threadpool
  // Exhausted"). That is the overload protection: at the default, 512 queued calls at
  // ~1-30 ms each are 0.5-15 s of work on 1 core, past which clients' deadlines end them anyway.
  int max_calls = 512;
  // How often to look for a newer published generation; <= 0 never. At most one day.
  double reload_interval_seconds = 5;
  // host:port for HTTP (the JSON API, the search page, /metrics: http_server.h); port 0 picks a
  // free port (see Server::http_port()). Empty: no HTTP. xmodal-server's --http_listen
  // defaults to kDefaultHttpListen; embedders opt in.
  std::string http_listen;
  // HTTP connections served at once; more wait for one of these threads.
  int http_threads = 32;
  // Memory for thumbnails made once and served again.
  int64_t thumbnail_cache_bytes = int64_t{64} << 20;
  engine::SearchLimits limits;
};

// INVALID_ARGUMENT naming the first bad option (empty collection_dir or listen, negative
// threads, search_batch outside 1..1024, max_calls outside 1..100000, a non-finite or over-long
// reload interval, http_threads outside 1..4096, a negative thumbnail cache, non-positive
// limits).
absl::Status ValidateServerOptions(const ServerOptions& options);

// The largest request gRPC accepts: the larger media byte cap plus 1 MiB for the rest of the
// message, at most INT_MAX. Bigger requests are refused by gRPC with RESOURCE_EXHAUSTED.
int MaxReceiveMessageBytes(const engine::SearchLimits& limits);
// The largest HTTP request body: the same, with the media as base64 (JSON bodies carry it so).
// Larger bodies get 413.
int64_t MaxHttpBodyBytes(const engine::SearchLimits& limits);

// Thread-safe: port(), address(), generation() and model_dir() may be called from any thread;
// Shutdown() may run concurrently with Wait() (e.g. from a signal-handling thread).
class Server {
 public:
  // Validates `options`, applies the thread budget, resolves and loads the model, opens the
  // collection and starts serving. Errors: INVALID_ARGUMENT (options), the model's and the
  // searcher's errors (NOT_FOUND for a missing collection or package, FAILED_PRECONDITION for a
  // pin mismatch, nothing published yet, or no model recorded in the manifest when model_dir
  // is empty, DATA_LOSS for a corrupt index), each prefixed with what was being opened;
  // UNAVAILABLE naming the address when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);

  // Shuts down (with the default grace) if that has not happened yet.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the chosen one when `listen` asked for port 0).
  int port() const { return port_; }
  // `listen` with the bound port, e.g. "127.0.0.1:40123".
  const std::string& address() const { return address_; }
  // The bound HTTP port and address; 0 and "" when HTTP is off.
  int http_port() const;
  std::string http_address() const;
  // The model package in use (resolved from the manifest when the options left it empty).
  const std::string& model_dir() const { return model_dir_; }
  // The generation currently served.
  int64_t generation() const;

  // Reports NOT_SERVING on the health service, stops the reload thread, stops accepting calls
  // and cancels calls still running after `grace_seconds`. Idempotent; a concurrent second call
  // returns once the first has finished.
  void Shutdown(double grace_seconds = 5.0);
  // Blocks until Shutdown has run and every call has finished.
  void Wait();

  // Constructed only by Start.
  class Token {
    friend class Server;
    Token() = default;
  };
  Server(Token, ServerOptions options, std::string model_dir,
         std::shared_ptr<engine::Searcher> searcher);

 private:
  absl::Status StartServing();
  void ReloadLoop();

  const ServerOptions options_;
  const std::string model_dir_;
  const std::shared_ptr<engine::Searcher> searcher_;
  Metrics metrics_;
  Api api_;                                 // outlives the transports (declared before them)
  std::unique_ptr<XmodalService> service_;  // outlives grpc_server_ (declared before it)
  HealthService health_;                    // likewise
  std::unique_ptr<HttpServer> http_server_;
  std::unique_ptr<grpc::Server> grpc_server_;
  int port_ = 0;
  std::string address_;

  std::mutex mu_;  // guards the reload thread's stop flag
  std::condition_variable stop_cv_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread reload_thread_;

  std::mutex shutdown_mu_;  // serialises Shutdown
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_SERVER_H_
