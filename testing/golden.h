// Where the golden reference data lives (../shared/golden beside the checkout, as on CI), for
// tests that compare against outputs of public reference code. Header-only.
//
//   const std::string dir = xmodal::testing::GoldenDir("clip");
//   if (dir.empty()) GTEST_SKIP() << xmodal::testing::GoldenMissing("clip");
#ifndef XMODAL_TESTING_GOLDEN_H_
#define XMODAL_TESTING_GOLDEN_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace xmodal::testing {

// `<shared>/golden/<name>` when that directory exists, else "". `<shared>` is
// $XMODAL_SHARED_DIR when set, else the `shared` folder beside the source tree.
inline std::string GoldenDir(const std::string& name) {
  const char* env = std::getenv("XMODAL_SHARED_DIR");
  const std::string shared = env != nullptr && *env != '\0' ? env : XMODAL_DEFAULT_SHARED_DIR;
  const std::string dir = shared + "/golden/" + name;
  std::error_code ec;
  return std::filesystem::is_directory(dir, ec) ? dir : "";
}

// The skip message for a missing golden folder.
inline std::string GoldenMissing(const std::string& name) {
  return "golden data '" + name + "' is absent (expected ../shared/golden/" + name +
         " beside the checkout, or $XMODAL_SHARED_DIR/golden/" + name + "); skipping";
}

}  // namespace xmodal::testing

#endif  // XMODAL_TESTING_GOLDEN_H_
