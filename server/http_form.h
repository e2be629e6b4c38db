// Search and Embed requests sent as multipart/form-data, the way browsers upload files: the
// query is a file part (`image`, `audio`, or `file`, whose kind is recognised from its bytes)
// or a `text` or `item_id` field; a search may add `targets` (repeatable or comma-separated:
// text, image, audio or the enum names), `k`, `source_prefix` and `filter` (key=value,
// repeatable). Exactly one query is allowed. Every error is INVALID_ARGUMENT and names the
// part. Stateless and thread-safe.
#ifndef XMODAL_SERVER_HTTP_FORM_H_
#define XMODAL_SERVER_HTTP_FORM_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "xmodal/v1/xmodal.pb.h"

namespace xmodal::server {

// One part of a multipart/form-data body (a field when `filename` is empty).
struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string content;
};

// Errors: no query part ("the form has no query: add a file part named image, audio or file,
// or a text or item_id field"), two queries, an empty file, a `file` whose bytes are neither a
// readable image nor audio, an unknown part name, a bad target, k that is not an integer, a
// filter without '=' or with an empty key.
absl::StatusOr<xmodal::v1::SearchRequest> SearchRequestFromForm(const std::vector<FormPart>& form);
// Only the query parts are allowed.
absl::StatusOr<xmodal::v1::EmbedRequest> EmbedRequestFromForm(const std::vector<FormPart>& form);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_HTTP_FORM_H_
