// The HTTP endpoints' handlers (http_server.h lists them): each turns the request into an Api
// call and the outcome into a response; errors go back to HttpServer::Serve.
#include <httplib.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/media/media_type.h"
#include "server/http_content.h"
#include "server/http_form.h"
#include "server/http_json.h"
#include "server/http_response.h"
#include "server/http_server.h"
#include "server/thumbnail.h"
#include "server/web/web_assets.h"

namespace xmodal::server {
namespace {

constexpr absl::string_view kJson = "application/json";
constexpr int kDefaultThumbnailSize = 256;
constexpr int kMinThumbnailSize = 16;
constexpr int kMaxThumbnailSize = 1024;
// Clients revalidate with If-None-Match: an item's bytes can change under the same id when its
// file is re-indexed.
constexpr const char* kRevalidate = "no-cache";

enum class BodyKind { kJson, kForm };

// Which body a POST carries, from its Content-Type. 415 for a missing or other type.
absl::StatusOr<BodyKind> PostBodyKind(const httplib::Request& request) {
  const std::string header = request.get_header_value("Content-Type");
  const std::string type =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(header.substr(0, header.find(';'))));
  if (type == "application/json") return BodyKind::kJson;
  if (type == "multipart/form-data" && request.is_multipart_form_data()) return BodyKind::kForm;
  return WithHttpStatus(
      absl::InvalidArgumentError(
          header.empty()
              ? "the request has no Content-Type: send application/json or multipart/form-data"
              : absl::StrCat("Content-Type '", header.substr(0, 100),
                             "' is not supported: send application/json or multipart/form-data")),
      415);
}

std::vector<FormPart> FormParts(const httplib::Request& request) {
  std::vector<FormPart> parts;
  parts.reserve(request.files.size());
  for (const auto& [name, file] : request.files) {
    parts.push_back({.name = name,
                     .filename = file.filename,
                     .content_type = file.content_type,
                     .content = file.content});
  }
  return parts;
}

// The request message of a POST, from JSON or a form.
template <typename Message>
absl::StatusOr<Message> ParsePost(
    const httplib::Request& request,
    absl::StatusOr<Message> (*from_form)(const std::vector<FormPart>&)) {
  XM_ASSIGN_OR_RETURN(const BodyKind kind, PostBodyKind(request));
  if (kind == BodyKind::kForm) return from_form(FormParts(request));
  Message message;
  XM_RETURN_IF_ERROR(ParseJsonMessage(request.body, &message));
  return message;
}

void SendJson(const httplib::Request& request, const google::protobuf::Message& message,
              httplib::Response& response) {
  SendExactly(request, ToJson(message), kJson, response);
}

// The size query parameter of a thumbnail.
absl::StatusOr<int> ThumbnailSize(const httplib::Request& request) {
  if (!request.has_param("size")) return kDefaultThumbnailSize;
  const std::string value = request.get_param_value("size");
  int size = 0;
  if (!absl::SimpleAtoi(value, &size) || size < kMinThumbnailSize || size > kMaxThumbnailSize) {
    return absl::InvalidArgumentError(absl::StrCat("size must be an integer in ", kMinThumbnailSize,
                                                   "..", kMaxThumbnailSize, ", got '",
                                                   value.substr(0, 32), "'"));
  }
  return size;
}

// True (and a 304 set up) when the client's copy, named by If-None-Match, is current.
bool NotModified(const httplib::Request& request, const std::string& etag,
                 httplib::Response& response) {
  response.set_header("ETag", etag);
  response.set_header("Cache-Control", kRevalidate);
  if (!request.has_header("If-None-Match") ||
      !IfNoneMatchHits(request.get_header_value("If-None-Match"), etag)) {
    return false;
  }
  SendExactly(request, "", "text/plain", response);
  response.status = 304;
  return true;
}

}  // namespace

absl::Status HttpServer::HandleSearch(const Request& request, Response& response) {
  XM_ASSIGN_OR_RETURN(const xmodal::v1::SearchRequest search,
                      ParsePost<xmodal::v1::SearchRequest>(request, &SearchRequestFromForm));
  xmodal::v1::SearchResponse out;
  XM_RETURN_IF_ERROR(api_.Search(CallControl(), search, &out));
  SendJson(request, out, response);
  return absl::OkStatus();
}

absl::Status HttpServer::HandleEmbed(const Request& request, Response& response) {
  XM_ASSIGN_OR_RETURN(const xmodal::v1::EmbedRequest embed,
                      ParsePost<xmodal::v1::EmbedRequest>(request, &EmbedRequestFromForm));
  xmodal::v1::EmbedResponse out;
  XM_RETURN_IF_ERROR(api_.Embed(CallControl(), embed, &out));
  SendJson(request, out, response);
  return absl::OkStatus();
}

