// xmodal-toy-model DIR: writes the deterministic toy colour model package (toy_model.h) to
// DIR. Used by the demo while no trained default model is available, and by benchmarks.
#include <iostream>

#include "tests/testing/toy_model.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: xmodal-toy-model OUT_DIR\n";
    return 2;
  }
  absl::Status written = xmodal::testing::WriteToyModelPackage(argv[1]);
  if (!written.ok()) {
    std::cerr << "xmodal-toy-model: " << written << "\n";
    return 1;
  }
  std::cout << "wrote the toy colour model package to " << argv[1] << "\n";
  return 0;
}
