// The server address the client dials: "host:port", with the default port filled in.
//   "127.0.0.1"       -> "127.0.0.1:7070"      "[::1]"  -> "[::1]:7070"
//   "localhost:8080"  -> "localhost:8080"      "::1"    -> "[::1]:7070" (a bare IPv6 address)
//   "unix:/tmp/s", "dns:///h:1", "ipv4:...", "ipv6:...", "unix-abstract:...", "vsock:..."
//                     -> unchanged (gRPC target URIs)
// Errors: INVALID_ARGUMENT for an empty address, an empty host, an unclosed '[' or a port that
// is not a number in 1..65535. Stateless and thread-safe.
#ifndef XMODAL_CLIENT_SERVER_ADDRESS_H_
#define XMODAL_CLIENT_SERVER_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::client {

inline constexpr int kDefaultServerPort = 7070;  // xmodal-server's default --listen port

absl::StatusOr<std::string> NormalizeServerAddress(absl::string_view address,
                                                   int default_port = kDefaultServerPort);

}  // namespace xmodal::client

#endif  // XMODAL_CLIENT_SERVER_ADDRESS_H_
