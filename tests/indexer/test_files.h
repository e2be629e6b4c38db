// Small helpers for the indexer tests: write files (creating their folders) in a temp tree.
#ifndef XMODAL_TESTS_INDEXER_TEST_FILES_H_
#define XMODAL_TESTS_INDEXER_TEST_FILES_H_

#include <gtest/gtest.h>

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

// A fresh temp directory, with symbolic links resolved so that paths compare exactly.
inline std::string TestDir(absl::string_view prefix) {
  absl::StatusOr<std::string> dir = MakeTempDirectory(prefix);
  EXPECT_TRUE(dir.ok()) << dir.status();
  return std::filesystem::canonical(*dir).string();
}

}  // namespace xmodal::indexer::testing

#endif  // XMODAL_TESTS_INDEXER_TEST_FILES_H_
