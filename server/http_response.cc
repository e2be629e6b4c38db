#include "server/http_response.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rpc/http_status.h"
#include "server/http_json.h"

namespace xmodal::server {
namespace {

constexpr absl::string_view kHttpStatusPayload = "type.xmodal.dev/http-status";

}  // namespace

absl::Status WithHttpStatus(absl::Status status, int http_status) {
  status.SetPayload(kHttpStatusPayload, absl::Cord(absl::StrCat(http_status)));
  return status;
}

int HttpStatusOf(const absl::Status& status) {
  int http_status = 0;
  if (const auto payload = status.GetPayload(kHttpStatusPayload);
      payload.has_value() && absl::SimpleAtoi(std::string(*payload), &http_status)) {
    return http_status;
  }
  return rpc::HttpStatusFor(status.code());
}

void WriteError(const httplib::Request& request, const absl::Status& status,
                httplib::Response& response) {
  SendExactly(request, ErrorJson(status), "application/json", response);
  response.status = HttpStatusOf(status);
}

void SendExactly(const httplib::Request& request, std::string body, absl::string_view content_type,
                 httplib::Response& response) {
  // The Request object cpp-httplib hands to handlers is its own non-const local, so changing it
  // is defined; only its ranges are touched.
  const_cast<httplib::Request&>(request).ranges.clear();
  response.body = std::move(body);  // what set_content does, without copying the body
  response.headers.erase("Content-Type");
  response.set_header("Content-Type", std::string(content_type));
}

}  // namespace xmodal::server
