// The CLI's error lines: a local file error names the file without a status code, a server
// that cannot be reached (a real client against a closed port) gets the friendly line with the
// address, and other failures read as the server's answer.
#include "client/cli_messages.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/cli_args.h"
#include "client/cli_requests.h"
#include "client/client.h"
#include "testing/status_matchers.h"

namespace xmodal::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A loopback port that was free a moment ago: bound to port 0, read back, closed.
int ClosedLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(CliMessagesTest, NothingListeningGivesTheFriendlyLineWithTheAddress) {
  const std::string address = "127.0.0.1:" + std::to_string(ClosedLoopbackPort());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<XmodalClient> client,
                       XmodalClient::Connect(address, {.deadline_seconds = 20}));
  EXPECT_EQ(client->target(), address);
  const absl::Status status = client->GetInfo().status();
  ASSERT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(IsServerUnreachable(status)) << status;
  const std::string line = CallErrorMessage(status, client->target());
  EXPECT_THAT(line, StartsWith("xmodal: cannot reach the xmodal server at " + address +
                               ": is it running? (start it with xmodal-server --collection DIR)"));
  EXPECT_THAT(line, Not(HasSubstr("the server answered")));
}

TEST(CliMessagesTest, AHostWithoutAPortIsDialledOnTheDefaultPort) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<XmodalClient> client, XmodalClient::Connect("127.0.0.1"));
  EXPECT_EQ(client->target(), "127.0.0.1:7070");
}

TEST(CliMessagesTest, OtherFailuresReadAsTheServersAnswer) {
  EXPECT_EQ(CallErrorMessage(absl::InvalidArgumentError("k must be between 1 and 1000, got 5000"),
                             "127.0.0.1:7070"),
            "xmodal: the server answered INVALID_ARGUMENT: k must be between 1 and 1000, got 5000");
  // UNAVAILABLE that the server sent itself (not marked unreachable) is an answer too.
  EXPECT_EQ(CallErrorMessage(absl::UnavailableError("shutting down"), "h:1"),
            "xmodal: the server answered UNAVAILABLE: shutting down");
  // Control characters in a server's message do not reach the terminal.
  EXPECT_EQ(CallErrorMessage(absl::NotFoundError("no item\n\x1b[2J"), "h:1"),
            "xmodal: the server answered NOT_FOUND: no item  [2J");
}

TEST(CliMessagesTest, AMissingLocalFileNamesTheFileWithoutACode) {
  ASSERT_OK_AND_ASSIGN(CliArgs args, ParseCliArgs({"search", "--image", "/no/such/x.png"}));
  const absl::Status status = BuildSearchRequest(args).status();
  EXPECT_EQ(LocalErrorMessage(status),
            "xmodal: cannot read image file '/no/such/x.png': No such file or directory");
}

}  // namespace
}  // namespace xmodal::client
