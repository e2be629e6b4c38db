#include "benchmarks/lib/http_search_client.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/base/json.h"
#include "rpc/http_status.h"

namespace xmodal::bench {
namespace {

constexpr char kSearchPath[] = "/v1/search";
constexpr size_t kQuotedBodyChars = 200;  // of an error body that is not the API's JSON

// The canonical code named `name` ("NOT_FOUND"), if it is one.
bool ParseStatusCode(absl::string_view name, absl::StatusCode* code) {
  for (int c = 0; c <= 16; ++c) {
    if (absl::StatusCodeToString(static_cast<absl::StatusCode>(c)) == name) {
      *code = static_cast<absl::StatusCode>(c);
      return true;
    }
  }
  return false;
}

// Splits "host:port" or "[v6]:port" into a host httplib dials and a port.
absl::Status SplitServer(const std::string& server, std::string* host, int* port) {
  const size_t colon = server.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(server.substr(colon + 1), port) || *port < 1 || *port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("server '", server, "' is not HOST:PORT (e.g. 127.0.0.1:7080)"));
  }
  *host = server.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> SearchRequestToJson(const xmodal::v1::SearchRequest& request) {
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(request, &json, /*options=*/{});
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot write the SearchRequest as JSON: ", status.ToString()));
  }
  return json;
}

absl::Status StatusFromHttpError(int http_status, absl::string_view body) {
  const Json parsed = Json::parse(body.begin(), body.end(), /*cb=*/nullptr,
                                  /*allow_exceptions=*/false);
  absl::StatusCode code = absl::StatusCode::kUnknown;
  if (parsed.is_object() && parsed.contains("code") && parsed["code"].is_string() &&
      ParseStatusCode(parsed["code"].get<std::string>(), &code) && code != absl::StatusCode::kOk) {
    const std::string message = parsed.contains("message") && parsed["message"].is_string()
                                    ? parsed["message"].get<std::string>()
                                    : "";
    return absl::Status(code, message);
  }
  code = rpc::StatusCodeForHttp(http_status);
  if (code == absl::StatusCode::kOk) code = absl::StatusCode::kUnknown;
  return absl::Status(code, absl::StrCat("HTTP ", http_status, ": ",
                                         body.substr(0, std::min(body.size(), kQuotedBodyChars))));
}

absl::StatusOr<std::unique_ptr<HttpSearchClient>> HttpSearchClient::Create(
    const std::string& server, double deadline_seconds) {
  std::string host;
  int port = 0;
  if (absl::Status s = SplitServer(server, &host, &port); !s.ok()) return s;
  if (!std::isfinite(deadline_seconds) || deadline_seconds <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("deadline ", deadline_seconds, " s is not positive"));
  }
  auto client = std::make_unique<httplib::Client>(host, port);
  // Without TCP_NODELAY a request written as headers then body waits for the delayed ACK of
  // the headers: ~40 ms per request on Linux.
  client->set_tcp_nodelay(true);
  client->set_keep_alive(true);
  const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::duration<double>(deadline_seconds));
  client->set_connection_timeout(timeout);
  client->set_read_timeout(timeout);
  client->set_write_timeout(timeout);
  return std::unique_ptr<HttpSearchClient>(new HttpSearchClient(
      server, std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout),
      std::move(client)));
}

HttpSearchClient::HttpSearchClient(std::string server, std::chrono::steady_clock::duration deadline,
                                   std::unique_ptr<httplib::Client> client)
    : server_(std::move(server)), deadline_(deadline), client_(std::move(client)) {}

HttpSearchClient::~HttpSearchClient() = default;

absl::Status HttpSearchClient::Search(const std::string& json_body,
                                      xmodal::v1::SearchResponse* response) {
  const auto start = std::chrono::steady_clock::now();
  httplib::Result result = client_->Post(kSearchPath, json_body, "application/json");
  if (!result) {
    const httplib::Error error = result.error();
    const std::string what =
        absl::StrCat("POST http://", server_, kSearchPath, ": ", httplib::to_string(error));
    // httplib reports a read that timed out as a failed read; the time taken tells them apart.
    const bool timed_out = error == httplib::Error::ConnectionTimeout ||
                           ((error == httplib::Error::Read || error == httplib::Error::Write) &&
                            std::chrono::steady_clock::now() - start >= deadline_);
    return timed_out ? absl::DeadlineExceededError(what) : absl::UnavailableError(what);
  }
  if (result->status < 200 || result->status > 299) {
    return StatusFromHttpError(result->status, result->body);
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto parsed = google::protobuf::util::JsonStringToMessage(result->body, response, options);
  if (!parsed.ok()) {
    return absl::InternalError(absl::StrCat("the answer to POST ", kSearchPath,
                                            " is not a SearchResponse: ", parsed.ToString()));
  }
  return absl::OkStatus();
}

}  // namespace xmodal::bench
