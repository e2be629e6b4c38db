// The HTTP status for each canonical status code, so that the HTTP API reports an error with the
// same code (in its JSON body) as gRPC would, and with the HTTP status that code conventionally
// maps to (google.rpc.Code's documented HTTP mapping; CANCELLED is 499, "client closed
// request"). Used by the server's HTTP transport and by HTTP clients such as the benchmarks.
// Stateless and thread-safe.
#ifndef XMODAL_RPC_HTTP_STATUS_H_
#define XMODAL_RPC_HTTP_STATUS_H_

#include "absl/status/status.h"

namespace xmodal::rpc {

// OK -> 200, INVALID_ARGUMENT / FAILED_PRECONDITION / OUT_OF_RANGE -> 400, NOT_FOUND -> 404,
// RESOURCE_EXHAUSTED -> 429, ... ; a code outside 0..16 -> 500.
int HttpStatusFor(absl::StatusCode code);

// The canonical code an HTTP status stands for when only the status is known (the inverse
// where it is one to one; other 4xx -> INVALID_ARGUMENT, other 5xx -> INTERNAL, 413 ->
// RESOURCE_EXHAUSTED, 416 -> OUT_OF_RANGE).
absl::StatusCode StatusCodeForHttp(int http_status);

}  // namespace xmodal::rpc

#endif  // XMODAL_RPC_HTTP_STATUS_H_
