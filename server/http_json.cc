#include "server/http_json.h"

#include <glog/logging.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "core/base/json.h"

namespace xmodal::server {

absl::Status ParseJsonMessage(absl::string_view json, google::protobuf::Message* message) {
  message->Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (status.ok()) return absl::OkStatus();
  message->Clear();
  return absl::InvalidArgumentError(absl::StrCat("the request body is not a valid ",
                                                 message->GetDescriptor()->name(), ": ",
                                                 std::string(status.message())));
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    LOG(ERROR) << "cannot print " << message.GetDescriptor()->name() << " as JSON: " << status;
    return ErrorJson(absl::InternalError("the response could not be written as JSON"));
  }
  json += '\n';
  return json;
}

std::string ErrorJson(const absl::Status& status) {
  const Json body = {{"code", absl::StatusCodeToString(status.code())},
                     {"message", std::string(status.message())}};
  return DumpJson(body) + "\n";  // a message quoting invalid UTF-8 gets U+FFFD
}

}  // namespace xmodal::server
