// Command-line parsing for the `xmodal` CLI, kept apart from main so it can be tested:
//   xmodal [--server HOST:PORT] [--timeout SECONDS] COMMAND [options]
//   COMMAND: search | embed | get ID | info | help [COMMAND]
// Built on cli::Program (cli/program.h): flags take their value as "--flag value" or
// "--flag=value", --flagfile=FILE reads more, the global flags may appear anywhere, each
// command takes its own. Stateless and thread-safe.
#ifndef XMODAL_CLIENT_CLI_ARGS_H_
#define XMODAL_CLIENT_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/modality.h"

namespace xmodal::client {

enum class Command { kSearch, kEmbed, kGet, kInfo };

// Which query input was given, and so how CliArgs::input_value is read.
enum class InputKind {
  kNone,
  kText,   // input_value is the text
  kImage,  // input_value is a file path
  kAudio,  // input_value is a file path
  kItem,   // input_value is an item id
};

inline constexpr char kDefaultServer[] = "127.0.0.1:7070";

struct CliArgs {
  std::optional<Command> command;  // unset only with `help` and no command named
  bool help = false;               // print the usage of `command` (or the global one), exit 0
  bool version = false;            // --version: print VersionText(), exit 0
  std::string server = kDefaultServer;
  double timeout_seconds = 30;
  bool json = false;
  // search and embed
  InputKind input = InputKind::kNone;
  std::string input_value;
  // search
  std::vector<Modality> targets;               // --to; empty: every modality
  int k = 0;                                   // -k; 0: the server's default
  std::map<std::string, std::string> filters;  // --filter key=value
  std::string source_prefix;                   // --source
  // get
  std::string item_id;
  std::string bytes_path;  // --bytes: write the item's bytes here
};

// Parses the arguments that follow the program name. INVALID_ARGUMENT with a message meant for
// the user for: no or an unknown command, an unknown flag or one the command does not take, a
// missing or malformed value (-k not an integer >= 0, --timeout not a positive number,
// --filter without '=', an unknown --to modality, a --filter key given twice), not exactly one
// query input for search and embed, a missing or extra positional argument.
absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& args);

// The usage text of `command`, or the global usage when unset.
std::string UsageText(std::optional<Command> command);

// "xmodal VERSION\n", what --version prints.
std::string VersionText();

}  // namespace xmodal::client

#endif  // XMODAL_CLIENT_CLI_ARGS_H_
