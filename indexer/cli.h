// The xmodal-index command line: flag parsing (cli::Program, the same rules as every xmodal
// program), usage text, and the whole program as a function (main.cc only forwards to
// IndexerMain), so that exit codes are testable. Stateless and thread-safe.
#ifndef XMODAL_INDEXER_CLI_H_
#define XMODAL_INDEXER_CLI_H_

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "indexer/pipeline.h"

namespace xmodal::indexer {

inline constexpr int kExitOk = 0;          // everything indexed
inline constexpr int kExitSomeFailed = 1;  // some inputs failed; the rest indexed, published
inline constexpr int kExitFatal = 2;       // bad flags, model or collection problems

struct CommandLine {
  IndexerOptions options;
  bool json = false;     // --json: the summary as JSON on stdout
  bool help = false;     // --help / -h
  bool version = false;  // --version
};

// Parses the arguments after the program name (cli/program.h): `--flag value`, `--flag=value`
// (one or two dashes), `--manifest` repeatable, `--json` / `--nojson` / `--json=true|false`,
// `--flagfile=FILE`, `--` ends the flags; everything else is a PATH. INVALID_ARGUMENT naming
// the flag for an unknown flag, a missing or malformed value. Does not validate the options
// (ValidateOptions does).
absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args);

std::string UsageText();

// Runs the program: parse, index with terminal progress on `err`, print the summary (text,
// or JSON with --json) on `out`. Returns kExitOk, kExitSomeFailed or kExitFatal; fatal
// errors and bad flags are reported on `err`. --help prints the usage and --version
// "xmodal-index VERSION" on `out` (exit 0); no PATH and no manifest prints the usage on `err`
// (exit 2).
int IndexerMain(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_CLI_H_
