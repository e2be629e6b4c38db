#include "client/cli_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::xmodal::testing::StatusIs;

TEST(CliArgsTest, ParsesAFullSearch) {
  ASSERT_OK_AND_ASSIGN(
      CliArgs args,
      ParseCliArgs({"--server", "10.0.0.2:7000", "search", "--text", "a red car", "--to",
                    "image,audio", "-k", "5", "--filter", "color=red", "--filter=kind=car",
                    "--source", "/photos/", "--json", "--timeout=2.5"}));
  EXPECT_EQ(args.command, Command::kSearch);
  EXPECT_FALSE(args.help);
  EXPECT_EQ(args.server, "10.0.0.2:7000");
  EXPECT_DOUBLE_EQ(args.timeout_seconds, 2.5);
  EXPECT_EQ(args.input, InputKind::kText);
  EXPECT_EQ(args.input_value, "a red car");
  EXPECT_THAT(args.targets, ElementsAre(Modality::kImage, Modality::kAudio));
  EXPECT_EQ(args.k, 5);
  EXPECT_THAT(args.filters, ElementsAre(Pair("color", "red"), Pair("kind", "car")));
  EXPECT_EQ(args.source_prefix, "/photos/");
  EXPECT_TRUE(args.json);
}

TEST(CliArgsTest, Defaults) {
  ASSERT_OK_AND_ASSIGN(CliArgs args, ParseCliArgs({"search", "--image", "cat.jpg"}));
  EXPECT_EQ(args.server, "127.0.0.1:7070");
  EXPECT_DOUBLE_EQ(args.timeout_seconds, 30);
  EXPECT_EQ(args.input, InputKind::kImage);
  EXPECT_EQ(args.input_value, "cat.jpg");
  EXPECT_TRUE(args.targets.empty());
  EXPECT_EQ(args.k, 0);
  EXPECT_FALSE(args.json);
}

TEST(CliArgsTest, EachInputKind) {
  ASSERT_OK_AND_ASSIGN(CliArgs audio, ParseCliArgs({"embed", "--audio", "dog.wav"}));
  EXPECT_EQ(audio.command, Command::kEmbed);
  EXPECT_EQ(audio.input, InputKind::kAudio);
  ASSERT_OK_AND_ASSIGN(CliArgs item, ParseCliArgs({"search", "--item", "abc"}));
  EXPECT_EQ(item.input, InputKind::kItem);
  EXPECT_EQ(item.input_value, "abc");
  // A value that starts with a dash is still the flag's value.
  ASSERT_OK_AND_ASSIGN(CliArgs dash, ParseCliArgs({"search", "--text", "-5 degrees"}));
  EXPECT_EQ(dash.input_value, "-5 degrees");
}

