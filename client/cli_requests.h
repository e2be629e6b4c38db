// Turns parsed CLI arguments (cli_args.h) into API requests, reading image and audio files.
// Stateless and thread-safe.
#ifndef XMODAL_CLIENT_CLI_REQUESTS_H_
#define XMODAL_CLIENT_CLI_REQUESTS_H_

#include "absl/status/statusor.h"
#include "client/cli_args.h"
#include "xmodal/v1/xmodal.pb.h"

namespace xmodal::client {

// The query of `args` (text, item id, or the bytes of the --image / --audio file). File errors
// have ReadFile's code (NOT_FOUND for a missing file, ...) and a message naming the file and
// what it was for: "cannot read image file 'cat.jpg': No such file or directory".
// INVALID_ARGUMENT when `args` has no input.
absl::StatusOr<xmodal::v1::Query> BuildQuery(const CliArgs& args);

// BuildQuery plus --to, -k, --filter and --source.
absl::StatusOr<xmodal::v1::SearchRequest> BuildSearchRequest(const CliArgs& args);
absl::StatusOr<xmodal::v1::EmbedRequest> BuildEmbedRequest(const CliArgs& args);
// include_bytes is set when --bytes names an output file.
xmodal::v1::GetItemRequest BuildGetItemRequest(const CliArgs& args);

}  // namespace xmodal::client

#endif  // XMODAL_CLIENT_CLI_REQUESTS_H_
