// A dense row-major float matrix: a batch of embeddings or queries.
#ifndef XMODAL_CORE_BASE_FLOAT_MATRIX_H_
#define XMODAL_CORE_BASE_FLOAT_MATRIX_H_

#include <cstdint>
#include <span>
#include <vector>

namespace xmodal {

struct FloatMatrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<float> data;  // rows * cols values, row after row

  FloatMatrix() = default;
  FloatMatrix(int64_t r, int64_t c) : rows(r), cols(c), data(static_cast<size_t>(r * c), 0.0f) {}

  std::span<float> row(int64_t i) { return {data.data() + i * cols, static_cast<size_t>(cols)}; }
  std::span<const float> row(int64_t i) const {
    return {data.data() + i * cols, static_cast<size_t>(cols)};
  }
  // Appends one row; `values.size()` must equal `cols` (or set `cols` when the matrix is empty).
  void AppendRow(std::span<const float> values);
};

// Scales each row to unit L2 norm; an all-zero row stays zero.
void L2NormalizeRows(FloatMatrix& m);

// Inner product of two equally long vectors.
float Dot(std::span<const float> a, std::span<const float> b);

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_FLOAT_MATRIX_H_
