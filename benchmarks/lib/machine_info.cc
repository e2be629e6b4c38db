#include "benchmarks/lib/machine_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/base/file_util.h"

#ifndef XMODAL_BUILD_TYPE
#define XMODAL_BUILD_TYPE "unknown"
#endif

namespace xmodal::bench {
namespace {

constexpr char kUnknown[] = "unknown";

std::string ReadOr(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path, 1 << 22);
  return text.ok() ? *text : std::string();
}

// The value after the first "key<sep>" line, trimmed (and unquoted); empty when absent.
std::string FieldOf(absl::string_view text, absl::string_view key, char sep) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    const size_t at = line.find(sep);
    if (at == absl::string_view::npos) continue;
    if (absl::StripAsciiWhitespace(line.substr(0, at)) != key) continue;
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(at + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::string();
}

std::string OrUnknown(std::string value) { return value.empty() ? kUnknown : value; }

}  // namespace

std::string BlasFromMaps(absl::string_view maps) {
  for (absl::string_view line : absl::StrSplit(maps, '\n')) {
    const size_t slash = line.find('/');
    if (slash == absl::string_view::npos) continue;
    const absl::string_view path = line.substr(slash);
    const absl::string_view base = path.substr(path.rfind('/') + 1);
    const std::string lower = absl::AsciiStrToLower(base);
    if (absl::StrContains(lower, "blas") || absl::StrContains(lower, "mkl") ||
        absl::StrContains(lower, "lapack")) {
      return std::string(path);
    }
  }
  return "none loaded";
}

std::string UtcTimestamp() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
}

MachineInfo DescribeMachine() {
  MachineInfo info;
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0) info.hostname = host;
  info.hostname = OrUnknown(info.hostname);
  info.cpu_model = OrUnknown(FieldOf(ReadOr("/proc/cpuinfo"), "model name", ':'));
  info.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  std::string mem = FieldOf(ReadOr("/proc/meminfo"), "MemTotal", ':');
  absl::string_view mem_view = mem;
  absl::ConsumeSuffix(&mem_view, "kB");
  int64_t kb = 0;
  if (absl::SimpleAtoi(absl::StripAsciiWhitespace(mem_view), &kb)) info.memory_bytes = kb * 1024;
  info.os = OrUnknown(FieldOf(ReadOr("/etc/os-release"), "PRETTY_NAME", '='));
  struct utsname names {};
  info.kernel = uname(&names) == 0 ? absl::StrCat(names.sysname, " ", names.release) : kUnknown;
  info.blas = BlasFromMaps(ReadOr("/proc/self/maps"));
#if defined(__clang__)
  info.compiler = absl::StrCat("clang ", __clang_version__);
#elif defined(__GNUC__)
  info.compiler = absl::StrCat("gcc ", __VERSION__);
#else
  info.compiler = kUnknown;
#endif
  info.build_type = XMODAL_BUILD_TYPE;
  const std::string loadavg = ReadOr("/proc/loadavg");
  double load = 0;
  if (absl::SimpleAtod(loadavg.substr(0, loadavg.find(' ')), &load)) info.load_average_1m = load;
  return info;
}

Json MachineInfoToJson(const MachineInfo& info) {
  return Json{{"hostname", info.hostname},
              {"cpu_model", info.cpu_model},
              {"cores", info.cores},
              {"memory_bytes", info.memory_bytes},
              {"os", info.os},
              {"kernel", info.kernel},
              {"blas", info.blas},
              {"compiler", info.compiler},
              {"build_type", info.build_type},
              {"load_average_1m", info.load_average_1m}};
}

}  // namespace xmodal::bench
