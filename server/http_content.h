// The HTTP semantics of serving an item's bytes: byte ranges (RFC 9110 section 14, so that
// audio players can seek) and entity tags for conditional requests. Pure functions; thread-safe.
#ifndef XMODAL_SERVER_HTTP_CONTENT_H_
#define XMODAL_SERVER_HTTP_CONTENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::server {

// Inclusive byte positions.
struct ByteRange {
  int64_t first = 0;
  int64_t last = 0;
  int64_t length() const { return last - first + 1; }
};

// The range to send of content of `size` bytes, from a Range header as cpp-httplib parses it:
// (first, last) pairs, -1 for an open end ("bytes=5-" is (5, -1), the suffix "bytes=-3" is
// (-1, 3)). nullopt: send everything (no range, or several ranges, which a server may ignore).
// OUT_OF_RANGE "the requested range bytes=20-30 is outside the content (10 bytes)" when the one
// range starts past the end, is reversed or is an empty suffix.
absl::StatusOr<std::optional<ByteRange>> ResolveByteRange(
    const std::vector<std::pair<int64_t, int64_t>>& ranges, int64_t size);

// The strong entity tag of content with this SHA-256: the quoted hex digest.
std::string ContentEtag(absl::string_view content_sha256);

// True when an If-None-Match header value ("*", or a comma-separated list of tags, weak ones
// compared weakly) matches `etag`: the client's copy is current.
bool IfNoneMatchHits(absl::string_view if_none_match, absl::string_view etag);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_HTTP_CONTENT_H_
