// xmodal-microbench: Google Benchmark micro-benchmarks of the hot paths (README.md).
//   xmodal-microbench [--model DIR] [--big | --tiny] [--benchmark_* flags]
// Our flags go through cli/program.h (--help, --version, unknown flags: exit 2); every
// --benchmark_* flag is passed to Google Benchmark.
// --tiny: FAISS at 1,000 vectors only, built on one thread (used by tests/benchmarks to keep every
// benchmark alive).
// --model (or $XMODAL_BENCH_MODEL): the package whose encoders are timed; by default the toy
// package and, when it exists, models/default. --big (or XMODAL_BENCH_BIG=1): FAISS also at
// 100k and 1M vectors (minutes of index building and several GB of memory).
#include <benchmark/benchmark.h>
#include <glog/logging.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "benchmarks/micro/micro_env.h"
#include "benchmarks/micro/register.h"
#include "cli/program.h"

#ifndef XMODAL_SOURCE_DIR
#define XMODAL_SOURCE_DIR "."
#endif

namespace {

// Splits argv into Google Benchmark's --benchmark_* flags and ours; parses ours. nullopt to
// run; otherwise the exit code (help, version or a usage error already printed).
std::optional<int> ParseOwnFlags(int argc, char** argv, xmodal::bench::MicroFlags& flags,
                                 std::vector<char*>& benchmark_args) {
  benchmark_args = {argv[0]};
  std::vector<std::string> own;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--benchmark_", 12) == 0) {
      benchmark_args.push_back(argv[i]);
    } else {
      own.emplace_back(argv[i]);
    }
  }
  xmodal::cli::Program program({
      .name = "xmodal-microbench",
      .description = "Google Benchmark micro-benchmarks of the hot paths (benchmarks/README.md). "
                     "Every --benchmark_* flag\n(--benchmark_filter=REGEX, "
                     "--benchmark_out=F, ...) is passed to Google Benchmark.",
      .usage = "xmodal-microbench [--model DIR] [--big | --tiny] [--benchmark_* flags]",
      .footer = "Exit status: 0 success, 1 when the environment cannot be set up, 2 bad usage.",
  });
  program
      .Flag("model", &flags.model,
            "the package whose encoders are timed (or $XMODAL_BENCH_MODEL); default: the toy "
            "package and models/default",
            {.value_name = "DIR"})
      .Flag("big", &flags.big,
            "FAISS also at 100k and 1M vectors (or XMODAL_BENCH_BIG=1): minutes, several GB")
      .Flag("tiny", &flags.tiny, "FAISS at 1,000 vectors only, built on one thread");
  return program.Parse(own, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  xmodal::bench::MicroFlags flags;
  if (const char* env = std::getenv("XMODAL_BENCH_MODEL"); env != nullptr) flags.model = env;
  if (const char* env = std::getenv("XMODAL_BENCH_BIG"); env != nullptr) {
    flags.big = std::strcmp(env, "1") == 0;
  }
  flags.default_dir = std::string(XMODAL_SOURCE_DIR) + "/models/default";
  std::vector<char*> args;
  if (std::optional<int> exit_code = ParseOwnFlags(argc, argv, flags, args)) return *exit_code;
  // Warm up every benchmark unless told otherwise (Google Benchmark's default is none).
  std::string warmup = "--benchmark_min_warmup_time=0.1";
  bool has_warmup = false;
  for (char* a : args) has_warmup |= std::strncmp(a, "--benchmark_min_warmup_time", 27) == 0;
  if (!has_warmup) args.insert(args.begin() + 1, warmup.data());
  int args_count = static_cast<int>(args.size());
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 2;

  absl::StatusOr<xmodal::bench::MicroEnv> env = xmodal::bench::ResolveMicroEnv(flags);
  if (!env.ok()) {
    std::cerr << "xmodal-microbench: " << env.status() << "\n";
    return 1;
  }
  std::string notes;
  for (const std::string& note : env->notes) {
    std::cerr << "xmodal-microbench: " << note << "\n";
    notes += (notes.empty() ? "" : "; ") + note;
  }
  benchmark::AddCustomContext("xmodal_notes", notes);
  xmodal::bench::RegisterMediaBenchmarks();
  xmodal::bench::RegisterTextBenchmarks();
  xmodal::bench::RegisterEncoderBenchmarks(*env);
  xmodal::bench::RegisterFaissBenchmarks(*env);
  xmodal::bench::RegisterStoreBenchmarks(*env);
  benchmark::RunSpecifiedBenchmarks();
  xmodal::bench::ReleaseFixtures();
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(env->scratch_dir, ec);
  return 0;
}
