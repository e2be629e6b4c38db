#include "server/health_service.h"

#include <chrono>

namespace xmodal::server {
namespace {

using grpc::health::v1::HealthCheckResponse;

// How often a Watch with nothing to send checks whether its client has left.
constexpr std::chrono::milliseconds kWatchPoll(200);

}  // namespace

void HealthService::SetServing(const std::string& service, bool serving) {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    statuses_[service] = serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
    ++changes_;
  }
  changed_.notify_all();
}

void HealthService::Shutdown() {
  {
    std::lock_guard lock(mu_);
    for (auto& [service, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
    shut_down_ = true;
    ++changes_;
  }
  changed_.notify_all();
}

HealthService::Status HealthService::StatusOf(const std::string& service) const {
  const auto it = statuses_.find(service);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
}

grpc::Status HealthService::Check(grpc::ServerContext* /*context*/,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard lock(mu_);
  const Status status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "no health status for service '" + request->service() + "'");
  }
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::unique_lock lock(mu_);
  int64_t seen = -1;  // sends the status at once
  while (true) {
    if (seen != changes_) {
      seen = changes_;
      const bool last = shut_down_;
      HealthCheckResponse response;
      response.set_status(StatusOf(request->service()));
      lock.unlock();
      if (!writer->Write(response)) return grpc::Status::OK;  // the client has left
      if (last) return grpc::Status::OK;
      lock.lock();
      continue;
    }
    if (context->IsCancelled()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped watching");
    }
    changed_.wait_for(lock, kWatchPoll);
  }
}

}  // namespace xmodal::server
