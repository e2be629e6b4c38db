#include "server/http_content.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace xmodal::server {
namespace {

std::string DescribeRange(const std::pair<int64_t, int64_t>& range) {
  const auto [first, last] = range;
  return absl::StrCat("bytes=", first < 0 ? "" : absl::StrCat(first), "-",
                      last < 0 ? "" : absl::StrCat(last));
}

}  // namespace

absl::StatusOr<std::optional<ByteRange>> ResolveByteRange(
    const std::vector<std::pair<int64_t, int64_t>>& ranges, int64_t size) {
  if (ranges.size() != 1) return std::nullopt;
  const auto [first, last] = ranges.front();
  ByteRange range;
  bool satisfiable = false;
  if (first < 0) {  // suffix: the last `last` bytes
    satisfiable = last > 0 && size > 0;
    range = {.first = std::max<int64_t>(0, size - last), .last = size - 1};
  } else {
    satisfiable = first < size && (last < 0 || last >= first);
    range = {.first = first, .last = last < 0 ? size - 1 : std::min(last, size - 1)};
  }
  if (!satisfiable) {
    return absl::OutOfRangeError(absl::StrCat("the requested range ", DescribeRange(ranges.front()),
                                              " is outside the content (", size, " bytes)"));
  }
  return range;
}

std::string ContentEtag(absl::string_view content_sha256) {
  return absl::StrCat("\"", content_sha256, "\"");
}

bool IfNoneMatchHits(absl::string_view if_none_match, absl::string_view etag) {
  for (absl::string_view tag : absl::StrSplit(if_none_match, ',')) {
    tag = absl::StripAsciiWhitespace(tag);
    if (tag == "*") return true;
    absl::ConsumePrefix(&tag, "W/");  // If-None-Match compares weakly
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace xmodal::server
