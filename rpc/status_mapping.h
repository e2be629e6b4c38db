// The one place where absl::Status and grpc::Status are converted into each other. Both enums
// use the canonical code numbers (OK = 0 ... UNAUTHENTICATED = 16), so a code crosses the wire
// unchanged and the message is carried verbatim. Used by the server (absl -> grpc) and by the
// client (grpc -> absl). Stateless and thread-safe.
#ifndef XMODAL_RPC_STATUS_MAPPING_H_
#define XMODAL_RPC_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace xmodal::rpc {

// Same code number, same message. An OK status becomes grpc::Status::OK (gRPC has no message on
// OK); a code outside 0..16 becomes UNKNOWN with the message kept.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse: same code number, same message; codes outside 0..16 become UNKNOWN.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace xmodal::rpc

#endif  // XMODAL_RPC_STATUS_MAPPING_H_
