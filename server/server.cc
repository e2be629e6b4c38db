#include "server/server.h"

#include <glog/logging.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/base/threads.h"
#include "core/engine/collection.h"
#include "core/index/vector_index.h"
#include "core/model/model.h"
#include "server/xmodal_service.h"

namespace xmodal::server {
namespace {

constexpr double kMaxReloadIntervalSeconds = 86400.0;
constexpr int kMaxCalls = 100'000;
constexpr int kMaxSearchBatch = 1024;
// gRPC's synchronous server: one completion queue with one to two threads polling it for new
// calls; every call it accepts is then run on a thread of its own.
constexpr int kCompletionQueues = 1;
constexpr int kMaxPollers = 2;
constexpr int64_t kEnvelopeBytes = int64_t{1} << 20;  // room for the non-media fields

// `status` with "<context>: " before its message, same code.
absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

absl::StatusOr<std::string> ResolveModelDir(const ServerOptions& options) {
  if (!options.model_dir.empty()) return options.model_dir;
  const std::string& dir = options.collection_dir;
  absl::StatusOr<engine::CollectionManifest> manifest = engine::Collection::ReadManifest(dir);
  if (!manifest.ok()) {
    return Annotate(manifest.status(), absl::StrCat("reading the manifest of collection ", dir));
  }
  if (manifest->generation == 0) {  // no MANIFEST.json: no collection, or nothing published
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
      return absl::NotFoundError(absl::StrCat("no collection at '", dir, "'"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("collection '", dir, "' has no published index yet; run xmodal-index first"));
  }
  if (manifest->model_dir.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collection '", dir, "' does not record its model package; pass the model explicitly"));
  }
  return manifest->model_dir;
}

int64_t MaxMediaBytes(const engine::SearchLimits& limits) {
  return std::max(limits.image.max_bytes, limits.audio.max_bytes);
}

// `listen` with its port replaced by `port` ("[::]:0" -> "[::]:40123").
std::string BoundAddress(const std::string& listen, int port) {
  const size_t colon = listen.rfind(':');
  const std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
  return absl::StrCat(host, ":", port);
}

}  // namespace

absl::Status ValidateServerOptions(const ServerOptions& options) {
  if (options.collection_dir.empty()) {
    return absl::InvalidArgumentError("collection_dir is empty: name the collection to serve");
  }
  if (options.listen.empty()) {
    return absl::InvalidArgumentError("listen is empty: give a host:port such as 127.0.0.1:7070");
  }
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads must be >= 0 (0: one per hardware thread), got ", options.threads));
  }
  if (options.search_batch < 1 || options.search_batch > kMaxSearchBatch) {
    return absl::InvalidArgumentError(absl::StrCat("search_batch must be in 1..", kMaxSearchBatch,
                                                   ", got ", options.search_batch));
  }
  if (options.max_calls < 1 || options.max_calls > kMaxCalls) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_calls must be in 1..", kMaxCalls, ", got ", options.max_calls));
  }
  if (!std::isfinite(options.reload_interval_seconds) ||
      options.reload_interval_seconds > kMaxReloadIntervalSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("reload_interval_seconds must be at most ", kMaxReloadIntervalSeconds,
                     " (<= 0 disables reloading), got ", options.reload_interval_seconds));
  }
  const engine::SearchLimits& limits = options.limits;
  if (options.http_threads < 1 || options.http_threads > 4096) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_threads must be in 1..4096, got ", options.http_threads));
  }
  if (options.thumbnail_cache_bytes < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("thumbnail_cache_bytes must be >= 0, got ", options.thumbnail_cache_bytes));
  }
  if (limits.max_k < 1) {
    return absl::InvalidArgumentError(absl::StrCat("max_k must be >= 1, got ", limits.max_k));
  }
  if (limits.image.max_bytes <= 0 || limits.image.max_pixels <= 0 || limits.image.max_side <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "image limits must be positive, got max_bytes ", limits.image.max_bytes, ", max_pixels ",
        limits.image.max_pixels, ", max_side ", limits.image.max_side));
  }
  if (limits.audio.max_bytes <= 0 || !(limits.audio.max_seconds > 0) ||
      limits.audio.max_channels <= 0 || limits.audio.max_sample_rate <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "audio limits must be positive, got max_bytes ", limits.audio.max_bytes, ", max_seconds ",
        limits.audio.max_seconds, ", max_channels ", limits.audio.max_channels,
        ", max_sample_rate ", limits.audio.max_sample_rate));
  }
  if (limits.max_item_bytes <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_item_bytes must be positive, got ", limits.max_item_bytes));
  }
  return absl::OkStatus();
}

