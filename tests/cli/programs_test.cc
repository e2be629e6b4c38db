// Runs every built program binary with --help, --version and an unknown flag: the behaviour
// cli/program.h promises for all of them (issue 11). The paths come from CMake.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"

namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

struct ProgramRun {
  int exit_code = -1;
  std::string out, err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TempDir() {
  const char* dir = std::getenv("XMODAL_TEST_TMPDIR");
  std::string root = dir != nullptr ? dir : "/tmp";
  EXPECT_EQ(std::system(("mkdir -p '" + root + "'").c_str()), 0);
  return root;
}

ProgramRun RunProgram(const std::string& path, const std::string& arg) {
  const std::string base = TempDir() + "/cli_programs_" + std::to_string(::getpid());
  const std::string command =
      "'" + path + "' " + arg + " </dev/null >'" + base + ".out' 2>'" + base + ".err'";
  const int status = std::system(command.c_str());
  ProgramRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadAll(base + ".out");
  run.err = ReadAll(base + ".err");
  return run;
}

std::vector<std::pair<std::string, std::string>> Programs() {
  std::vector<std::pair<std::string, std::string>> programs;
  for (absl::string_view entry : absl::StrSplit(XMODAL_PROGRAM_FILES, ',', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    programs.emplace_back(parts[0], parts[1]);
  }
  return programs;
}

TEST(CliProgramsTest, AllProgramsAreListed) { EXPECT_GE(Programs().size(), 7u); }

TEST(CliProgramsTest, HelpExitsZeroWithUsageOnStdout) {
  for (const auto& [name, path] : Programs()) {
    const ProgramRun run = RunProgram(path, "--help");
    EXPECT_EQ(run.exit_code, 0) << name << ": " << run.err;
    EXPECT_THAT(run.out, StartsWith("Usage: " + name)) << name;
    EXPECT_THAT(run.out, HasSubstr("--version")) << name;
  }
}

TEST(CliProgramsTest, VersionExitsZeroWithNameAndVersion) {
  for (const auto& [name, path] : Programs()) {
    const ProgramRun run = RunProgram(path, "--version");
    EXPECT_EQ(run.exit_code, 0) << name << ": " << run.err;
    EXPECT_EQ(run.out, name + " " XMODAL_VERSION "\n") << name;
  }
}

TEST(CliProgramsTest, UnknownFlagExitsTwoNamingItAndHelp) {
  for (const auto& [name, path] : Programs()) {
    const ProgramRun run = RunProgram(path, "--no_such_flag");
    EXPECT_EQ(run.exit_code, 2) << name << ": " << run.err;
    EXPECT_THAT(run.err, HasSubstr(name + ": unknown flag '--no_such_flag'")) << name;
    EXPECT_THAT(run.err, HasSubstr("Run '" + name + " --help' for usage.")) << name;
    EXPECT_THAT(run.out, IsEmpty()) << name;
  }
}

}  // namespace
