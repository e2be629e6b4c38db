// xmodal: the command-line client of an xmodal server (see `xmodal --help`).
// Exit status: 0 on success, 1 when the server or a file operation fails, 2 for a usage error.
// Failures print one "xmodal: ..." line (cli_messages.h) telling a local problem from the
// server's answer and from a server that cannot be reached.
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "client/cli_args.h"
#include "client/cli_messages.h"
#include "client/cli_requests.h"
#include "client/client.h"
#include "client/output_format.h"
#include "core/base/file_util.h"

namespace xmodal::client {
namespace {

constexpr int kFailure = 1;
constexpr int kUsageError = 2;

// A failure on this side (a file, the address, formatting).
int Fail(const absl::Status& status) {
  std::cerr << LocalErrorMessage(status) << "\n";
  return kFailure;
}

// A failed call to the server `client` dials.
int FailCall(const XmodalClient& client, const absl::Status& status) {
  std::cerr << CallErrorMessage(status, client.target()) << "\n";
  return kFailure;
}

// Prints `message` as JSON or as `text(message)`.
template <typename Message, typename Text>
int Print(const Message& message, bool json, Text text) {
  if (!json) {
    std::cout << text(message);
    return 0;
  }
  absl::StatusOr<std::string> out = FormatJson(message);
  if (!out.ok()) return Fail(out.status());
  std::cout << *out << (absl::EndsWith(*out, "\n") ? "" : "\n");
  return 0;
}

int RunSearch(XmodalClient& client, const CliArgs& args) {
  absl::StatusOr<xmodal::v1::SearchRequest> request = BuildSearchRequest(args);
  if (!request.ok()) return Fail(request.status());
  absl::StatusOr<xmodal::v1::SearchResponse> response = client.Search(*request);
  if (!response.ok()) return FailCall(client, response.status());
  return Print(*response, args.json, &FormatHitsTable);
}

int RunEmbed(XmodalClient& client, const CliArgs& args) {
  absl::StatusOr<xmodal::v1::EmbedRequest> request = BuildEmbedRequest(args);
  if (!request.ok()) return Fail(request.status());
  absl::StatusOr<xmodal::v1::EmbedResponse> response = client.Embed(*request);
  if (!response.ok()) return FailCall(client, response.status());
  return Print(*response, args.json, &FormatEmbedding);
}

int RunGet(XmodalClient& client, const CliArgs& args) {
  absl::StatusOr<xmodal::v1::GetItemResponse> response = client.GetItem(BuildGetItemRequest(args));
  if (!response.ok()) return FailCall(client, response.status());
  if (!args.bytes_path.empty()) {
    if (absl::Status written = WriteFileAtomically(args.bytes_path, response->content());
        !written.ok()) {
      return Fail(written);
    }
    std::cerr << "wrote " << response->content().size() << " bytes to " << args.bytes_path << "\n";
    response->clear_content();  // in the file, not on the terminal
  }
  return Print(*response, args.json,
               [](const xmodal::v1::GetItemResponse& r) { return FormatItem(r.item()); });
}

int RunInfo(XmodalClient& client, const CliArgs& args) {
  absl::StatusOr<xmodal::v1::GetInfoResponse> response = client.GetInfo();
  if (!response.ok()) return FailCall(client, response.status());
  return Print(*response, args.json, &FormatInfo);
}

int Run(const std::vector<std::string>& words) {
  absl::StatusOr<CliArgs> args = ParseCliArgs(words);
  if (!args.ok()) {
    std::cerr << "xmodal: " << args.status().message() << "\nRun 'xmodal --help' for usage.\n";
    return kUsageError;
  }
  if (args->version) {
    std::cout << VersionText();
    return 0;
  }
  if (args->help) {
    std::cout << UsageText(args->command);
    return 0;
  }
  absl::StatusOr<std::unique_ptr<XmodalClient>> client =
      XmodalClient::Connect(args->server, ClientOptions{.deadline_seconds = args->timeout_seconds});
  if (!client.ok()) return Fail(client.status());
  switch (*args->command) {
    case Command::kSearch:
      return RunSearch(**client, *args);
    case Command::kEmbed:
      return RunEmbed(**client, *args);
    case Command::kGet:
      return RunGet(**client, *args);
    case Command::kInfo:
      return RunInfo(**client, *args);
  }
  return kUsageError;
}

}  // namespace
}  // namespace xmodal::client

int main(int argc, char** argv) {
  return xmodal::client::Run(std::vector<std::string>(argv + 1, argv + argc));
}