int MaxReceiveMessageBytes(const engine::SearchLimits& limits) {
  return static_cast<int>(std::min<int64_t>(MaxMediaBytes(limits) + kEnvelopeBytes, INT_MAX));
}

int64_t MaxHttpBodyBytes(const engine::SearchLimits& limits) {
  return (MaxMediaBytes(limits) + 2) / 3 * 4 + kEnvelopeBytes;
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  XM_RETURN_IF_ERROR(ValidateServerOptions(options));
  ServerOptions resolved = options;
  resolved.threads = ResolveThreadCount(options.threads);
  // The budget is spent as worker threads, one call each (work_pool.h), so each call runs
  // LibTorch and FAISS single-threaded. A batch-1 query gains nothing from intra-op threads:
  // measured on 2 cores, text, image and audio queries were as fast or faster with one at
  // concurrency 1, and two per worker oversubscribed the cores under load (image p99 100 ms
  // against 37 ms at concurrency 16).
  model::SetEncoderThreads(1);
  index::SetIndexThreads(1);

  XM_ASSIGN_OR_RETURN(std::string model_dir, ResolveModelDir(options));
  absl::StatusOr<std::unique_ptr<model::Model>> model = model::Model::Load(model_dir);
  if (!model.ok()) return Annotate(model.status(), absl::StrCat("loading model ", model_dir));
  const model::ModelManifest& manifest = (*model)->manifest();
  if (manifest.license.empty()) {
    LOG(WARNING) << "model " << (*model)->pin().ToString() << " from " << model_dir << ": licence "
                 << manifest.LicenseOrUnknown()
                 << "; check the terms of its weights before serving it";
  } else {
    LOG(INFO) << "model " << (*model)->pin().ToString() << ": licence " << manifest.license;
  }
  absl::StatusOr<std::unique_ptr<engine::Searcher>> searcher = engine::Searcher::Open(
      options.collection_dir, std::shared_ptr<const model::Model>(std::move(*model)),
      options.limits);
  if (!searcher.ok()) {
    return Annotate(searcher.status(), absl::StrCat("opening collection ", options.collection_dir));
  }

  auto server = std::make_unique<Server>(Token(), std::move(resolved), std::move(model_dir),
                                         std::shared_ptr<engine::Searcher>(std::move(*searcher)));
  XM_RETURN_IF_ERROR(server->StartServing());
  return server;
}

Server::Server(Token, ServerOptions options, std::string model_dir,
               std::shared_ptr<engine::Searcher> searcher)
    : options_(std::move(options)),
      model_dir_(std::move(model_dir)),
      searcher_(std::move(searcher)),
      api_(searcher_, options_.threads, options_.search_batch, &metrics_),
      service_(std::make_unique<XmodalService>(&api_)) {}

Server::~Server() { Shutdown(); }

