#include "cli/program.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "testing/status_matchers.h"

namespace xmodal::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::StartsWith;
using ::xmodal::testing::StatusIs;

struct Flags {
  std::string name = "none";
  int count = 3;
  int64_t big = 0;
  uint64_t seed = 1;
  double ratio = 0.5;
  bool json = false;
  bool on = true;
  std::vector<std::string> tags;
  std::vector<std::string> paths;
};

ProgramInfo Info() {
  return {.name = "xmodal-demo",
          .description = "demonstrates the flags.",
          .usage = "xmodal-demo [--name S] [PATH]...",
          .footer = "Exit status: 0."};
}

void Bind(Command& c, Flags& f) {
  c.Flag("name", &f.name, "a name")
      .Flag("count", &f.count, "a count")
      .Flag("big", &f.big, "a big number")
      .Flag("seed", &f.seed, "a seed")
      .Flag("ratio", &f.ratio, "a ratio")
      .Flag("json", &f.json, "print JSON")
      .Flag("on", &f.on, "turned on")
      .Flag("tag", &f.tags, "a tag")
      .Positionals("PATH", &f.paths, "inputs");
}

TEST(CliProgramTest, EveryTypeAndBothForms) {
  Program p(Info());
  Flags f;
  Bind(p, f);
  ASSERT_OK_AND_ASSIGN(Program::Outcome o,
                       p.TryParse({"--name", "x", "a", "--count=7", "-big", "9000000000",
                                   "--seed=18446744073709551615", "--ratio", "-0.25", "--json",
                                   "--noon", "--tag", "t1", "--tag=t2", "b", "--", "--c"}));
  EXPECT_EQ(o.action, Program::Action::kRun);
  EXPECT_EQ(o.command, nullptr);
  EXPECT_EQ(f.name, "x");
  EXPECT_EQ(f.count, 7);
  EXPECT_EQ(f.big, 9000000000);
  EXPECT_EQ(f.seed, 18446744073709551615u);
  EXPECT_DOUBLE_EQ(f.ratio, -0.25);
  EXPECT_TRUE(f.json);
  EXPECT_FALSE(f.on);
  EXPECT_THAT(f.tags, ElementsAre("t1", "t2"));
  EXPECT_THAT(f.paths, ElementsAre("a", "b", "--c"));
  EXPECT_EQ(p.Count("count"), 1);
  EXPECT_EQ(p.Count("name"), 1);
  EXPECT_EQ(p.Count("big"), 1);
}

TEST(CliProgramTest, DefaultsStayAndLastValueWins) {
  Program p(Info());
  Flags f;
  Bind(p, f);
  ASSERT_OK(p.TryParse({"--count", "1", "--count", "2"}).status());
  EXPECT_EQ(f.count, 2);
  EXPECT_EQ(f.name, "none");
  EXPECT_TRUE(f.on);
  EXPECT_EQ(p.Count("name"), 0);
}