TEST(CliArgsTest, RequiresExactlyOneQueryInput) {
  EXPECT_THAT(ParseCliArgs({"search", "-k", "3"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "search needs one of --text, --image, --audio or --item"));
  EXPECT_THAT(ParseCliArgs({"embed"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "embed needs one of --text, --image, --audio or --item"));
  EXPECT_THAT(ParseCliArgs({"search", "--text", "red", "--image", "x.png"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "give only one of --text, --image, --audio or --item"));
  EXPECT_THAT(ParseCliArgs({"search", "--text", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--text is empty"));
}

TEST(CliArgsTest, ParsesGetAndInfo) {
  ASSERT_OK_AND_ASSIGN(CliArgs get, ParseCliArgs({"get", "abc123", "--bytes", "out.bin"}));
  EXPECT_EQ(get.command, Command::kGet);
  EXPECT_EQ(get.item_id, "abc123");
  EXPECT_EQ(get.bytes_path, "out.bin");
  ASSERT_OK_AND_ASSIGN(CliArgs info, ParseCliArgs({"info", "--json"}));
  EXPECT_EQ(info.command, Command::kInfo);
  EXPECT_TRUE(info.json);
  // --json is a global flag, like --server: it may also come before the command.
  ASSERT_OK_AND_ASSIGN(CliArgs json_first, ParseCliArgs({"--json", "get", "abc123"}));
  EXPECT_EQ(json_first.command, Command::kGet);
  EXPECT_TRUE(json_first.json);
  EXPECT_THAT(ParseCliArgs({"get"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "get needs an item id: xmodal get ID"));
  EXPECT_THAT(ParseCliArgs({"get", "a", "b"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "unexpected argument 'b'"));
  EXPECT_THAT(ParseCliArgs({"info", "extra"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "unexpected argument 'extra'"));
}

TEST(CliArgsTest, Help) {
  ASSERT_OK_AND_ASSIGN(CliArgs global, ParseCliArgs({"--help"}));
  EXPECT_TRUE(global.help);
  EXPECT_FALSE(global.command.has_value());
  ASSERT_OK_AND_ASSIGN(CliArgs search, ParseCliArgs({"search", "--help"}));
  EXPECT_TRUE(search.help);
  EXPECT_EQ(search.command, Command::kSearch);
  ASSERT_OK_AND_ASSIGN(CliArgs help_get, ParseCliArgs({"help", "get"}));
  EXPECT_TRUE(help_get.help);
  EXPECT_EQ(help_get.command, Command::kGet);
  ASSERT_OK_AND_ASSIGN(CliArgs short_help, ParseCliArgs({"-h"}));
  EXPECT_TRUE(short_help.help);

  ASSERT_OK_AND_ASSIGN(CliArgs version, ParseCliArgs({"--version"}));
  EXPECT_TRUE(version.version);
  EXPECT_EQ(VersionText(), "xmodal " XMODAL_VERSION "\n");

  EXPECT_THAT(UsageText(std::nullopt), HasSubstr("Usage: xmodal [--server HOST[:PORT]]"));
  EXPECT_THAT(UsageText(std::nullopt), HasSubstr("search"));
  EXPECT_THAT(UsageText(Command::kSearch), HasSubstr("--filter KEY=VALUE"));
  EXPECT_THAT(UsageText(Command::kSearch), HasSubstr("0: the server's default"));
  EXPECT_THAT(UsageText(Command::kGet), HasSubstr("--bytes OUT_FILE"));
  EXPECT_THAT(ParseCliArgs({"help", "find"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown command 'find' (expected search, embed, get or info)"));
}

TEST(CliArgsTest, RejectsMissingAndUnknownCommands) {
  EXPECT_THAT(ParseCliArgs({}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "missing command: one of search, embed, get, info or help"));
  EXPECT_THAT(ParseCliArgs({"find", "--text", "x"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "unknown command 'find' (expected search, embed, get, info or help)"));
}

TEST(CliArgsTest, RejectsUnknownAndMisplacedFlags) {
  EXPECT_THAT(ParseCliArgs({"search", "--text", "x", "--colour", "red"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "unknown flag '--colour'"));
  EXPECT_THAT(ParseCliArgs({"embed", "--text", "x", "--to", "image"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "'embed' does not take --to"));
  EXPECT_THAT(ParseCliArgs({"info", "-k", "3"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "'info' does not take -k"));
  EXPECT_THAT(ParseCliArgs({"search", "--text"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--text needs a value"));
  EXPECT_THAT(ParseCliArgs({"info", "--json=yes"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--json: 'yes' is not true or false"));
  EXPECT_THAT(ParseCliArgs({"info", "--json", "--timeout"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--timeout needs a value"));
}

TEST(CliArgsTest, RejectsMalformedValues) {
  EXPECT_THAT(ParseCliArgs({"search", "--text", "x", "-k", "ten"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "-k must be 0 (the server's default) or a positive integer, got 'ten'"));
  EXPECT_THAT(ParseCliArgs({"search", "--text", "x", "-k", "-1"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "-k must be 0 (the server's default) or a positive integer, got '-1'"));
  EXPECT_THAT(ParseCliArgs({"info", "--timeout", "-1"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--timeout must be a positive number of seconds, got '-1'"));
  EXPECT_THAT(ParseCliArgs({"info", "--timeout", "inf"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--timeout must be a positive number of seconds, got 'inf'"));
  EXPECT_THAT(
      ParseCliArgs({"search", "--text", "x", "--filter", "color"}),
      StatusIs(absl::StatusCode::kInvalidArgument, "--filter needs KEY=VALUE, got 'color'"));
  EXPECT_THAT(ParseCliArgs({"search", "--text", "x", "--filter", "=red"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--filter needs KEY=VALUE, got '=red'"));
  EXPECT_THAT(ParseCliArgs({"search", "--text", "x", "--filter", "a=1", "--filter", "a=2"}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--filter gives key 'a' twice"));
  EXPECT_THAT(ParseCliArgs({"search", "--text", "x", "--to", "video"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "--to: unknown modality 'video' (expected text, image or audio)"));
  EXPECT_THAT(ParseCliArgs({"info", "--server", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument, "--server is empty: give HOST:PORT"));
}

TEST(CliArgsTest, KZeroMeansTheServersDefault) {
  ASSERT_OK_AND_ASSIGN(CliArgs zero, ParseCliArgs({"search", "--text", "x", "-k", "0"}));
  EXPECT_EQ(zero.k, 0);
  ASSERT_OK_AND_ASSIGN(CliArgs absl_style, ParseCliArgs({"search", "--text", "x", "--k=7"}));
  EXPECT_EQ(absl_style.k, 7);
}

TEST(CliArgsTest, GlobalFlagsAnywhereAndJsonSpellings) {
  ASSERT_OK_AND_ASSIGN(CliArgs args, ParseCliArgs({"info", "--server=h:1", "--json=false"}));
  EXPECT_EQ(args.server, "h:1");
  EXPECT_FALSE(args.json);
  ASSERT_OK_AND_ASSIGN(args, ParseCliArgs({"--timeout", "5", "info", "--json", "--nojson"}));
  EXPECT_DOUBLE_EQ(args.timeout_seconds, 5);
  EXPECT_FALSE(args.json);
}

TEST(CliArgsTest, FilterValuesMayContainEqualsSigns) {
  ASSERT_OK_AND_ASSIGN(CliArgs args,
                       ParseCliArgs({"search", "--text", "x", "--filter", "expr=a=b"}));
  EXPECT_THAT(args.filters, ElementsAre(Pair("expr", "a=b")));
}

}  // namespace
}  // namespace xmodal::client
