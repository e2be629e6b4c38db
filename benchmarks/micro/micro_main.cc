// xmodal-microbench: Google Benchmark micro-benchmarks of the hot paths (README.md).
//   xmodal-microbench [--model DIR] [--big | --tiny] [--benchmark_* flags]
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
#include <string>
#include <system_error>
#include <vector>

#include "benchmarks/micro/micro_env.h"
#include "benchmarks/micro/register.h"

#ifndef XMODAL_SOURCE_DIR
#define XMODAL_SOURCE_DIR "."
#endif

namespace {

// Takes --model DIR / --model=DIR and --big out of argv (Google Benchmark rejects unknown
// flags) and fills `flags`.
void TakeOwnFlags(int& argc, char** argv, xmodal::bench::MicroFlags& flags) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--big") {
      flags.big = true;
    } else if (arg == "--tiny") {
      flags.tiny = true;
    } else if (arg.rfind("--model=", 0) == 0) {
      flags.model = arg.substr(8);
    } else if (arg == "--model" && i + 1 < argc) {
      flags.model = argv[++i];
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
}

}  // namespace

int main(int argc, char** argv) {
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  xmodal::bench::MicroFlags flags;
  if (const char* env = std::getenv("XMODAL_BENCH_MODEL"); env != nullptr) flags.model = env;
  if (const char* env = std::getenv("XMODAL_BENCH_BIG"); env != nullptr) {
    flags.big = std::strcmp(env, "1") == 0;
  }
  flags.default_dir = std::string(XMODAL_SOURCE_DIR) + "/models/default";
  TakeOwnFlags(argc, argv, flags);
  // Warm up every benchmark unless told otherwise (Google Benchmark's default is none).
  std::vector<char*> args(argv, argv + argc);
  std::string warmup = "--benchmark_min_warmup_time=0.1";
  bool has_warmup = false;
  for (char* a : args) has_warmup |= std::strncmp(a, "--benchmark_min_warmup_time", 27) == 0;
  if (!has_warmup) args.insert(args.begin() + 1, warmup.data());
  int args_count = static_cast<int>(args.size());
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
