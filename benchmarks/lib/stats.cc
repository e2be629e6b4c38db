#include "benchmarks/lib/stats.h"

#include <algorithm>
#include <cmath>

namespace xmodal::bench {

Spread Summarize(std::vector<double> values) {
  Spread s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  s.n = static_cast<int64_t>(n);
  s.min = values.front();
  s.max = values.back();
  s.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
  return s;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, double(sorted.size()))) - 1;
  return sorted[index];
}

Json SpreadToJson(const Spread& spread) {
  return Json{{"median", spread.median}, {"min", spread.min}, {"max", spread.max}, {"n", spread.n}};
}

}  // namespace xmodal::bench
