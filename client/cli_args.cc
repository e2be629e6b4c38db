#include "client/cli_args.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
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

// The flags that take a value (the others are --json and --help / -h).
constexpr absl::string_view kValueFlags[] = {
    "server", "timeout", "text", "image", "audio", "item", "to", "k", "filter", "source", "bytes"};

absl::string_view NameOf(Command command) {
  for (const CommandName& c : kCommands) {
    if (c.command == command) return c.name;
  }
  return "?";
}

bool IsValueFlag(absl::string_view name) {
  for (absl::string_view f : kValueFlags) {
    if (f == name) return true;
  }
  return false;
}

bool Takes(Command command, absl::string_view flag) {
  if (flag == "server" || flag == "timeout" || flag == "json") return true;
  const bool input = flag == "text" || flag == "image" || flag == "audio" || flag == "item";
  switch (command) {
    case Command::kSearch:
      return input || flag == "to" || flag == "k" || flag == "filter" || flag == "source";
    case Command::kEmbed:
      return input;
    case Command::kGet:
      return flag == "bytes";
    case Command::kInfo:
      return false;
  }
  return false;
}

// How the user spells a flag: "-k", "--text".
std::string Spelled(absl::string_view name) {
  return absl::StrCat(name.size() == 1 ? "-" : "--", name);
}

absl::Status UsageError(absl::string_view message) { return absl::InvalidArgumentError(message); }

struct FlagValue {
  std::string name;
  std::string value;
};

// What a first pass over the words finds, before the command is known.
struct Words {
  std::vector<FlagValue> flags;  // in order
  std::vector<std::string> positional;
  bool help = false;
};

absl::StatusOr<Words> SplitWords(const std::vector<std::string>& args) {
  Words words;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      words.positional.insert(words.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      words.positional.push_back(arg);
      continue;
    }
    absl::string_view body = absl::StripPrefix(absl::StripPrefix(arg, "-"), "-");
    std::optional<std::string> inline_value;
    if (const size_t eq = body.find('='); eq != absl::string_view::npos) {
      inline_value = std::string(body.substr(eq + 1));
      body = body.substr(0, eq);
    }
    const std::string name(body);
    if (name == "h" || name == "help" || name == "json") {
      if (inline_value.has_value()) {
        return UsageError(absl::StrCat(Spelled(name), " takes no value"));
      }
      if (name == "json") {
        words.flags.push_back({name, ""});
      } else {
        words.help = true;
      }
      continue;
    }
    if (!IsValueFlag(name)) return UsageError(absl::StrCat("unknown flag '", arg, "'"));
    if (!inline_value.has_value()) {
      if (i + 1 >= args.size()) return UsageError(absl::StrCat(Spelled(name), " needs a value"));
      inline_value = args[++i];
    }
    words.flags.push_back({name, *std::move(inline_value)});
  }
  return words;
}

absl::StatusOr<Command> ParseCommand(absl::string_view word) {
  for (const CommandName& c : kCommands) {
    if (c.name == word) return c.command;
  }
  return UsageError(
      absl::StrCat("unknown command '", word, "' (expected search, embed, get, info or help)"));
}

absl::Status ApplyInput(InputKind kind, const FlagValue& flag, CliArgs* out) {
  if (out->input != InputKind::kNone) {
    return UsageError("give only one of --text, --image, --audio or --item");
  }
  if (flag.value.empty()) return UsageError(absl::StrCat(Spelled(flag.name), " is empty"));
  out->input = kind;
  out->input_value = flag.value;
  return absl::OkStatus();
}

