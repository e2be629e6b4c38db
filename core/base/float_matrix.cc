#include "core/base/float_matrix.h"

#include <cmath>
#include <glog/logging.h>

namespace xmodal {

void FloatMatrix::AppendRow(std::span<const float> values) {
  if (rows == 0 && cols == 0) cols = static_cast<int64_t>(values.size());
  CHECK_EQ(static_cast<int64_t>(values.size()), cols) << "row width mismatch";
  data.insert(data.end(), values.begin(), values.end());
  ++rows;
}

void L2NormalizeRows(FloatMatrix& m) {
  for (int64_t i = 0; i < m.rows; ++i) {
    std::span<float> r = m.row(i);
    const double norm = std::sqrt(static_cast<double>(Dot(r, r)));
    if (norm <= 0.0) continue;
    for (float& v : r) v = static_cast<float>(v / norm);
  }
}

float Dot(std::span<const float> a, std::span<const float> b) {
  CHECK_EQ(a.size(), b.size());
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) sum += static_cast<double>(a[i]) * b[i];
  return static_cast<float>(sum);
}

}  // namespace xmodal
