// Resource usage of this process (getrusage) and of another one (/proc/<pid>/stat and
// /proc/<pid>/status), as /usr/bin/time and top report them. Linux only.
#ifndef XMODAL_BENCHMARKS_LIB_PROC_STATS_H_
#define XMODAL_BENCHMARKS_LIB_PROC_STATS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::bench {

// The peak resident set size of this process so far (getrusage ru_maxrss), in bytes.
int64_t SelfPeakRssBytes();

// CPU time (user + system) this process has used so far, in seconds (getrusage).
double SelfCpuSeconds();

// One reading of a process's counters.
struct ProcessSample {
  double cpu_seconds = 0.0;    // utime + stime since the process started
  int64_t rss_bytes = 0;       // VmRSS
  int64_t peak_rss_bytes = 0;  // VmHWM
  int64_t threads = 0;
};

// Reads /proc/<pid>/stat and /proc/<pid>/status. NOT_FOUND when no such process exists,
// INTERNAL when the files cannot be parsed (the message names the file). Thread-safe.
absl::StatusOr<ProcessSample> SampleProcess(int64_t pid);

// Parsers behind SampleProcess, exposed for tests. `stat` is the text of /proc/<pid>/stat
// (the command name may contain spaces and parentheses); `ticks_per_second` from sysconf.
absl::StatusOr<double> ParseStatCpuSeconds(absl::string_view stat, double ticks_per_second);
// The integer of a "Name:   1234 kB" or "Name: 7" line of /proc/<pid>/status (a "kB" unit is
// dropped, not applied); NOT_FOUND when absent, INTERNAL when it is not an integer.
absl::StatusOr<int64_t> ParseStatusValue(absl::string_view status, absl::string_view name);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_PROC_STATS_H_
