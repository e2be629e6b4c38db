// The standard health service (grpc.health.v1.Health) on gRPC's synchronous server.
//
// Why not gRPC's own (grpc::EnableDefaultHealthCheckService): in gRPC 1.51 it is a callback
// service, and a server with one callback method polls with two more threads ("nexting
// threads") beside the synchronous server's. Under 16 concurrent text queries those threads
// woke up about once per request for nothing; without them the server answered about 6% more
// queries per second.
//
// Statuses: "" (the server as a whole) and each name given to SetServing. Check answers a known
// name's status and NOT_FOUND for others; Watch sends the status (SERVICE_UNKNOWN for an
// unknown name) and then each change, until the client leaves or Shutdown. A Watch holds one of
// the server's call threads while it lasts.
//
// Thread-safe.
#ifndef XMODAL_SERVER_HEALTH_SERVICE_H_
#define XMODAL_SERVER_HEALTH_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace xmodal::server {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  // Sets the status of `service` ("" for the whole server); ignored after Shutdown.
  void SetServing(const std::string& service, bool serving);
  // Every status becomes NOT_SERVING, for good, and every Watch ends (OK) after sending it.
  void Shutdown();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  using Status = grpc::health::v1::HealthCheckResponse::ServingStatus;

  Status StatusOf(const std::string& service) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable std::mutex mu_;
  std::map<std::string, Status> statuses_ ABSL_GUARDED_BY(mu_);
  int64_t changes_ ABSL_GUARDED_BY(mu_) = 0;  // counts SetServing and Shutdown calls
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  std::condition_variable changed_;
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_HEALTH_SERVICE_H_
