#include "rpc/status_mapping.h"

#include <string>

namespace xmodal::rpc {
namespace {

// The last canonical code; absl and gRPC agree on every number from 0 up to it.
constexpr int kLastCanonicalCode = 16;  // UNAUTHENTICATED

bool IsCanonical(int code) { return code >= 0 && code <= kLastCanonicalCode; }

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int raw = static_cast<int>(status.code());
  const grpc::StatusCode code =
      IsCanonical(raw) ? static_cast<grpc::StatusCode>(raw) : grpc::StatusCode::UNKNOWN;
  return grpc::Status(code, std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  const int raw = static_cast<int>(status.error_code());
  const absl::StatusCode code =
      IsCanonical(raw) ? static_cast<absl::StatusCode>(raw) : absl::StatusCode::kUnknown;
  return absl::Status(code, status.error_message());
}

}  // namespace xmodal::rpc
