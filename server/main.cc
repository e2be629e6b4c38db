// xmodal-server: serves one collection over gRPC until SIGINT or SIGTERM.
//   xmodal-server --collection DIR [--model DIR] [--listen 127.0.0.1:7070] [--threads N]
//                 [--search_batch 16] [--max_calls 512] [--reload_interval_seconds 5]
//                 [--max_image_pixels N]
//                 [--max_audio_seconds S]
// Exit status: 0 after a graceful shutdown, 2 for bad flags or when the server cannot start.
#include <glog/logging.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/server.h"

ABSL_FLAG(std::string, collection, "", "Collection directory to serve (required).");
ABSL_FLAG(std::string, model, "",
          "Model package directory; empty: the one recorded in the collection's manifest.");
ABSL_FLAG(std::string, listen, "127.0.0.1:7070", "host:port to listen on; port 0 picks one.");
ABSL_FLAG(int32_t, threads, 0,
          "Thread budget: worker threads that decode, encode and search, one call each; 0: one per "
          "core.");
ABSL_FLAG(int32_t, search_batch, xmodal::server::ServerOptions{}.search_batch,
          "Most Search calls a worker answers together (they share each index scan); 1: one at "
          "a time.");
ABSL_FLAG(int32_t, max_calls, xmodal::server::ServerOptions{}.max_calls,
          "Calls held at once (running or queued); more are refused with RESOURCE_EXHAUSTED.");
ABSL_FLAG(double, reload_interval_seconds, 5,
          "How often to look for a newly published generation; 0 disables reloading.");
ABSL_FLAG(int64_t, max_image_pixels, xmodal::engine::SearchLimits{}.image.max_pixels,
          "Largest query image, in pixels (width x height as the header claims).");
ABSL_FLAG(double, max_audio_seconds, xmodal::engine::SearchLimits{}.audio.max_seconds,
          "Longest query audio clip, in seconds.");

namespace {

constexpr int kUsageError = 2;
constexpr double kShutdownGraceSeconds = 5.0;

// absl::ParseCommandLine reports a malformed or unknown flag itself and then calls exit(1).
// This binary promises 2 for usage errors, so an exit handler armed only while the flags are
// parsed turns that exit into _Exit(2) (the message is already on stderr, which is unbuffered).
// --help and friends keep absl's own behaviour.
std::atomic<bool> parsing_flags{false};
void ExitTwoIfParsingFlags() {
  if (parsing_flags.load()) std::_Exit(kUsageError);
}

bool AsksForUsage(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (absl::StartsWith(arg, "--help") || absl::StartsWith(arg, "-help") || arg == "--version" ||
        arg == "-version") {
      return true;
    }
  }
  return false;
}

std::vector<char*> ParseFlags(int argc, char** argv) {
  if (AsksForUsage(argc, argv)) return absl::ParseCommandLine(argc, argv);
  std::atexit(ExitTwoIfParsingFlags);
  parsing_flags = true;
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  parsing_flags = false;
  return positional;
}

int Fail(const std::string& message) {
  std::cerr << "xmodal-server: " << message << "\n";
  return kUsageError;
}

absl::StatusOr<xmodal::server::ServerOptions> OptionsFromFlags() {
  xmodal::server::ServerOptions options;
  options.collection_dir = absl::GetFlag(FLAGS_collection);
  if (options.collection_dir.empty()) {
    return absl::InvalidArgumentError("--collection is required");
  }
  options.model_dir = absl::GetFlag(FLAGS_model);
  options.listen = absl::GetFlag(FLAGS_listen);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.search_batch = absl::GetFlag(FLAGS_search_batch);
  options.max_calls = absl::GetFlag(FLAGS_max_calls);
  options.reload_interval_seconds = absl::GetFlag(FLAGS_reload_interval_seconds);
  options.limits.image.max_pixels = absl::GetFlag(FLAGS_max_image_pixels);
  options.limits.audio.max_seconds = absl::GetFlag(FLAGS_max_audio_seconds);
  if (absl::Status status = xmodal::server::ValidateServerOptions(options); !status.ok()) {
    return status;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "serves an xmodal collection over gRPC.\n"
      "usage: xmodal-server --collection DIR [--model DIR] [--listen HOST:PORT] [--threads N]\n"
      "       [--search_batch N] [--max_calls N] [--reload_interval_seconds S] [--max_image_pixels "
      "N] "
      "[--max_audio_seconds S]");
  const std::vector<char*> positional = ParseFlags(argc, argv);
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);

  if (positional.size() > 1) {
    return Fail(absl::StrCat("unexpected argument '", positional[1], "' (see --help)"));
  }
  absl::StatusOr<xmodal::server::ServerOptions> options = OptionsFromFlags();
  if (!options.ok()) return Fail(std::string(options.status().message()));

  // SIGINT and SIGTERM are blocked in every thread (threads inherit the mask, so block before
  // anything starts one) and taken synchronously by one thread with sigwait: no code runs in
  // signal-handler context.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<std::unique_ptr<xmodal::server::Server>> server =
      xmodal::server::Server::Start(*options);
  if (!server.ok()) return Fail(server.status().ToString());
  LOG(INFO) << "xmodal-server listening on " << (*server)->address() << " (collection "
            << options->collection_dir << ", model " << (*server)->model_dir() << ", generation "
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
