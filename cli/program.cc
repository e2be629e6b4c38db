#include "cli/program.h"

#include <glog/logging.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/flagfile.h"

#ifndef XMODAL_VERSION
#define XMODAL_VERSION "unknown"
#endif

namespace xmodal::cli {
namespace internal {

// One bound flag or positional: CLI11 collects its words into `raw`; after a successful parse
// `apply` converts them into the caller's variable, so that every message is ours.
struct Binding {
  const CLI::App* app = nullptr;
  std::string spelled;  // "--batch_size", "-k", "PATH"
  std::vector<std::string> raw;
  std::function<absl::Status(const std::vector<std::string>&)> apply;
};

struct ProgramState {
  std::deque<Binding> bindings;
  std::map<const CLI::App*, std::string> usage;  // the synopsis of each command
  std::map<const CLI::App*, std::string> footer;
};

}  // namespace internal

namespace {

using internal::Binding;
using internal::ProgramState;

std::string Spelled(absl::string_view name) {
  return absl::StrCat(name.size() == 1 ? "-" : "--", name);
}

// "Usage: SYNOPSIS", the description, the flags and subcommands, the footer.
class Formatter : public CLI::Formatter {
 public:
  explicit Formatter(const ProgramState* state) : state_(state) { column_width(32); }

  std::string make_help(const CLI::App* app, std::string name,
                        CLI::AppFormatMode mode) const override {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    std::string text = absl::StrCat("Usage: ", Lookup(state_->usage, app), "\n\n");
    if (!app->get_description().empty()) absl::StrAppend(&text, app->get_description(), "\n");
    absl::StrAppend(&text, make_positionals(app), make_groups(app, mode),
                    make_subcommands(app, mode));
    const std::string footer = Lookup(state_->footer, app);
    if (!footer.empty())
      absl::StrAppend(&text, "\n", footer, absl::EndsWith(footer, "\n") ? "" : "\n");
    return text;
  }

  // "--json, --nojson" rather than CLI11's "--json,--nojson{false}".
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override {
    if (is_positional) return opt->get_name(true, false);
    std::string name;
    bool in_braces = false;
    for (char c : opt->get_name(false, true)) {
      if (c == '{') in_braces = true;
      if (!in_braces) name += c;
      if (c == '}') in_braces = false;
    }
    return name;
  }

 private:
  static std::string Lookup(const std::map<const CLI::App*, std::string>& map,
                            const CLI::App* app) {
    auto it = map.find(app);
    return it == map.end() ? std::string() : it->second;
  }
  const ProgramState* state_;
};

template <typename Int>
std::function<absl::Status(const std::vector<std::string>&)> IntApplier(std::string spelled,
                                                                        Int* value) {
  return [spelled = std::move(spelled), value](const std::vector<std::string>& raw) {
    Int parsed{};
    if (!absl::SimpleAtoi(raw.back(), &parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat(spelled, ": '", raw.back(), "' is not an integer"));
    }
    *value = parsed;
    return absl::OkStatus();
  };
}

// Finds the deepest subcommand named on the command line, or the root.
const CLI::App* Selected(const CLI::App* root) {
  const CLI::App* app = root;
  for (;;) {
    std::vector<const CLI::App*> subs =
        app->get_subcommands([](const CLI::App* s) { return s->parsed(); });
    if (subs.empty()) return app;
    app = subs.front();
  }
}

// "missing" value messages of CLI11 ("--model: 1 required TEXT missing") in our words.
std::string MismatchMessage(const std::string& what) {
  const size_t colon = what.find(": ");
  if (colon != std::string::npos && absl::EndsWith(what, " missing")) {
    return absl::StrCat(what.substr(0, colon), " needs a value");
  }
  return what;
}

}  // namespace

const char* ProjectVersion() { return XMODAL_VERSION; }

// ---- Command ----------------------------------------------------------------------------

Command::Command(internal::ProgramState* state, CLI::App* app, std::string name)
    : state_(state), app_(app), name_(std::move(name)) {}

namespace {

// "a, b or c".
std::string OneOf(const std::deque<Command>& commands) {
  std::string text;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (i > 0) absl::StrAppend(&text, i + 1 == commands.size() ? " or " : ", ");
    absl::StrAppend(&text, commands[i].name());
  }
  return text;
}

// Adds an option with one value (the last one given wins) and its Binding.
Binding& AddValueFlag(ProgramState* state, CLI::App* app, absl::string_view name,
                      absl::string_view help, const std::string& default_text,
                      const FlagOptions& options, absl::string_view type_name) {
  const std::string spelled = Spelled(name);
  CHECK(app->get_option_no_throw(spelled) == nullptr) << "flag bound twice: " << spelled;
  Binding& b = state->bindings.emplace_back();
  b.app = app;
  b.spelled = spelled;
  std::string description(help);
  if (!default_text.empty()) absl::StrAppend(&description, " (default: ", default_text, ")");
  // A one-letter flag is also --k, as absl spells it.
  const std::string names = name.size() == 1 ? absl::StrCat(spelled, ",--", name) : spelled;
  CLI::Option* opt = app->add_option(names, b.raw, description);
  opt->type_name(options.value_name.empty() ? std::string(type_name) : options.value_name);
  opt->expected(1);
  opt->allow_extra_args(false);  // one word per occurrence, even for the vector behind it
  opt->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  if (options.required) opt->required();
  return b;
}

// An integer flag of type Int: its default shown, its value parsed with the range of Int.
template <typename Int>
void BindIntFlag(ProgramState* state, CLI::App* app, absl::string_view name, Int* value,
                 absl::string_view help, const FlagOptions& options) {
  Binding& b = AddValueFlag(state, app, name, help, absl::StrCat(*value), options, "INT");
  b.apply = IntApplier(b.spelled, value);
}

}  // namespace

