// xmodal-toy-model DIR: writes the deterministic toy colour model package (toy_model.h) to
// DIR. Used by the demo while no trained default model is available, and by benchmarks.
// Flags: cli/program.h (--help, --version, --flagfile). Exit status: 0 written, 1 on a
// failure to write, 2 for bad usage.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/program.h"
#include "testing/toy_model.h"

int main(int argc, char** argv) {
  std::string dir;
  xmodal::cli::Program program({
      .name = "xmodal-toy-model",
      .description = "Writes the deterministic toy colour model package to DIR.",
      .usage = "xmodal-toy-model DIR",
      .footer = "Exit status: 0 written, 1 on a failure to write, 2 for bad usage.",
  });
  program.Positional("DIR", &dir, "the package directory to write", /*required=*/true);
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  absl::Status written = xmodal::testing::WriteToyModelPackage(dir);
  if (!written.ok()) {
    std::cerr << "xmodal-toy-model: " << written << "\n";
    return 1;
  }
  std::cout << "wrote the toy colour model package to " << dir << "\n";
  return 0;
}
