#include "core/base/threads.h"

#include <glog/logging.h>

#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace xmodal {

int HardwareThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

int ResolveThreadCount(int requested) {
  CHECK_GE(requested, 0) << "negative thread count";
  return requested > 0 ? requested : HardwareThreads();
}

absl::StatusOr<int> ResolveThreadCountOr(int requested, absl::string_view what) {
  if (requested < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be >= 0 (0: all cores), got ", requested));
  }
  return ResolveThreadCount(requested);
}

}  // namespace xmodal