Command& Command::Flag(absl::string_view name, std::string* value, absl::string_view help,
                       FlagOptions options) {
  Binding& b = AddValueFlag(state_, app_, name, help, *value, options, "TEXT");
  b.apply = [value](const std::vector<std::string>& raw) {
    *value = raw.back();
    return absl::OkStatus();
  };
  return *this;
}

Command& Command::Flag(absl::string_view name, int* value, absl::string_view help,
                       FlagOptions options) {
  BindIntFlag(state_, app_, name, value, help, options);
  return *this;
}

Command& Command::Flag(absl::string_view name, int64_t* value, absl::string_view help,
                       FlagOptions options) {
  BindIntFlag(state_, app_, name, value, help, options);
  return *this;
}

Command& Command::Flag(absl::string_view name, uint64_t* value, absl::string_view help,
                       FlagOptions options) {
  BindIntFlag(state_, app_, name, value, help, options);
  return *this;
}

Command& Command::Flag(absl::string_view name, double* value, absl::string_view help,
                       FlagOptions options) {
  Binding& b = AddValueFlag(state_, app_, name, help, absl::StrCat(*value), options, "NUM");
  b.apply = [spelled = b.spelled, value](const std::vector<std::string>& raw) {
    double parsed = 0;
    if (!absl::SimpleAtod(raw.back(), &parsed) || std::isnan(parsed)) {
      return absl::InvalidArgumentError(
          absl::StrCat(spelled, ": '", raw.back(), "' is not a number"));
    }
    *value = parsed;
    return absl::OkStatus();
  };
  return *this;
}

Command& Command::Flag(absl::string_view name, bool* value, absl::string_view help) {
  const std::string spelled = Spelled(name);
  CHECK(app_->get_option_no_throw(spelled) == nullptr) << "flag bound twice: " << spelled;
  Binding& b = state_->bindings.emplace_back();
  b.app = app_;
  b.spelled = spelled;
  std::string description(help);
  if (*value) absl::StrAppend(&description, " (default: true; --no", name, " to turn off)");
  // CLI11 records "true" for --json, "false" for --nojson and the text of --json=VALUE.
  app_->add_flag(absl::StrCat(spelled, ",!--no", name), b.raw, description)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  b.apply = [spelled, value](const std::vector<std::string>& raw) {
    const std::string& v = raw.back();
    if (v == "true" || v == "1") {
      *value = true;
    } else if (v == "false" || v == "0") {
      *value = false;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(spelled, ": '", v, "' is not true or false"));
    }
    return absl::OkStatus();
  };
  return *this;
}