absl::Status ApplyFlag(const FlagValue& flag, CliArgs* out) {
  const std::string& v = flag.value;
  if (flag.name == "server") {
    if (v.empty()) return UsageError("--server is empty: give HOST:PORT");
    out->server = v;
  } else if (flag.name == "timeout") {
    double seconds = 0;
    if (!absl::SimpleAtod(v, &seconds) || !std::isfinite(seconds) || seconds <= 0) {
      return UsageError(
          absl::StrCat("--timeout must be a positive number of seconds, got '", v, "'"));
    }
    out->timeout_seconds = seconds;
  } else if (flag.name == "json") {
    out->json = true;
  } else if (flag.name == "text") {
    return ApplyInput(InputKind::kText, flag, out);
  } else if (flag.name == "image") {
    return ApplyInput(InputKind::kImage, flag, out);
  } else if (flag.name == "audio") {
    return ApplyInput(InputKind::kAudio, flag, out);
  } else if (flag.name == "item") {
    return ApplyInput(InputKind::kItem, flag, out);
  } else if (flag.name == "to") {
    absl::StatusOr<std::vector<Modality>> targets = ParseModalityList(v);
    if (!targets.ok()) return UsageError(absl::StrCat("--to: ", targets.status().message()));
    for (Modality m : *targets) {
      if (std::find(out->targets.begin(), out->targets.end(), m) == out->targets.end()) {
        out->targets.push_back(m);
      }
    }
  } else if (flag.name == "k") {
    int k = 0;
    if (!absl::SimpleAtoi(v, &k) || k < 1) {
      return UsageError(absl::StrCat("-k must be a positive integer, got '", v, "'"));
    }
    out->k = k;
  } else if (flag.name == "filter") {
    const size_t eq = v.find('=');
    if (eq == std::string::npos || eq == 0) {
      return UsageError(absl::StrCat("--filter needs KEY=VALUE, got '", v, "'"));
    }
    if (!out->filters.emplace(v.substr(0, eq), v.substr(eq + 1)).second) {
      return UsageError(absl::StrCat("--filter gives key '", v.substr(0, eq), "' twice"));
    }
  } else if (flag.name == "source") {
    out->source_prefix = v;
  } else if (flag.name == "bytes") {
    if (v.empty()) return UsageError("--bytes is empty: give the file to write");
    out->bytes_path = v;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& args) {
  XM_ASSIGN_OR_RETURN(Words words, SplitWords(args));
  CliArgs out;
  out.help = words.help;
  std::vector<std::string> positional = std::move(words.positional);
  if (!positional.empty() && positional.front() == "help") {
    out.help = true;
    positional.erase(positional.begin());
  }
  if (positional.empty()) {
    if (out.help) return out;
    return UsageError("missing command: one of search, embed, get or info");
  }
  XM_ASSIGN_OR_RETURN(const Command command, ParseCommand(positional.front()));
  positional.erase(positional.begin());
  out.command = command;
  if (out.help) return out;

  for (const FlagValue& flag : words.flags) {
    if (!Takes(command, flag.name)) {
      return UsageError(absl::StrCat("'", NameOf(command), "' does not take ", Spelled(flag.name)));
    }
    XM_RETURN_IF_ERROR(ApplyFlag(flag, &out));
  }
  if (command == Command::kGet) {
    if (positional.empty()) return UsageError("get needs an item id: xmodal get ID");
    out.item_id = positional.front();
    if (out.item_id.empty()) return UsageError("the item id is empty");
    positional.erase(positional.begin());
  }
  if (!positional.empty()) {
    return UsageError(absl::StrCat("unexpected argument '", positional.front(), "'"));
  }
  if ((command == Command::kSearch || command == Command::kEmbed) &&
      out.input == InputKind::kNone) {
    return UsageError(
        absl::StrCat(NameOf(command), " needs one of --text, --image, --audio or --item"));
  }
  return out;
}

std::string UsageText(std::optional<Command> command) {
  if (!command.has_value()) {
    return R"(usage: xmodal [--server HOST:PORT] [--timeout SECONDS] COMMAND [options]

commands:
  search   the items nearest to a text, an image, an audio clip or an indexed item
  embed    the embedding of a text, an image or an audio clip
  get      an indexed item's metadata, and optionally its bytes
  info     the model, the served generation and the counts per modality
  help     this text; 'xmodal help COMMAND' or 'xmodal COMMAND --help' for a command

global options:
  --server HOST:PORT   the xmodal server (default 127.0.0.1:7070)
  --timeout SECONDS    the deadline of each call (default 30)

exit status: 0 on success, 1 when the server or a file operation fails, 2 for a usage error.
)";
  }
  switch (*command) {
    case Command::kSearch:
      return R"(usage: xmodal search (--text TEXT | --image FILE | --audio FILE | --item ID)
                     [--to MODALITIES] [-k N] [--filter KEY=VALUE]... [--source PREFIX] [--json]

  --text TEXT          query with a text
  --image FILE         query with an image file (JPEG, PNG or WebP)
  --audio FILE         query with an audio file (WAV, FLAC, Ogg/Vorbis or MP3)
  --item ID            query with an indexed item ("more like this")
  --to MODALITIES      the modalities to search, e.g. image,audio (default: all)
  -k N                 the number of hits (default 10, at most 1000)
  --filter KEY=VALUE   only items whose metadata has KEY=VALUE; repeat for more pairs
  --source PREFIX      only items whose source URI starts with PREFIX
  --json               print the response as JSON
)";
    case Command::kEmbed:
      return R"(usage: xmodal embed (--text TEXT | --image FILE | --audio FILE | --item ID) [--json]

  prints the embedding (audio: one vector per segment)
  --json               print every value, as JSON
)";
    case Command::kGet:
      return R"(usage: xmodal get ID [--bytes OUT_FILE] [--json]

  --bytes OUT_FILE     also fetch the item's original bytes (a text item's text) into OUT_FILE
  --json               print the item as JSON
)";
    case Command::kInfo:
      return R"(usage: xmodal info [--json]

  --json               print the response as JSON
)";
  }
  return "";
}

}  // namespace xmodal::client
