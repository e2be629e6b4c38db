#include "benchmarks/lib/proc_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::bench {

int64_t SelfPeakRssBytes() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return int64_t{usage.ru_maxrss} * 1024;  // Linux reports kilobytes
}

double SelfCpuSeconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

absl::StatusOr<double> ParseStatCpuSeconds(absl::string_view stat, double ticks_per_second) {
  // "pid (comm) state ppid ...": comm may hold anything, so fields count from the last ')'.
  const size_t close = stat.rfind(')');
  if (close == absl::string_view::npos) {
    return absl::InternalError("/proc/<pid>/stat has no ')' after the command name");
  }
  const std::vector<absl::string_view> fields =
      absl::StrSplit(stat.substr(close + 1), ' ', absl::SkipEmpty());
  // After the command: state(0) ppid(1) ... utime is field 14 of the line, index 11 here.
  constexpr size_t kUtime = 11, kStime = 12;
  if (fields.size() <= kStime) {
    return absl::InternalError(
        absl::StrCat("/proc/<pid>/stat has ", fields.size(), " fields after the command name"));
  }
  int64_t utime = 0, stime = 0;
  if (!absl::SimpleAtoi(fields[kUtime], &utime) || !absl::SimpleAtoi(fields[kStime], &stime)) {
    return absl::InternalError("/proc/<pid>/stat utime / stime are not integers");
  }
  return static_cast<double>(utime + stime) / ticks_per_second;
}

absl::StatusOr<int64_t> ParseStatusValue(absl::string_view status, absl::string_view name) {
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (!absl::ConsumePrefix(&line, name) || !absl::ConsumePrefix(&line, ":")) continue;
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, "kB");
    int64_t value = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &value)) {
      return absl::InternalError(absl::StrCat("/proc/<pid>/status ", name, " is not a number"));
    }
    return value;
  }
  return absl::NotFoundError(absl::StrCat("/proc/<pid>/status has no ", name, " line"));
}

absl::StatusOr<ProcessSample> SampleProcess(int64_t pid) {
  const std::string dir = absl::StrCat("/proc/", pid);
  absl::StatusOr<std::string> stat_text = ReadFile(dir + "/stat", 1 << 16);
  if (!stat_text.ok()) {
    if (stat_text.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(absl::StrCat("no process with pid ", pid));
    }
    return stat_text.status();
  }
  XM_ASSIGN_OR_RETURN(std::string status, ReadFile(dir + "/status", 1 << 16));
  ProcessSample sample;
  XM_ASSIGN_OR_RETURN(sample.cpu_seconds,
                      ParseStatCpuSeconds(*stat_text, static_cast<double>(sysconf(_SC_CLK_TCK))));
  XM_ASSIGN_OR_RETURN(const int64_t rss_kb, ParseStatusValue(status, "VmRSS"));
  XM_ASSIGN_OR_RETURN(const int64_t hwm_kb, ParseStatusValue(status, "VmHWM"));
  XM_ASSIGN_OR_RETURN(sample.threads, ParseStatusValue(status, "Threads"));
  sample.rss_bytes = rss_kb * 1024;
  sample.peak_rss_bytes = hwm_kb * 1024;
  return sample;
}

}  // namespace xmodal::bench
