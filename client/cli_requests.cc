#include "client/cli_requests.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "rpc/modality_mapping.h"

namespace xmodal::client {
namespace {

// The bytes of `path`, or ReadFile's code with "cannot read image file 'x.png': REASON", where
// REASON is ReadFile's message without the path it repeats ("No such file or directory").
absl::StatusOr<std::string> ReadInputFile(absl::string_view kind, const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (bytes.ok()) return bytes;
  absl::string_view reason = bytes.status().message();
  const std::string quoted = absl::StrCat("'", path, "'");
  std::string because;
  if (const size_t at = reason.find(quoted + ": "); at != absl::string_view::npos) {
    because = std::string(reason.substr(at + quoted.size() + 2));  // "cannot open 'p': errno"
  } else if (absl::ConsumePrefix(&reason, quoted + " ")) {
    because = absl::StrCat("it ", reason);  // "'p' is a directory"
  } else {
    because = std::string(reason);
  }
  return absl::Status(bytes.status().code(),
                      absl::StrCat("cannot read ", kind, " file ", quoted, ": ", because));
}

}  // namespace

absl::StatusOr<xmodal::v1::Query> BuildQuery(const CliArgs& args) {
  xmodal::v1::Query query;
  switch (args.input) {
    case InputKind::kText:
      query.set_text(args.input_value);
      return query;
    case InputKind::kItem:
      query.set_item_id(args.input_value);
      return query;
    case InputKind::kImage: {
      XM_ASSIGN_OR_RETURN(*query.mutable_image(), ReadInputFile("image", args.input_value));
      return query;
    }
    case InputKind::kAudio: {
      XM_ASSIGN_OR_RETURN(*query.mutable_audio(), ReadInputFile("audio", args.input_value));
      return query;
    }
    case InputKind::kNone:
      break;
  }
  return absl::InvalidArgumentError("no query input: give --text, --image, --audio or --item");
}

absl::StatusOr<xmodal::v1::SearchRequest> BuildSearchRequest(const CliArgs& args) {
  xmodal::v1::SearchRequest request;
  XM_ASSIGN_OR_RETURN(*request.mutable_query(), BuildQuery(args));
  for (Modality m : args.targets) request.add_targets(rpc::ToProtoModality(m));
  request.set_k(args.k);
  request.mutable_metadata_filter()->insert(args.filters.begin(), args.filters.end());
  request.set_source_prefix(args.source_prefix);
  return request;
}

absl::StatusOr<xmodal::v1::EmbedRequest> BuildEmbedRequest(const CliArgs& args) {
  xmodal::v1::EmbedRequest request;
  XM_ASSIGN_OR_RETURN(*request.mutable_query(), BuildQuery(args));
  return request;
}

xmodal::v1::GetItemRequest BuildGetItemRequest(const CliArgs& args) {
  xmodal::v1::GetItemRequest request;
  request.set_item_id(args.item_id);
  request.set_include_bytes(!args.bytes_path.empty());
  return request;
}

}  // namespace xmodal::client
