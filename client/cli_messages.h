// The error lines the xmodal CLI prints, one per kind of failure, so that a user can tell a
// local problem from a server's answer and from a server that is not there:
//   local (a file, the address):  "xmodal: cannot read image file 'x.png': No such file ..."
//   server unreachable:            "xmodal: cannot reach the xmodal server at 127.0.0.1:7070: is
//                                   it running? (start it with xmodal-server --collection DIR)"
//                                  and a second line "  gRPC: <gRPC's own message>"
//   the server's answer:           "xmodal: the server answered INVALID_ARGUMENT: ..."
// No trailing newline. Stateless and thread-safe.
#ifndef XMODAL_CLIENT_CLI_MESSAGES_H_
#define XMODAL_CLIENT_CLI_MESSAGES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace xmodal::client {

// For a failure on this side: the message alone, without a status code.
std::string LocalErrorMessage(const absl::Status& status);

// For a failed call to the server at `server` (XmodalClient's status): the friendly line when
// IsServerUnreachable(status) (client.h), else the server's code and message.
std::string CallErrorMessage(const absl::Status& status, absl::string_view server);

}  // namespace xmodal::client

#endif  // XMODAL_CLIENT_CLI_MESSAGES_H_