absl::Status Server::StartServing() {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  // The thread cap bounds the calls held (ServerOptions::max_calls), not the CPU work: that is
  // bounded by the service's work pool, one worker per thread of the budget. A cap near the budget
  // (it was 2 * threads + 2) made gRPC refuse concurrent calls instead of queueing them.
  grpc::ResourceQuota quota("xmodal-server");
  quota.SetMaxThreads(options_.max_calls + kCompletionQueues * kMaxPollers);

  grpc::ServerBuilder builder;
  builder.SetResourceQuota(quota);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS, kCompletionQueues);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 1);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, kMaxPollers);
  builder.SetMaxReceiveMessageSize(MaxReceiveMessageBytes(options_.limits));
  // gRPC sets SO_REUSEPORT by default, which would let a second server share a busy port.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options_.listen, grpc::InsecureServerCredentials(), &port_);
  builder.RegisterService(service_.get());
  builder.RegisterService(&health_);
  grpc_server_ = builder.BuildAndStart();
  if (grpc_server_ == nullptr || port_ == 0) {
    if (grpc_server_ != nullptr) grpc_server_->Shutdown();
    grpc_server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen,
                     ": the address is malformed, not local, or already in use"));
  }
  address_ = BoundAddress(options_.listen, port_);
  if (!options_.http_listen.empty()) {
    absl::StatusOr<std::unique_ptr<HttpServer>> http =
        HttpServer::Start({.listen = options_.http_listen,
                           .threads = options_.http_threads,
                           .max_body_bytes = MaxHttpBodyBytes(options_.limits),
                           .thumbnail_cache_bytes = options_.thumbnail_cache_bytes},
                          &api_, [this] {
                            std::lock_guard<std::mutex> lock(mu_);
                            return !stopping_ && searcher_->generation() > 0;
                          });
    if (!http.ok()) {
      grpc_server_->Shutdown();
      grpc_server_.reset();
      return http.status();
    }
    http_server_ = std::move(*http);
  }
  health_.SetServing("", true);
  health_.SetServing(xmodal::v1::Xmodal::service_full_name(), true);
  if (options_.reload_interval_seconds > 0) {
    reload_thread_ = std::thread([this] { ReloadLoop(); });
  }
  return absl::OkStatus();
}

int64_t Server::generation() const { return searcher_->generation(); }

int Server::http_port() const { return http_server_ == nullptr ? 0 : http_server_->port(); }

std::string Server::http_address() const {
  return http_server_ == nullptr ? "" : BoundAddress(options_.http_listen, http_server_->port());
}

void Server::ReloadLoop() {
  const std::chrono::duration<double> interval(options_.reload_interval_seconds);
  std::string last_error;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    const absl::StatusOr<bool> swapped = searcher_->Reload();
    metrics_.RecordReload(!swapped.ok() ? Metrics::ReloadOutcome::kFailed
                          : *swapped    ? Metrics::ReloadOutcome::kSwapped
                                        : Metrics::ReloadOutcome::kUnchanged);
    if (!swapped.ok()) {
      const std::string error = swapped.status().ToString();
      if (error != last_error) {  // once per distinct failure, not every interval
        LOG(WARNING) << "reloading " << options_.collection_dir
                     << " failed; still serving generation " << searcher_->generation() << ": "
                     << error;
      }
      last_error = error;
    } else {
      last_error.clear();
      if (*swapped) {
        LOG(INFO) << "now serving generation " << searcher_->generation() << " of "
                  << options_.collection_dir;
      }
    }
    lock.lock();
  }
}

void Server::Shutdown(double grace_seconds) {
  std::lock_guard<std::mutex> shutdown_lock(shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (grpc_server_ != nullptr) {
    health_.Shutdown();
    const auto deadline = std::chrono::system_clock::now() +
                          std::chrono::duration_cast<std::chrono::system_clock::duration>(
                              std::chrono::duration<double>(std::max(0.0, grace_seconds)));
    grpc_server_->Shutdown(deadline);
  }
  if (http_server_ != nullptr) http_server_->Stop();
  if (reload_thread_.joinable()) reload_thread_.join();
}

void Server::Wait() {
  if (grpc_server_ != nullptr) grpc_server_->Wait();
}

}  // namespace xmodal::server
