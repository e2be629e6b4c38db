// Registration of the micro-benchmark groups with Google Benchmark. Each group creates its
// fixtures lazily, on the first run of a benchmark, so a --benchmark_filter that leaves a
// group out costs nothing; fixture errors are reported with SkipWithError.
#ifndef XMODAL_BENCHMARKS_MICRO_REGISTER_H_
#define XMODAL_BENCHMARKS_MICRO_REGISTER_H_

#include <functional>

#include "benchmarks/micro/micro_env.h"

namespace xmodal::bench {

// image/*, audio/*: decode, preprocess, resample and log-mel of generated media.
void RegisterMediaBenchmarks();
// text/*: the "bytes" and "char_ngram" tokenisers on a short and a long text.
void RegisterTextBenchmarks();
// encode/<model>/<modality>/batch:{1,8,32}: TorchScript forward passes of prepared inputs.
void RegisterEncoderBenchmarks(const MicroEnv& env);
// faiss/<factory>/n:<size>/dim:<dim>: single-query top-10 search through core/index.
void RegisterFaissBenchmarks(const MicroEnv& env);
// store/*: RocksDB batch commit and point reads through core/store.
void RegisterStoreBenchmarks(const MicroEnv& env);

// Fixtures holding library objects (models, indexes, the database) must be freed while those
// libraries are alive, not during static destruction: groups register a release function
// with OnRelease, and main calls ReleaseFixtures before it returns. Not thread-safe.
void OnRelease(std::function<void()> release);
void ReleaseFixtures();

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_MICRO_REGISTER_H_
