// This process's resource usage as the standard Prometheus process metrics report it
// (process_resident_memory_bytes, process_cpu_seconds_total, ...), read from /proc. Linux only.
//
// Errors: reading never fails as a whole. Each value that its /proc file does not provide (the
// file is missing or unreadable, the field is absent or not a number) is left out (nullopt) and
// the reason is added to `errors`, so that a scrape shows the metrics it can and omits the rest.
//
// Thread-safe (no shared state).
#ifndef XMODAL_SERVER_PROCESS_STATS_H_
#define XMODAL_SERVER_PROCESS_STATS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::server {

struct ProcessStats {
  std::optional<int64_t> resident_memory_bytes;  // stat rss (pages) * page size
  std::optional<int64_t> virtual_memory_bytes;   // stat vsize
  std::optional<double> cpu_seconds;             // stat utime + stime
  std::optional<double> start_time_seconds;      // Unix time: /proc/stat btime + stat starttime
  std::optional<int64_t> open_fds;   // entries of <proc>/self/fd (the listing's own one included)
  std::optional<int64_t> max_fds;    // soft "Max open files" of <proc>/self/limits
  std::optional<int64_t> threads;    // stat num_threads
  std::vector<absl::Status> errors;  // why each missing value is missing
};

// Reads <proc>/self/stat, <proc>/self/limits, <proc>/self/fd and <proc>/stat. `proc` is the
// procfs mount point; tests point it at a fake tree.
ProcessStats ReadProcessStats(absl::string_view proc = "/proc");

// The parsers behind ReadProcessStats, exposed for tests.

// Fills the /proc/<pid>/stat values of `stats` (all but open_fds and max_fds) from `stat`, the
// file's text (the command name may hold spaces and parentheses). `boot_unix_seconds` is
// /proc/stat's btime (nullopt: start_time_seconds is left out). Fields that are missing or not
// numbers are left out, with an INTERNAL error naming the field.
void ParseProcSelfStat(absl::string_view stat, double ticks_per_second, int64_t page_size,
                       std::optional<int64_t> boot_unix_seconds, ProcessStats& stats);

// The "btime" line of /proc/stat: the boot time in Unix seconds. NOT_FOUND when absent,
// INTERNAL when it is not a number.
absl::StatusOr<int64_t> ParseBootTime(absl::string_view proc_stat);

// The soft limit of the "Max open files" line of /proc/<pid>/limits. NOT_FOUND when absent or
// "unlimited", INTERNAL when it is not a number.
absl::StatusOr<int64_t> ParseMaxOpenFiles(absl::string_view limits);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_PROCESS_STATS_H_
