// The one place that resolves a thread-count setting: "0 threads" means all cores.
// Pure functions; thread-safe.
#ifndef XMODAL_CORE_BASE_THREADS_H_
#define XMODAL_CORE_BASE_THREADS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal {

// The number of cores (std::thread::hardware_concurrency()), or 1 when it is unknown.
int HardwareThreads();

// `requested` when it is > 0; HardwareThreads() when it is 0. Precondition: requested >= 0
// (CHECKed; values from users go through ResolveThreadCountOr first).
int ResolveThreadCount(int requested);

// As ResolveThreadCount, but a negative `requested` is INVALID_ARGUMENT naming `what`
// (e.g. "--threads").
absl::StatusOr<int> ResolveThreadCountOr(int requested, absl::string_view what);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_THREADS_H_
