// cli::Program: the command line of every xmodal program (issue 11), one behaviour for all:
//   --help / -h          the usage, with defaults, on `out`; exit 0
//   --version            "NAME VERSION" (the project version) on `out`; exit 0
//   --flagfile=FILE      flags read from FILE in place (flagfile.h: absl's format)
//   usage errors         "NAME: <what is wrong>" and "Run 'NAME --help' for usage." on `err`;
//                        exit 2 (unknown flag, missing or malformed value, missing required
//                        flag, extra positional)
//   flags                --name value, --name=value, and absl's -name; bools take --json,
//                        --json=true|false and --nojson; a flag given twice keeps the last
//                        value, a repeatable one (std::vector) keeps them all
//
// It wraps CLI11 (Debian's libcli11-dev), the only place that includes it: Debian's Abseil
// 20220623 flags call exit(1) on a bad flag and on --help, have no subcommands and no way to
// return an error to the caller; CLI11 has subcommands and reports errors as values (its
// exceptions never leave this module) that Parse turns into exit codes.
//
// Usage: bind flags to variables holding their defaults, then Parse. Not thread-safe; a
// Program and the variables it binds must outlive Parse. Binding a name twice, or a
// subcommand after Parse, is a programmer error (CHECK).
#ifndef XMODAL_CLI_PROGRAM_H_
#define XMODAL_CLI_PROGRAM_H_

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace CLI {
class App;
}  // namespace CLI

namespace xmodal::cli {

inline constexpr int kExitUsage = 2;

// The project version, as --version prints it ("0.1.0").
const char* ProjectVersion();

// What a flag shows beyond its name and help.
struct FlagOptions {
  std::string value_name;  // in the usage, e.g. "DIR"; empty: TEXT, INT or NUM from the type
  bool required = false;   // not giving it is a usage error ("--model is required")
};

namespace internal {
struct ProgramState;
}  // namespace internal

// The flags and positionals of a program or of one of its subcommands. A one-letter name is
// a short flag ("k" -> -k), others are long ("batch_size" -> --batch_size). The variable's
// value when bound is the default shown by --help; Parse assigns only the flags given.
class Command {
 public:
  Command(const Command&) = delete;
  Command& operator=(const Command&) = delete;

  Command& Flag(absl::string_view name, std::string* value, absl::string_view help,
                FlagOptions options = {});
  Command& Flag(absl::string_view name, int* value, absl::string_view help,
                FlagOptions options = {});
  Command& Flag(absl::string_view name, int64_t* value, absl::string_view help,
                FlagOptions options = {});
  Command& Flag(absl::string_view name, uint64_t* value, absl::string_view help,
                FlagOptions options = {});
  Command& Flag(absl::string_view name, double* value, absl::string_view help,
                FlagOptions options = {});
  // --name, --name=true|false|1|0, --noname.
  Command& Flag(absl::string_view name, bool* value, absl::string_view help);
  // Repeatable: every occurrence is appended (to the bound defaults, usually none).
  Command& Flag(absl::string_view name, std::vector<std::string>* values, absl::string_view help,
                FlagOptions options = {});

  // Positionals, in the order bound; at most one Positionals and it comes last.
  Command& Positional(absl::string_view name, std::string* value, absl::string_view help,
                      bool required = false);
  Command& Positionals(absl::string_view name, std::vector<std::string>* values,
                       absl::string_view help);

  // After Parse: how often the flag or positional `name` was given on this command (0: not
  // given; a repeatable flag or Positionals: the number of values).
  int Count(absl::string_view name) const;
  const std::string& name() const { return name_; }
  // The --help text of this command.
  std::string Help() const;

  // Internal: Program makes Commands.
  Command(internal::ProgramState* state, CLI::App* app, std::string name);

 protected:
  friend class Program;

  internal::ProgramState* state_;
  CLI::App* app_;
  std::string name_;
};

// What a program says about itself in --help.
struct ProgramInfo {
  std::string name;         // "xmodal-index": in messages, usage and --version
  std::string description;  // one line
  std::string usage;        // the synopsis after "Usage: "; empty: "NAME [OPTIONS]"
  std::string footer;       // after the flags, e.g. the exit statuses; may be empty
};

class Program : public Command {
 public:
  enum class Action { kRun, kHelp, kVersion };
  struct Outcome {
    Action action = Action::kRun;
    std::string text;                  // kHelp: the help text; kVersion: "NAME VERSION\n"
    const Command* command = nullptr;  // the subcommand named, or nullptr
  };

  explicit Program(ProgramInfo info);
  ~Program();

  // A subcommand ("xmodal search ..."): its own flags and positionals; the program's flags
  // are accepted after it too. Its usage is the synopsis in its --help.
  Command& Subcommand(absl::string_view name, absl::string_view description,
                      absl::string_view usage = "");
  // Parsing fails when no subcommand is named (default: a subcommand is optional):
  // "missing command: one of A, B or C", or "unknown command 'X' (expected A, B or C)".
  void RequireSubcommand() { require_subcommand_ = true; }

  // Parses the arguments after the program name. INVALID_ARGUMENT with the message for the
  // user on a usage error; otherwise what to do. Assigns the bound variables of the flags given.
  absl::StatusOr<Outcome> TryParse(const std::vector<std::string>& args);

  // TryParse, then: nullopt to run (Outcome in outcome()); or the exit code after printing
  // help or version on `out` (0), or the usage error on `err` (kExitUsage).
  std::optional<int> Parse(const std::vector<std::string>& args, std::ostream& out,
                           std::ostream& err);
  const Outcome& outcome() const { return outcome_; }

  // "NAME: message\nRun 'NAME --help' for usage.\n".
  std::string UsageError(absl::string_view message) const;

 private:
  // INVALID_ARGUMENT for the first word CLI11 left over (an unknown flag, an extra positional,
  // an unknown subcommand), or OK.
  absl::Status ExtrasError() const;

  std::unique_ptr<CLI::App> root_;
  std::unique_ptr<internal::ProgramState> owned_state_;
  std::deque<Command> subcommands_;
  bool require_subcommand_ = false;
  bool parsed_ = false;
  Outcome outcome_;
  ProgramInfo info_;
};

}  // namespace xmodal::cli

#endif  // XMODAL_CLI_PROGRAM_H_
