// Removes a directory tree when it goes out of scope (temporary work directories that must
// not outlive a benchmark, also when it returns early with an error).
#ifndef XMODAL_BENCHMARKS_LIB_SCOPED_DIR_H_
#define XMODAL_BENCHMARKS_LIB_SCOPED_DIR_H_

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

namespace xmodal::bench {

// Not copyable. An empty path removes nothing. Removal errors are ignored.
class ScopedDirRemover {
 public:
  explicit ScopedDirRemover(std::string dir) : dir_(std::move(dir)) {}
  ~ScopedDirRemover() {
    if (dir_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ScopedDirRemover(const ScopedDirRemover&) = delete;
  ScopedDirRemover& operator=(const ScopedDirRemover&) = delete;

 private:
  std::string dir_;
};

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_SCOPED_DIR_H_