TEST(CliProgramTest, BoolSpellings) {
  for (const auto& [args, want] :
       std::vector<std::pair<std::vector<std::string>, bool>>{{{"--json"}, true},
                                                              {{"--json=true"}, true},
                                                              {{"--json=1"}, true},
                                                              {{"--json=false"}, false},
                                                              {{"--json", "--nojson"}, false},
                                                              {{"--nojson", "--json"}, true},
                                                              {{"-json"}, true},
                                                              {{"-nojson"}, false}}) {
    Program p(Info());
    Flags f;
    f.json = !want;
    Bind(p, f);
    ASSERT_OK(p.TryParse(args).status()) << args.front();
    EXPECT_EQ(f.json, want) << args.front();
  }
  Program p(Info());
  Flags f;
  Bind(p, f);
  EXPECT_THAT(p.TryParse({"--json=maybe"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--json: 'maybe' is not true or false"));
}

TEST(CliProgramTest, UsageErrors) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--bogus"}, "unknown flag '--bogus'"},
      {{"--bogus=1", "x"}, "unknown flag '--bogus'"},
      {{"--name"}, "--name needs a value"},
      {{"--count=many"}, "--count: 'many' is not an integer"},
      {{"--big", "1.5"}, "--big: '1.5' is not an integer"},
      {{"--ratio", "half"}, "--ratio: 'half' is not a number"},
      {{"--seed=-1"}, "--seed: '-1' is not an integer"},
  };
  for (const auto& [args, message] : cases) {
    Program p(Info());
    Flags f;
    Bind(p, f);
    EXPECT_THAT(p.TryParse(args), StatusIs(absl::StatusCode::kInvalidArgument, message))
        << args.front();
  }
}

TEST(CliProgramTest, RequiredFlagAndExtraPositional) {
  {
    Program p(Info());
    std::string model;
    p.Flag("model", &model, "the model", {.value_name = "DIR", .required = true});
    EXPECT_THAT(p.TryParse({}),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--model is required")));
  }
  {
    Program p(Info());
    std::string model;
    p.Flag("model", &model, "the model");
    EXPECT_THAT(p.TryParse({"--model", "m", "extra"}),
                StatusIs(absl::StatusCode::kInvalidArgument, "unexpected argument 'extra'"));
  }
}

TEST(CliProgramTest, ParseHelpVersionAndErrorsWithExitCodes) {
  {
    Program p(Info());
    Flags f;
    Bind(p, f);
    std::ostringstream out, err;
    EXPECT_THAT(p.Parse({"--help"}, out, err), Optional(0));
    EXPECT_THAT(out.str(), StartsWith("Usage: xmodal-demo [--name S] [PATH]...\n"));
    EXPECT_THAT(out.str(), HasSubstr("demonstrates the flags."));
    EXPECT_THAT(out.str(), HasSubstr("--count"));
    EXPECT_THAT(out.str(), HasSubstr("(default: 3)"));
    EXPECT_THAT(out.str(), HasSubstr("Exit status: 0."));
    EXPECT_THAT(err.str(), IsEmpty());
  }
  {
    Program p(Info());
    std::string model;
    p.Flag("model", &model, "the model", {.required = true});
    std::ostringstream out, err;
    EXPECT_THAT(p.Parse({"-h"}, out, err), Optional(0));  // help needs no required flag
    EXPECT_THAT(out.str(), StartsWith("Usage: "));
  }
  {
    Program p(Info());
    std::string model;
    p.Flag("model", &model, "the model", {.required = true});
    std::ostringstream out, err;
    EXPECT_THAT(p.Parse({"--version"}, out, err), Optional(0));
    EXPECT_EQ(out.str(), std::string("xmodal-demo ") + ProjectVersion() + "\n");
  }
  {
    Program p(Info());
    std::ostringstream out, err;
    EXPECT_THAT(p.Parse({"--no_such_flag"}, out, err), Optional(kExitUsage));
    EXPECT_EQ(err.str(),
              "xmodal-demo: unknown flag '--no_such_flag'\n"
              "Run 'xmodal-demo --help' for usage.\n");
    EXPECT_THAT(out.str(), IsEmpty());
  }
  {
    Program p(Info());
    std::ostringstream out, err;
    EXPECT_EQ(p.Parse({}, out, err), std::nullopt);
    EXPECT_EQ(p.outcome().action, Program::Action::kRun);
  }
}

TEST(CliProgramTest, Subcommands) {
  Program p(Info());
  std::string server = "s0", text, to;
  bool json = false;
  p.Flag("server", &server, "the server");
  Command& search = p.Subcommand("search", "searches", "xmodal-demo search --text T");
  search.Flag("text", &text, "the text").Flag("to", &to, "targets").Flag("json", &json, "JSON");
  Command& embed = p.Subcommand("embed", "embeds");
  embed.Flag("json", &json, "JSON");
  p.RequireSubcommand();
  ASSERT_OK_AND_ASSIGN(Program::Outcome o,
                       p.TryParse({"search", "--text", "-5 degrees", "--server", "s1", "--json"}));
  EXPECT_EQ(o.command, &search);
  EXPECT_EQ(text, "-5 degrees");
  EXPECT_EQ(server, "s1");
  EXPECT_TRUE(json);
  EXPECT_EQ(search.Count("text"), 1);
}

TEST(CliProgramTest, SubcommandErrorsAndHelp) {
  auto make = [](Program& p, std::string& s) {
    p.Subcommand("search", "searches", "xmodal-demo search --text T").Flag("to", &s, "targets");
    p.Subcommand("embed", "embeds").Flag("text", &s, "text");
    p.RequireSubcommand();
  };
  std::string s;
  {
    Program p(Info());
    make(p, s);
    EXPECT_THAT(p.TryParse({"embed", "--to", "x"}),
                StatusIs(absl::StatusCode::kInvalidArgument, "'embed' does not take --to"));
  }
  {
    Program p(Info());
    make(p, s);
    EXPECT_THAT(p.TryParse({}), StatusIs(absl::StatusCode::kInvalidArgument,
                                         "missing command: one of search or embed"));
  }
  {
    Program p(Info());
    make(p, s);
    ASSERT_OK_AND_ASSIGN(Program::Outcome o, p.TryParse({"search", "--help"}));
    EXPECT_EQ(o.action, Program::Action::kHelp);
    ASSERT_NE(o.command, nullptr);
    EXPECT_EQ(o.command->name(), "search");
    EXPECT_THAT(o.text, StartsWith("Usage: xmodal-demo search --text T\n"));
  }
  {
    Program p(Info());
    make(p, s);
    ASSERT_OK_AND_ASSIGN(Program::Outcome o, p.TryParse({"--help"}));
    EXPECT_EQ(o.command, nullptr);
    EXPECT_THAT(o.text, HasSubstr("search"));
  }
}

}  // namespace
}  // namespace xmodal::cli
