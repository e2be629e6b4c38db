#include "client/cli_messages.h"

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "client/output_format.h"

namespace xmodal::client {
namespace {

constexpr size_t kMaxMessageBytes = 2000;  // a server's message, on one line

}  // namespace

std::string LocalErrorMessage(const absl::Status& status) {
  return absl::StrCat("xmodal: ", status.message());
}

std::string CallErrorMessage(const absl::Status& status, absl::string_view server) {
  if (IsServerUnreachable(status)) {
    return absl::StrCat("xmodal: cannot reach the xmodal server at ", OneLine(server, 200),
                        ": is it running? (start it with xmodal-server --collection DIR)\n"
                        "  gRPC: ",
                        OneLine(status.message(), kMaxMessageBytes));
  }
  return absl::StrCat("xmodal: the server answered ", absl::StatusCodeToString(status.code()), ": ",
                      OneLine(status.message(), kMaxMessageBytes));
}

}  // namespace xmodal::client
