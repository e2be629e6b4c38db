// A description of the machine a benchmark ran on, for the results file: CPU model, cores,
// memory, OS, kernel and the BLAS library FAISS is using. Linux only.
#ifndef XMODAL_BENCHMARKS_LIB_MACHINE_INFO_H_
#define XMODAL_BENCHMARKS_LIB_MACHINE_INFO_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "core/base/json.h"

namespace xmodal::bench {

struct MachineInfo {
  std::string hostname;
  std::string cpu_model;  // "model name" of /proc/cpuinfo; "unknown" when absent
  int cores = 0;          // online logical CPUs
  int64_t memory_bytes = 0;
  std::string os;      // PRETTY_NAME of /etc/os-release
  std::string kernel;  // uname -sr
  std::string blas;    // the BLAS shared object mapped into this process, or "none loaded"
  std::string compiler;
  std::string build_type;
  double load_average_1m = -1;  // /proc/loadavg when described; -1 when unknown
};

// Reads the machine's description. Never fails: unknown fields say "unknown".
MachineInfo DescribeMachine();

Json MachineInfoToJson(const MachineInfo& info);

// The BLAS library named by a /proc/self/maps text (exposed for tests): the path of the first
// mapped file whose name contains "blas", "mkl" or "lapack", with "openblas" variants named
// from their directory (e.g. "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3").
std::string BlasFromMaps(absl::string_view maps);

// "2024-05-01T12:00:00Z" for the current time (UTC).
std::string UtcTimestamp();

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_MACHINE_INFO_H_