absl::Status HttpServer::HandleGetItem(const Request& request, Response& response) {
  xmodal::v1::GetItemRequest get;
  get.set_item_id(request.matches[1].str());
  xmodal::v1::GetItemResponse out;
  XM_RETURN_IF_ERROR(api_.GetItem(CallControl(), get, &out));
  // {"item": ...} without GetItemResponse's empty `content`: the bytes have their own endpoint.
  std::string item_json = ToJson(out.item());
  item_json.pop_back();  // its newline
  SendExactly(request, absl::StrCat("{\"item\":", item_json, "}\n"), kJson, response);
  return absl::OkStatus();
}

absl::Status HttpServer::HandleContent(const Request& request, Response& response) {
  XM_ASSIGN_OR_RETURN(engine::ItemWithBytes item,
                      api_.GetItemWithContent(CallControl(), request.matches[1].str()));
  if (NotModified(request, ContentEtag(item.item.content_sha256), response)) {
    return absl::OkStatus();
  }
  const int64_t size = static_cast<int64_t>(item.bytes.size());
  response.set_header("Accept-Ranges", "bytes");
  std::vector<std::pair<int64_t, int64_t>> ranges(request.ranges.begin(), request.ranges.end());
  absl::StatusOr<std::optional<ByteRange>> range = ResolveByteRange(ranges, size);
  if (!range.ok()) {
    response.set_header("Content-Range", absl::StrCat("bytes */", size));
    return WithHttpStatus(range.status(), 416);
  }
  const std::string type(item.item.modality == Modality::kText ? "text/plain; charset=utf-8"
                                                               : media::MediaTypeOf(item.bytes));
  if (!range->has_value()) {
    SendExactly(request, std::move(item.bytes), type, response);
    return absl::OkStatus();
  }
  const ByteRange& r = **range;
  response.set_header("Content-Range", absl::StrCat("bytes ", r.first, "-", r.last, "/", size));
  SendExactly(request, item.bytes.substr(r.first, r.length()), type, response);
  response.status = 206;
  return absl::OkStatus();
}

absl::Status HttpServer::HandleThumbnail(const Request& request, Response& response) {
  XM_ASSIGN_OR_RETURN(const int size, ThumbnailSize(request));
  xmodal::v1::GetItemRequest get;
  get.set_item_id(request.matches[1].str());
  xmodal::v1::GetItemResponse described;
  XM_RETURN_IF_ERROR(api_.GetItem(CallControl(), get, &described));
  const xmodal::v1::Item& item = described.item();
  if (item.modality() != xmodal::v1::MODALITY_IMAGE) {
    return absl::InvalidArgumentError(absl::StrCat("item ", item.item_id(), " is ",
                                                   xmodal::v1::Modality_Name(item.modality()),
                                                   "; only image items have thumbnails"));
  }
  const std::string etag = absl::StrCat("\"", item.content_sha256(), "-", size, "\"");
  if (NotModified(request, etag, response)) return absl::OkStatus();
  bool hit = false;
  XM_ASSIGN_OR_RETURN(const std::shared_ptr<const Thumbnail> thumbnail,
                      thumbnails_.GetOrMake(
                          item.content_sha256(), size,
                          [&]() -> absl::StatusOr<Thumbnail> {
                            XM_ASSIGN_OR_RETURN(
                                const engine::ItemWithBytes original,
                                api_.GetItemWithContent(CallControl(), item.item_id()));
                            return MakeThumbnail(original.bytes, size, api_.limits().image);
                          },
                          &hit));
  api_.metrics().RecordThumbnail(hit);
  SendExactly(request, thumbnail->bytes, thumbnail->content_type, response);
  return absl::OkStatus();
}

absl::Status HttpServer::HandleInfo(const Request& request, Response& response) {
  xmodal::v1::GetInfoResponse out;
  XM_RETURN_IF_ERROR(api_.GetInfo(CallControl(), &out));
  SendJson(request, out, response);
  return absl::OkStatus();
}

absl::Status HttpServer::HandleReady(const Request& request, Response& response) {
  if (!ready_()) {
    return absl::UnavailableError("not ready: no generation is being served");
  }
  SendExactly(
      request,
      absl::StrCat("{\"status\":\"READY\",\"generation\":\"", api_.Snapshot().generation, "\"}\n"),
      kJson, response);
  return absl::OkStatus();
}

absl::Status HttpServer::HandleMetrics(const Request& request, Response& response) {
  ServingSnapshot snapshot = api_.Snapshot();
  snapshot.ready = snapshot.ready && ready_();
  snapshot.thumbnail_cache_bytes = thumbnails_.bytes();
  snapshot.thumbnail_cache_entries = thumbnails_.entries();
  SendExactly(request, api_.metrics().RenderText(snapshot),
              "text/plain; version=0.0.4; charset=utf-8", response);
  return absl::OkStatus();
}

absl::Status HttpServer::HandleAsset(const Request& request, Response& response) {
  const WebAsset* asset = FindWebAsset(request.path);
  if (asset == nullptr) return absl::NotFoundError(absl::StrCat("no page at ", request.path));
  const std::string etag(asset->etag);
  if (NotModified(request, etag, response)) return absl::OkStatus();
  SendExactly(request, std::string(asset->body), asset->content_type, response);
  return absl::OkStatus();
}

}  // namespace xmodal::server
