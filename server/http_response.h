// Writing HTTP responses for the API: errors as JSON with the status their code maps to, or an
// explicit HTTP status attached to the absl::Status where the code alone does not say it
// (405 Method Not Allowed, 413 Payload Too Large, 415 Unsupported Media Type, 416 Range Not
// Satisfiable). Part of the HTTP transport (http_server.h); thread-safe.
#ifndef XMODAL_SERVER_HTTP_RESPONSE_H_
#define XMODAL_SERVER_HTTP_RESPONSE_H_

#include <httplib.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace xmodal::server {

// `status` carrying `http_status` for WriteError.
absl::Status WithHttpStatus(absl::Status status, int http_status);

// The HTTP status for `status`: the one attached by WithHttpStatus, else rpc::HttpStatusFor.
int HttpStatusOf(const absl::Status& status);

// Sets the status and the JSON error body (http_json.h) of `response`, keeping its headers.
void WriteError(const httplib::Request& request, const absl::Status& status,
                httplib::Response& response);

// Sends `body` as the whole response with `content_type`, exactly as given. cpp-httplib 0.11.4
// applies a request's Range header to every response body, error bodies and bodies already cut
// to a range included; this drops the request's parsed ranges so that it does not (a
// workaround for that version: 0.14 checks the status before applying ranges).
void SendExactly(const httplib::Request& request, std::string body, absl::string_view content_type,
                 httplib::Response& response);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_HTTP_RESPONSE_H_