Command& Command::Flag(absl::string_view name, std::vector<std::string>* values,
                       absl::string_view help, FlagOptions options) {
  Binding& b = AddValueFlag(state_, app_, name, help, "", options, "TEXT");
  app_->get_option(b.spelled)->description(absl::StrCat(help, "; repeatable"));
  b.apply = [values](const std::vector<std::string>& raw) {
    values->insert(values->end(), raw.begin(), raw.end());
    return absl::OkStatus();
  };
  return *this;
}

Command& Command::Positional(absl::string_view name, std::string* value, absl::string_view help,
                             bool required) {
  Binding& b = state_->bindings.emplace_back();
  b.app = app_;
  b.spelled = std::string(name);
  CLI::Option* opt = app_->add_option(b.spelled, b.raw, std::string(help));
  opt->expected(1);
  opt->allow_extra_args(false);
  opt->type_name("");
  if (required) opt->required();
  b.apply = [value](const std::vector<std::string>& raw) {
    *value = raw.back();
    return absl::OkStatus();
  };
  return *this;
}

Command& Command::Positionals(absl::string_view name, std::vector<std::string>* values,
                              absl::string_view help) {
  Binding& b = state_->bindings.emplace_back();
  b.app = app_;
  b.spelled = std::string(name);
  app_->add_option(b.spelled, b.raw, std::string(help))->type_name("");
  b.apply = [values](const std::vector<std::string>& raw) {
    values->insert(values->end(), raw.begin(), raw.end());
    return absl::OkStatus();
  };
  return *this;
}

int Command::Count(absl::string_view name) const {
  const std::string spelled = Spelled(name);
  for (const Binding& b : state_->bindings) {
    if (b.app == app_ && (b.spelled == spelled || b.spelled == name)) {
      return static_cast<int>(b.raw.size());
    }
  }
  return 0;
}

std::string Command::Help() const { return app_->help(); }

// ---- Program ----------------------------------------------------------------------------

Program::Program(ProgramInfo info)
    : Command(nullptr, nullptr, info.name),
      root_(std::make_unique<CLI::App>(info.description, info.name)),
      owned_state_(std::make_unique<ProgramState>()),
      info_(std::move(info)) {
  state_ = owned_state_.get();
  app_ = root_.get();
  root_->formatter(std::make_shared<Formatter>(state_));
  root_->allow_extras();  // reported by TryParse, in our words
  root_->fallthrough();   // the program's flags are accepted after a subcommand too
  root_->set_version_flag("--version", XMODAL_VERSION, "print the version and exit");
  root_->set_help_flag("-h,--help", "print this help and exit");
  state_->usage[root_.get()] =
      info_.usage.empty() ? absl::StrCat(info_.name, " [OPTIONS]") : info_.usage;
  state_->footer[root_.get()] = info_.footer;
}

Program::~Program() = default;

Command& Program::Subcommand(absl::string_view name, absl::string_view description,
                             absl::string_view usage) {
  CHECK(!parsed_) << "subcommand added after Parse";
  CLI::App* app = root_->add_subcommand(std::string(name), std::string(description));
  app->formatter(root_->get_formatter());
  state_->usage[app] =
      usage.empty() ? absl::StrCat(info_.name, " ", name, " [OPTIONS]") : std::string(usage);
  return subcommands_.emplace_back(state_, app, std::string(name));
}

std::string Program::UsageError(absl::string_view message) const {
  return absl::StrCat(info_.name, ": ", message, "\nRun '", info_.name, " --help' for usage.\n");
}

