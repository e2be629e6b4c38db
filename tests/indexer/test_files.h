// Small helpers for the indexer tests: write files (creating their folders) in a temp tree.
#ifndef XMODAL_TESTS_INDEXER_TEST_FILES_H_
#define XMODAL_TESTS_INDEXER_TEST_FILES_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/string_view.h"
#include "core/base/file_util.h"

namespace xmodal::indexer::testing {

// Writes `contents` to `dir/relative`, creating the folders on the way.
inline std::string WriteTestFile(const std::string& dir, const std::string& relative,
                                 absl::string_view contents) {
  const std::string path = dir + "/" + relative;
  EXPECT_TRUE(MakeDirectories(std::filesystem::path(path).parent_path().string()).ok());
  EXPECT_TRUE(WriteFileAtomically(path, contents).ok()) << path;
  return path;
}

// Collects what a test writes to a FILE* (the CLI's output, a TerminalProgress).
class Capture {
 public:
  Capture() : file_(std::tmpfile()) {}
  ~Capture() { std::fclose(file_); }
  Capture(const Capture&) = delete;
  Capture& operator=(const Capture&) = delete;
  std::FILE* file() { return file_; }
  std::string Text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), file_)) > 0) out.append(buf, n);
    return out;
  }

 private:
  std::FILE* file_;
};

// A fresh temp directory, with symbolic links resolved so that paths compare exactly.
inline std::string TestDir(absl::string_view prefix) {
  absl::StatusOr<std::string> dir = MakeTempDirectory(prefix);
  EXPECT_TRUE(dir.ok()) << dir.status();
  return std::filesystem::canonical(*dir).string();
}

}  // namespace xmodal::indexer::testing

#endif  // XMODAL_TESTS_INDEXER_TEST_FILES_H_
