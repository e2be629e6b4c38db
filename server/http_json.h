// The HTTP API's bodies: API messages in protobuf's canonical JSON mapping (lowerCamelCase
// field names on output, either spelling accepted on input, enums by name, int64 as strings,
// bytes as base64, fields at their defaults printed), and the error body
// {"code": "INVALID_ARGUMENT", "message": "..."} whose code is the canonical name of the same
// status gRPC would return. Stateless and thread-safe.
#ifndef XMODAL_SERVER_HTTP_JSON_H_
#define XMODAL_SERVER_HTTP_JSON_H_

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace xmodal::server {

// Parses `json` into `message` (cleared first). INVALID_ARGUMENT "the request body is not a
// valid <MessageName>: <parser's reason>" for malformed JSON, an unknown field or a value of
// the wrong type.
absl::Status ParseJsonMessage(absl::string_view json, google::protobuf::Message* message);

// The message's JSON (never fails for the API's messages; INTERNAL text otherwise).
std::string ToJson(const google::protobuf::Message& message);

// {"code": "<CANONICAL_NAME>", "message": "<status message>"}, newline-terminated.
std::string ErrorJson(const absl::Status& status);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_HTTP_JSON_H_
