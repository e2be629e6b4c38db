// Human-readable and JSON renderings of the API responses for the xmodal CLI. Text coming from
// the server (sources, item texts, metadata) is printed with control characters replaced, so a
// hostile collection cannot send terminal escape sequences. Stateless and thread-safe.
#ifndef XMODAL_CLIENT_OUTPUT_FORMAT_H_
#define XMODAL_CLIENT_OUTPUT_FORMAT_H_

#include <google/protobuf/message.h>

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "xmodal/v1/xmodal.pb.h"

namespace xmodal::client {

// A table with one row per hit: rank, score (3 decimals), modality, the whole item id (what
// `get` and --item take), the audio segment ("1.0-2.0s"; the column only when some hit has one)
// and the source URI, or the quoted text for text items; then a line with the hit count,
// generation and stage timings.
std::string FormatHitsTable(const xmodal::v1::SearchResponse& response);

// The dimension, the vector count and, per vector, its segment and first few values.
std::string FormatEmbedding(const xmodal::v1::EmbedResponse& response);

// One "label  value" line per field that is set.
std::string FormatItem(const xmodal::v1::Item& item);

// Server version, model pin, served generation and one line per modality.
std::string FormatInfo(const xmodal::v1::GetInfoResponse& info);

// Pretty-printed JSON (ending in a newline) with the proto field names (item_id, not itemId)
// and every field, zero or not, except empty bytes fields outside oneofs (GetItem's content
// when no bytes were asked for). 64-bit integers are JSON numbers (protobuf's printer quotes
// them); the output parses back with protobuf's JSON parser. INTERNAL if conversion fails.
absl::StatusOr<std::string> FormatJson(const google::protobuf::Message& message);

// Helpers, exposed for tests.
// The first `width` characters of `id` ("3f2a9c0d1e2b"); shorter ids are returned whole.
std::string ShortenId(absl::string_view id, size_t width = 12);
// "1.0-2.0s".
std::string FormatSegment(double start_seconds, double end_seconds);
// `text` on one line: control characters (newlines included) become spaces, and text longer
// than `max_bytes` is cut at a UTF-8 character boundary and ends with "...".
std::string OneLine(absl::string_view text, size_t max_bytes);

}  // namespace xmodal::client

#endif  // XMODAL_CLIENT_OUTPUT_FORMAT_H_
