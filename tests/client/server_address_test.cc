#include "client/server_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::client {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

// The normalized address, or "error: <status>".
std::string Normalized(absl::string_view address, int default_port = kDefaultServerPort) {
  absl::StatusOr<std::string> out = NormalizeServerAddress(address, default_port);
  return out.ok() ? *out : "error: " + out.status().ToString();
}

TEST(ServerAddressTest, AHostWithoutAPortGetsTheDefaultPort) {
  EXPECT_EQ(Normalized("127.0.0.1"), "127.0.0.1:7070");
  EXPECT_EQ(Normalized("localhost"), "localhost:7070");
  EXPECT_EQ(Normalized("localhost:"), "localhost:7070");
  EXPECT_EQ(Normalized("example.org", 9000), "example.org:9000");
}

TEST(ServerAddressTest, AHostWithAPortIsKept) {
  EXPECT_EQ(Normalized("127.0.0.1:7071"), "127.0.0.1:7071");
  EXPECT_EQ(Normalized("localhost:1"), "localhost:1");
  EXPECT_EQ(Normalized("h:65535"), "h:65535");
}

TEST(ServerAddressTest, Ipv6AddressesWithAndWithoutBracketsOrPort) {
  EXPECT_EQ(Normalized("[::1]"), "[::1]:7070");
  EXPECT_EQ(Normalized("[::1]:7070"), "[::1]:7070");
  EXPECT_EQ(Normalized("[fe80::1%eth0]:8080"), "[fe80::1%eth0]:8080");
  EXPECT_EQ(Normalized("::1"), "[::1]:7070");
  EXPECT_EQ(Normalized("2001:db8::5"), "[2001:db8::5]:7070");
}

TEST(ServerAddressTest, GrpcTargetUrisAreUntouched) {
  EXPECT_EQ(Normalized("unix:/tmp/xmodal.sock"), "unix:/tmp/xmodal.sock");
  EXPECT_EQ(Normalized("unix:///tmp/x.sock"), "unix:///tmp/x.sock");
  EXPECT_EQ(Normalized("unix-abstract:xm"), "unix-abstract:xm");
  EXPECT_EQ(Normalized("dns:///localhost:7070"), "dns:///localhost:7070");
  EXPECT_EQ(Normalized("ipv4:127.0.0.1:1,127.0.0.2:2"), "ipv4:127.0.0.1:1,127.0.0.2:2");
}

TEST(ServerAddressTest, BadAddressesAreInvalidArguments) {
  EXPECT_THAT(NormalizeServerAddress(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(NormalizeServerAddress(":7070"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the host is empty")));
  EXPECT_THAT(NormalizeServerAddress("[]:7070"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the host is empty")));
  EXPECT_THAT(NormalizeServerAddress("[::1"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no closing ']'")));
  EXPECT_THAT(NormalizeServerAddress("[::1]7070"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("':PORT' after ']'")));
  for (const char* bad : {"h:0", "h:65536", "h:http", "h:+80", "h:-1", "[::1]:x"}) {
    EXPECT_THAT(NormalizeServerAddress(bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1..65535")))
        << bad;
  }
}

}  // namespace
}  // namespace xmodal::client
