// Summaries of repeated measurements: the median with the min / max spread, and nearest-rank
// percentiles of latency samples. Pure functions, thread-compatible.
#ifndef XMODAL_BENCHMARKS_LIB_STATS_H_
#define XMODAL_BENCHMARKS_LIB_STATS_H_

#include <cstdint>
#include <vector>

#include "core/base/json.h"

namespace xmodal::bench {

// One measured quantity over `n` repetitions.
struct Spread {
  double median = 0.0;
  double min = 0.0;
  double max = 0.0;
  int64_t n = 0;  // 0: nothing was measured (all fields 0)
};

// The median (mean of the middle two for an even count), min and max of `values`; all zero
// with n = 0 for an empty input.
Spread Summarize(std::vector<double> values);

// The nearest-rank percentile `p` (0 < p <= 100) of `sorted` (ascending): the smallest value
// with at least p% of the samples at or below it. 0 for an empty input.
double Percentile(const std::vector<double>& sorted, double p);

// {"median": .., "min": .., "max": .., "n": ..} as the results schema's "spread".
Json SpreadToJson(const Spread& spread);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_STATS_H_
