#include "server/process_stats.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/base/file_util.h"

namespace xmodal::server {

namespace {

// procfs files are small; this only guards against a wrong `proc` argument.
constexpr int64_t kMaxProcFileBytes = 1 << 20;

// The fields of /proc/<pid>/stat after the command name, counted from 0 at "state" (field 3 of
// proc(5)), so field N of proc(5) is index N - 3.
constexpr size_t kUtime = 11;       // 14
constexpr size_t kStime = 12;       // 15
constexpr size_t kNumThreads = 17;  // 20
constexpr size_t kStartTime = 19;   // 22
constexpr size_t kVsize = 20;       // 23
constexpr size_t kRss = 21;         // 24

// The integer at `index` of `fields`; nullopt (and an error naming `name`) when absent or not a
// number.
std::optional<int64_t> StatField(const std::vector<absl::string_view>& fields, size_t index,
                                 absl::string_view name, ProcessStats& stats) {
  if (index >= fields.size()) {
    stats.errors.push_back(absl::InternalError(absl::StrCat(
        "/proc/self/stat has no ", name, " (", fields.size(), " fields after the command name)")));
    return std::nullopt;
  }
  int64_t value = 0;
  if (!absl::SimpleAtoi(fields[index], &value)) {
    stats.errors.push_back(absl::InternalError(
        absl::StrCat("/proc/self/stat ", name, " is not a number: '", fields[index], "'")));
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> CountOpenFds(const std::string& dir, ProcessStats& stats) {
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  int64_t count = 0;
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) ++count;
  if (error) {
    stats.errors.push_back(
        absl::InternalError(absl::StrCat("cannot list '", dir, "': ", error.message())));
    return std::nullopt;
  }
  return count;
}

}  // namespace

void ParseProcSelfStat(absl::string_view stat, double ticks_per_second, int64_t page_size,
                       std::optional<int64_t> boot_unix_seconds, ProcessStats& stats) {
  // "pid (comm) state ppid ...": comm may hold anything, so fields count from the last ')'.
  const size_t close = stat.rfind(')');
  if (close == absl::string_view::npos) {
    stats.errors.push_back(
        absl::InternalError("/proc/self/stat has no ')' after the command name"));
    return;
  }
  const std::vector<absl::string_view> fields =
      absl::StrSplit(stat.substr(close + 1), absl::ByAnyChar(" \n"), absl::SkipEmpty());
  const std::optional<int64_t> utime = StatField(fields, kUtime, "utime", stats);
  const std::optional<int64_t> stime = StatField(fields, kStime, "stime", stats);
  if (utime && stime) stats.cpu_seconds = static_cast<double>(*utime + *stime) / ticks_per_second;
  stats.threads = StatField(fields, kNumThreads, "num_threads", stats);
  const std::optional<int64_t> start = StatField(fields, kStartTime, "starttime", stats);
  if (start && boot_unix_seconds) {
    stats.start_time_seconds =
        static_cast<double>(*boot_unix_seconds) + static_cast<double>(*start) / ticks_per_second;
  }
  stats.virtual_memory_bytes = StatField(fields, kVsize, "vsize", stats);
  const std::optional<int64_t> rss_pages = StatField(fields, kRss, "rss", stats);
  if (rss_pages) stats.resident_memory_bytes = *rss_pages * page_size;
}

absl::StatusOr<int64_t> ParseBootTime(absl::string_view proc_stat) {
  for (absl::string_view line : absl::StrSplit(proc_stat, '\n')) {
    if (!absl::ConsumePrefix(&line, "btime ")) continue;
    int64_t value = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &value)) {
      return absl::InternalError(absl::StrCat("/proc/stat btime is not a number: '", line, "'"));
    }
    return value;
  }
  return absl::NotFoundError("/proc/stat has no btime line");
}

absl::StatusOr<int64_t> ParseMaxOpenFiles(absl::string_view limits) {
  for (absl::string_view line : absl::StrSplit(limits, '\n')) {
    if (!absl::ConsumePrefix(&line, "Max open files")) continue;
    // "Max open files            20000                20000                files"
    const std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (words.empty()) return absl::InternalError("/proc/self/limits Max open files is empty");
    if (words[0] == "unlimited") {
      return absl::NotFoundError("/proc/self/limits Max open files is unlimited");
    }
    int64_t value = 0;
    if (!absl::SimpleAtoi(words[0], &value)) {
      return absl::InternalError(
          absl::StrCat("/proc/self/limits Max open files is not a number: '", words[0], "'"));
    }
    return value;
  }
  return absl::NotFoundError("/proc/self/limits has no Max open files line");
}

ProcessStats ReadProcessStats(absl::string_view proc) {
  ProcessStats stats;
  const std::string root(proc);

  std::optional<int64_t> boot;
  absl::StatusOr<std::string> system_stat = ReadFile(root + "/stat", kMaxProcFileBytes);
  absl::StatusOr<int64_t> btime =
      system_stat.ok() ? ParseBootTime(*system_stat) : system_stat.status();
  if (btime.ok()) {
    boot = *btime;
  } else {
    stats.errors.push_back(btime.status());
  }

  absl::StatusOr<std::string> self_stat = ReadFile(root + "/self/stat", kMaxProcFileBytes);
  if (self_stat.ok()) {
    const long ticks = sysconf(_SC_CLK_TCK);
    const long page = sysconf(_SC_PAGESIZE);
    ParseProcSelfStat(*self_stat, ticks > 0 ? ticks : 100, page > 0 ? page : 4096, boot, stats);
  } else {
    stats.errors.push_back(self_stat.status());
  }

  absl::StatusOr<std::string> limits = ReadFile(root + "/self/limits", kMaxProcFileBytes);
  absl::StatusOr<int64_t> max_fds = limits.ok() ? ParseMaxOpenFiles(*limits) : limits.status();
  if (max_fds.ok()) {
    stats.max_fds = *max_fds;
  } else {
    stats.errors.push_back(max_fds.status());
  }

  stats.open_fds = CountOpenFds(root + "/self/fd", stats);
  return stats;
}

}  // namespace xmodal::server