absl::Status Program::ExtrasError() const {
  const CLI::App* selected = Selected(root_.get());
  const Command* command = nullptr;
  for (const Command& sub : subcommands_) {
    if (sub.app_ == selected) command = &sub;
  }
  for (const std::string& extra : root_->remaining(true)) {
    if (extra == "--") continue;
    if (extra.size() < 2 || extra[0] != '-') {
      if (command == nullptr && !subcommands_.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown command '", extra, "' (expected ", OneOf(subcommands_), ")"));
      }
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", extra, "'"));
    }
    const std::string flag = extra.substr(0, extra.find('='));
    for (const Command& sub : subcommands_) {  // a flag of another subcommand: say so
      if (command != nullptr && &sub != command && sub.app_->get_option_no_throw(flag) != nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("'", command->name(), "' does not take ", flag));
      }
    }
    return absl::InvalidArgumentError(absl::StrCat("unknown flag '", flag, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Program::Outcome> Program::TryParse(const std::vector<std::string>& args) {
  CHECK(!parsed_) << "Parse called twice";
  parsed_ = true;
  absl::StatusOr<std::vector<std::string>> expanded = ExpandFlagfiles(args);
  if (!expanded.ok()) return expanded.status();

  // absl's single-dash spelling of long flags: -model=/m is --model=/m.
  std::set<std::string> long_names = {"help", "version"};
  std::vector<CLI::App*> apps = {root_.get()};
  for (Command& sub : subcommands_) apps.push_back(sub.app_);
  for (const CLI::App* app : apps) {
    for (const CLI::Option* opt : app->get_options()) {
      for (const std::string& n : opt->get_lnames()) long_names.insert(n);
      for (const std::string& n : opt->get_fnames()) long_names.insert(n);
    }
  }
  std::vector<std::string> words;
  bool flags_done = false;
  for (const std::string& arg : *expanded) {
    if (arg == "--") flags_done = true;
    if (!flags_done && arg.size() > 2 && arg[0] == '-' && arg[1] != '-' &&
        long_names.count(arg.substr(1, arg.find('=') - 1)) > 0) {
      words.push_back("-" + arg);
    } else {
      words.push_back(arg);
    }
  }
  std::reverse(words.begin(), words.end());  // CLI11 takes the vector back to front

  Outcome outcome;
  if (require_subcommand_) root_->require_subcommand(1);
  try {
    root_->parse(words);
  } catch (const CLI::CallForHelp&) {
    outcome.action = Action::kHelp;
    outcome.text = Selected(root_.get())->help();
  } catch (const CLI::CallForAllHelp&) {
    outcome.action = Action::kHelp;
    outcome.text = root_->help();
  } catch (const CLI::CallForVersion&) {
    outcome.action = Action::kVersion;
    outcome.text = absl::StrCat(info_.name, " ", XMODAL_VERSION, "\n");
  } catch (const CLI::ArgumentMismatch& e) {
    return absl::InvalidArgumentError(MismatchMessage(e.what()));
  } catch (const CLI::RequiredError& e) {
    // An unknown flag or word explains more than what is missing.
    if (absl::Status extras = ExtrasError(); !extras.ok()) return extras;
    if (require_subcommand_ && Selected(root_.get()) == root_.get()) {
      return absl::InvalidArgumentError(
          absl::StrCat("missing command: one of ", OneOf(subcommands_)));
    }
    return absl::InvalidArgumentError(e.what());
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(e.what());
  }
  const CLI::App* selected = Selected(root_.get());
  for (const Command& sub : subcommands_) {
    if (sub.app_ == selected) outcome.command = &sub;
  }
  if (outcome.action != Action::kRun) {
    outcome_ = outcome;
    return outcome;
  }

  if (absl::Status extras = ExtrasError(); !extras.ok()) return extras;
  for (const Binding& b : state_->bindings) {
    if (b.raw.empty()) continue;
    if (absl::Status s = b.apply(b.raw); !s.ok()) return s;
  }
  outcome_ = outcome;
  return outcome;
}

std::optional<int> Program::Parse(const std::vector<std::string>& args, std::ostream& out,
                                  std::ostream& err) {
  absl::StatusOr<Outcome> outcome = TryParse(args);
  if (!outcome.ok()) {
    err << UsageError(outcome.status().message());
    err.flush();
    return kExitUsage;
  }
  if (outcome->action == Action::kRun) return std::nullopt;
  out << outcome->text;
  out.flush();
  return 0;
}

}  // namespace xmodal::cli
