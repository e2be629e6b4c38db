#include "client/cli_args.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/program.h"
#include "core/base/status_macros.h"

namespace xmodal::client {
namespace {

struct CommandName {
  Command command;
  absl::string_view name;
};
constexpr CommandName kCommands[] = {{Command::kSearch, "search"},
                                     {Command::kEmbed, "embed"},
                                     {Command::kGet, "get"},
                                     {Command::kInfo, "info"}};

absl::string_view NameOf(Command command) {
  for (const CommandName& c : kCommands) {
    if (c.command == command) return c.name;
  }
  return "?";
}

std::optional<Command> CommandNamed(absl::string_view name) {
  for (const CommandName& c : kCommands) {
    if (c.name == name) return c.command;
  }
  return std::nullopt;
}

absl::Status UsageError(absl::string_view message) { return absl::InvalidArgumentError(message); }

// The words as given; ParseCliArgs checks and converts them into CliArgs.
struct Raw {
  std::string server = kDefaultServer;
  std::string timeout = "30";
  std::string text, image, audio, item;
  std::vector<std::string> to;
  std::string k;
  std::vector<std::string> filters;
  std::string source, bytes, item_id, help_topic;
  bool json = false;
};

constexpr absl::string_view kInputs[] = {"text", "image", "audio", "item"};

// The program with every command bound to `raw`.
class Parser {
 public:
  explicit Parser(Raw& raw)
      : program_({
            .name = "xmodal",
            .description = "The command-line client of an xmodal server.",
            .usage = "xmodal [--server HOST[:PORT]] [--timeout SECONDS] [--json] COMMAND [options]",
            .footer = "'xmodal help COMMAND' or 'xmodal COMMAND --help' for a command.\n"
                      "Exit status: 0 on success, 1 when the server or a file operation fails, "
                      "2 for a usage error.",
        }) {
    program_
        .Flag("server", &raw.server, "the xmodal server (port 7070 when only a host is given)",
              {.value_name = "HOST[:PORT]"})
        .Flag("timeout", &raw.timeout, "the deadline of each call", {.value_name = "SECONDS"})
        .Flag("json", &raw.json, "print the response as JSON (every value, for embed)");
    cli::Command& search = Add(
        Command::kSearch, "the items nearest to a text, an image, an audio clip or an indexed item",
        "xmodal search (--text TEXT | --image FILE | --audio FILE | --item ID)\n"
        "                     [--to MODALITIES] [-k N] [--filter KEY=VALUE]... "
        "[--source PREFIX] [--json]");
    BindInputs(search, raw);
    search
        .Flag("to", &raw.to, "the modalities to search, e.g. image,audio (default: all)",
              {.value_name = "MODALITIES"})
        .Flag("k", &raw.k, "the number of hits; 0: the server's default", {.value_name = "N"})
        .Flag("filter", &raw.filters,
              "only items whose metadata has KEY=VALUE; repeat for more pairs",
              {.value_name = "KEY=VALUE"})
        .Flag("source", &raw.source, "only items whose source URI starts with PREFIX",
              {.value_name = "PREFIX"});
    cli::Command& embed =
        Add(Command::kEmbed,
            "the embedding of a text, an image or an audio clip (audio: one vector per segment)",
            "xmodal embed (--text TEXT | --image FILE | --audio FILE | --item ID) [--json]");
    BindInputs(embed, raw);
    Add(Command::kGet, "an indexed item's metadata, and optionally its bytes",
        "xmodal get ID [--bytes OUT_FILE] [--json]")
        .Positional("ID", &raw.item_id, "the item id")
        .Flag("bytes", &raw.bytes,
              "also fetch the item's bytes (a file's, or an inline text's) into OUT_FILE",
              {.value_name = "OUT_FILE"});
    Add(Command::kInfo, "the model, the served generation and the counts per modality",
        "xmodal info [--json]");
    program_.Subcommand("help", "the usage of xmodal or of one COMMAND", "xmodal help [COMMAND]")
        .Positional("COMMAND", &raw.help_topic, "search, embed, get or info");
    program_.RequireSubcommand();
  }

  cli::Program& program() { return program_; }
  cli::Command& command(Command c) { return *commands_[static_cast<int>(c)]; }

 private:
  cli::Command& Add(Command c, absl::string_view description, absl::string_view usage) {
    cli::Command& sub = program_.Subcommand(NameOf(c), description, usage);
    commands_[static_cast<int>(c)] = &sub;
    return sub;
  }
  static void BindInputs(cli::Command& c, Raw& raw) {
    c.Flag("text", &raw.text, "query with a text", {.value_name = "TEXT"})
        .Flag("image", &raw.image, "query with an image file (JPEG, PNG or WebP)",
              {.value_name = "FILE"})
        .Flag("audio", &raw.audio, "query with an audio file (WAV, FLAC, Ogg/Vorbis or MP3)",
              {.value_name = "FILE"})
        .Flag("item", &raw.item, "query with an indexed item (\"more like this\")",
              {.value_name = "ID"});
  }

