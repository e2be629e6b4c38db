#include "client/server_address.h"

#include <array>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace xmodal::client {
namespace {

// gRPC's target URI schemes; such targets are passed through as given.
constexpr std::array<absl::string_view, 6> kSchemes = {
    "unix:", "unix-abstract:", "dns:", "ipv4:", "ipv6:", "vsock:"};

absl::Status BadAddress(absl::string_view address, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("bad server address '", address, "': ", why, " (give HOST[:PORT])"));
}

// "host" + ":" + the port (checked), or the default port when `port` is empty.
absl::StatusOr<std::string> WithPort(absl::string_view address, absl::string_view host,
                                     absl::string_view port, int default_port) {
  if (host.empty() || host == "[]") return BadAddress(address, "the host is empty");
  if (port.empty()) return absl::StrCat(host, ":", default_port);
  int number = 0;
  if (!absl::SimpleAtoi(port, &number) || number < 1 || number > 65535 ||
      port.find_first_not_of("0123456789") != absl::string_view::npos) {
    return BadAddress(address, absl::StrCat("the port '", port, "' is not a number in 1..65535"));
  }
  return absl::StrCat(host, ":", port);
}

}  // namespace

absl::StatusOr<std::string> NormalizeServerAddress(absl::string_view address, int default_port) {
  if (address.empty()) return BadAddress(address, "it is empty");
  for (absl::string_view scheme : kSchemes) {
    if (absl::StartsWith(address, scheme)) return std::string(address);
  }
  if (absl::StartsWith(address, "[")) {  // "[v6]" or "[v6]:port"
    const size_t close = address.find(']');
    if (close == absl::string_view::npos) return BadAddress(address, "no closing ']'");
    absl::string_view rest = address.substr(close + 1);
    if (!rest.empty() && !absl::ConsumePrefix(&rest, ":")) {
      return BadAddress(address, "expected ':PORT' after ']'");
    }
    return WithPort(address, address.substr(0, close + 1), rest, default_port);
  }
  const size_t colon = address.find(':');
  if (colon == absl::string_view::npos) return WithPort(address, address, "", default_port);
  if (address.find(':', colon + 1) != absl::string_view::npos) {  // a bare IPv6 address
    return absl::StrCat("[", address, "]:", default_port);
  }
  return WithPort(address, address.substr(0, colon), address.substr(colon + 1), default_port);
}

}  // namespace xmodal::client
