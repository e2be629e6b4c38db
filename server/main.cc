// xmodal-server: serves one collection over gRPC and HTTP until SIGINT or SIGTERM.
//   xmodal-server --collection DIR [--model DIR] [--listen 127.0.0.1:7070] [--threads N]
//                 [--search_batch 16] [--max_calls 512] [--reload_interval_seconds 5]
//                 [--http_listen 127.0.0.1:7080] [--http_threads 32]
//                 [--thumbnail_cache_bytes N] [--max_image_pixels N] [--max_audio_seconds S]
// Flags: cli/program.h (also --help, --version, --flagfile).
// Exit status: 0 after a graceful shutdown, 2 for bad flags or when the server cannot start.
#include <glog/logging.h>
#include <pthread.h>
#include <signal.h>

#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/program.h"
#include "server/server.h"

namespace {

constexpr int kUsageError = 2;
constexpr double kShutdownGraceSeconds = 5.0;

int Fail(const std::string& message) {
  std::cerr << "xmodal-server: " << message << "\n";
  return kUsageError;
}

void BindFlags(xmodal::cli::Program& program, xmodal::server::ServerOptions& o) {
  program
      .Flag("collection", &o.collection_dir, "collection directory to serve",
            {.value_name = "DIR", .required = true})
      .Flag("model", &o.model_dir,
            "model package directory; empty: the one recorded in the collection's manifest",
            {.value_name = "DIR"})
      .Flag("listen", &o.listen, "host:port to listen on; port 0 picks one",
            {.value_name = "HOST:PORT"})
      .Flag("threads", &o.threads,
            "thread budget: worker threads that decode, encode and search, one call each; 0: "
            "one per core",
            {.value_name = "N"})
      .Flag("search_batch", &o.search_batch,
            "most Search calls a worker answers together (they share each index scan); 1: one "
            "at a time",
            {.value_name = "N"})
      .Flag("max_calls", &o.max_calls,
            "calls held at once (running or queued); more are refused with RESOURCE_EXHAUSTED",
            {.value_name = "N"})
      .Flag("reload_interval_seconds", &o.reload_interval_seconds,
            "how often to look for a newly published generation; 0 disables reloading",
            {.value_name = "S"})
      .Flag("http_listen", &o.http_listen,
            "host:port for HTTP: the JSON API, the search page and /metrics; port 0 picks one; "
            "empty turns HTTP off",
            {.value_name = "HOST:PORT"})
      .Flag("http_threads", &o.http_threads,
            "HTTP connections served at once; more wait for a thread", {.value_name = "N"})
      .Flag("thumbnail_cache_bytes", &o.thumbnail_cache_bytes,
            "memory for thumbnails made once and served again", {.value_name = "BYTES"})
      .Flag("max_image_pixels", &o.limits.image.max_pixels,
            "largest query image, in pixels (width x height as the header claims)",
            {.value_name = "N"})
      .Flag("max_audio_seconds", &o.limits.audio.max_seconds,
            "longest query audio clip, in seconds", {.value_name = "S"});
}

}  // namespace

int main(int argc, char** argv) {
  xmodal::server::ServerOptions options;  // its defaults are the flags' defaults, and HTTP on
  options.http_listen = xmodal::server::kDefaultHttpListen;
  xmodal::cli::Program program({
      .name = "xmodal-server",
      .description = "Serves an xmodal collection over gRPC and HTTP until SIGINT or SIGTERM.",
      .usage = "xmodal-server --collection DIR [--model DIR] [--listen HOST:PORT] [--threads N]\n"
               "       [--search_batch N] [--max_calls N] [--reload_interval_seconds S]\n"
               "       [--http_listen HOST:PORT] [--http_threads N] [--thumbnail_cache_bytes N]\n"
               "       [--max_image_pixels N] [--max_audio_seconds S]",
      .footer = "Exit status: 0 after a graceful shutdown, 2 for bad flags or when the server "
                "cannot start.",
  });
  BindFlags(program, options);
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  if (absl::Status status = xmodal::server::ValidateServerOptions(options); !status.ok()) {
    return Fail(std::string(status.message()));
  }

  // SIGINT and SIGTERM are blocked in every thread (threads inherit the mask, so block before
  // anything starts one) and taken synchronously by one thread with sigwait: no code runs in
  // signal-handler context.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<std::unique_ptr<xmodal::server::Server>> server =
      xmodal::server::Server::Start(options);
  if (!server.ok()) return Fail(server.status().ToString());
  if (!(*server)->http_address().empty()) {
    LOG(INFO) << "search page and HTTP API on http://" << (*server)->http_address() << "/";
  }
  LOG(INFO) << "xmodal-server listening on " << (*server)->address() << " (collection "
            << options.collection_dir << ", model " << (*server)->model_dir() << ", generation "
            << (*server)->generation() << ")";

  std::thread signal_thread([&stop_signals, s = server->get()] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    LOG(INFO) << "received " << strsignal(signal_number) << "; shutting down (grace "
              << kShutdownGraceSeconds << " s)";
    s->Shutdown(kShutdownGraceSeconds);
  });
  (*server)->Wait();
  signal_thread.join();
  LOG(INFO) << "xmodal-server stopped";
  return 0;
}