  cli::Program program_;
  std::array<cli::Command*, 4> commands_ = {};
};

absl::Status ApplyInputs(const cli::Command& c, const Raw& raw, CliArgs& out) {
  const std::string* values[] = {&raw.text, &raw.image, &raw.audio, &raw.item};
  const InputKind kinds[] = {InputKind::kText, InputKind::kImage, InputKind::kAudio,
                             InputKind::kItem};
  for (int i = 0; i < 4; ++i) {
    if (c.Count(kInputs[i]) == 0) continue;
    if (out.input != InputKind::kNone) {
      return UsageError("give only one of --text, --image, --audio or --item");
    }
    if (values[i]->empty()) return UsageError(absl::StrCat("--", kInputs[i], " is empty"));
    out.input = kinds[i];
    out.input_value = *values[i];
  }
  if (out.input == InputKind::kNone) {
    return UsageError(
        absl::StrCat(NameOf(*out.command), " needs one of --text, --image, --audio or --item"));
  }
  return absl::OkStatus();
}

absl::Status ApplySearch(const Raw& raw, CliArgs& out) {
  for (const std::string& list : raw.to) {
    absl::StatusOr<std::vector<Modality>> targets = ParseModalityList(list);
    if (!targets.ok()) return UsageError(absl::StrCat("--to: ", targets.status().message()));
    for (Modality m : *targets) {
      if (std::find(out.targets.begin(), out.targets.end(), m) == out.targets.end()) {
        out.targets.push_back(m);
      }
    }
  }
  if (!raw.k.empty()) {
    int k = 0;
    if (!absl::SimpleAtoi(raw.k, &k) || k < 0) {
      return UsageError(absl::StrCat(
          "-k must be 0 (the server's default) or a positive integer, got '", raw.k, "'"));
    }
    out.k = k;
  }
  for (const std::string& v : raw.filters) {
    const size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      return UsageError(absl::StrCat("--filter needs KEY=VALUE, got '", v, "'"));
    }
    if (!out.filters.emplace(v.substr(0, eq), v.substr(eq + 1)).second) {
      return UsageError(absl::StrCat("--filter gives key '", v.substr(0, eq), "' twice"));
    }
  }
  out.source_prefix = raw.source;
  return absl::OkStatus();
}

absl::Status ApplyGlobal(const Raw& raw, CliArgs& out) {
  if (raw.server.empty()) return UsageError("--server is empty: give HOST:PORT");
  out.server = raw.server;
  double seconds = 0;
  if (!absl::SimpleAtod(raw.timeout, &seconds) || !std::isfinite(seconds) || seconds <= 0) {
    return UsageError(
        absl::StrCat("--timeout must be a positive number of seconds, got '", raw.timeout, "'"));
  }
  out.timeout_seconds = seconds;
  out.json = raw.json;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& args) {
  Raw raw;
  Parser parser(raw);
  XM_ASSIGN_OR_RETURN(const cli::Program::Outcome outcome, parser.program().TryParse(args));
  CliArgs out;
  if (outcome.command != nullptr) out.command = CommandNamed(outcome.command->name());
  if (outcome.action == cli::Program::Action::kVersion) {
    out.version = true;
    return out;
  }
  if (outcome.action == cli::Program::Action::kHelp) {
    out.help = true;
    return out;
  }
  if (outcome.command->name() == "help") {
    out.help = true;
    if (!raw.help_topic.empty()) {
      out.command = CommandNamed(raw.help_topic);
      if (!out.command.has_value()) {
        return UsageError(absl::StrCat("unknown command '", raw.help_topic,
                                       "' (expected search, embed, get or info)"));
      }
    }
    return out;
  }
  XM_RETURN_IF_ERROR(ApplyGlobal(raw, out));
  const cli::Command& command = parser.command(*out.command);
  switch (*out.command) {
    case Command::kSearch:
      XM_RETURN_IF_ERROR(ApplyInputs(command, raw, out));
      XM_RETURN_IF_ERROR(ApplySearch(raw, out));
      break;
    case Command::kEmbed:
      XM_RETURN_IF_ERROR(ApplyInputs(command, raw, out));
      break;
    case Command::kGet:
      if (command.Count("ID") == 0) {
        return UsageError("get needs an item id: xmodal get ID");
      }
      if (raw.item_id.empty()) return UsageError("the item id is empty");
      out.item_id = raw.item_id;
      if (command.Count("bytes") > 0 && raw.bytes.empty()) {
        return UsageError("--bytes is empty: give the file to write");
      }
      out.bytes_path = raw.bytes;
      break;
    case Command::kInfo:
      break;
  }
  return out;
}

std::string UsageText(std::optional<Command> command) {
  Raw raw;
  Parser parser(raw);
  return command.has_value() ? parser.command(*command).Help() : parser.program().Help();
}

std::string VersionText() { return absl::StrCat("xmodal ", cli::ProjectVersion(), "\n"); }

}  // namespace xmodal::client
