// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N,
// N bytes of JSON {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
// "__metadata__": {"k": "v"}}, then the data buffer the offsets index. Files are untrusted:
// parsing is bounded by the file's own size and allocates nothing larger. Pure C++, no
// LibTorch; thread-safe (no shared state).
#ifndef XMODAL_CORE_MODEL_WEIGHTS_SAFETENSORS_H_
#define XMODAL_CORE_MODEL_WEIGHTS_SAFETENSORS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::model::weights {

// The element types the format defines. Only kF32, kF16, kBF16 and kF64 convert to float.
enum class DType { kF64, kF32, kF16, kBF16, kI64, kI32, kI16, kI8, kU8, kBool };

// "F32", "BF16", ... as the format spells them; DTypeSize in bytes.
absl::string_view DTypeName(DType dtype);
int DTypeSize(DType dtype);

// One tensor of a parsed file. `bytes` points into the buffer given to ParseSafetensors and
// holds exactly product(shape) * DTypeSize(dtype) bytes, little-endian, row-major.
struct TensorView {
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  absl::string_view bytes;

  // product(shape); 1 for a scalar (empty shape). -1 when a dimension is negative or the
  // product overflows int64 (only possible for a hand-made view, never for a parsed one).
  int64_t NumElements() const;
};

struct SafetensorsFile {
  std::map<std::string, TensorView> tensors;
  std::map<std::string, std::string> metadata;  // "__metadata__", string values only
};

// Parses `file` (the whole file's bytes; the views point into it, so it must outlive the
// result). `what` names the file in messages. INVALID_ARGUMENT, naming the problem and the
// tensor, for: a file shorter than 8 bytes, a header length larger than the file (or than
// 100 MiB), a header that is not a JSON object, a tensor entry that is not an object or lacks
// dtype/shape/data_offsets, an unknown dtype, a negative or overflowing shape, offsets that are
// out of range, reversed, of the wrong size for the shape and dtype, or overlapping another
// tensor, data bytes not covered by any tensor, or a non-string metadata value. Also rejected,
// to bound the JSON tree before it is built: nesting deeper than 16 levels or an array of
// more than 1024 elements (a valid header nests 3 deep and holds only short arrays). Unknown
// fields inside a tensor entry are ignored, as the reference reader does.
absl::StatusOr<SafetensorsFile> ParseSafetensors(absl::string_view file, absl::string_view what);

// Converts a float tensor to float32 values. INVALID_ARGUMENT naming `name` for an integer or
// bool dtype.
absl::StatusOr<std::vector<float>> ToFloat32(absl::string_view name, const TensorView& tensor);

// One tensor to write: raw little-endian bytes of `dtype`, product(shape) elements.
struct TensorToWrite {
  std::string name;
  DType dtype = DType::kF32;
  std::vector<int64_t> shape;
  std::string bytes;
};

// Serialises tensors (in the order given; names must be distinct, valid UTF-8 and not
// "__metadata__") and string metadata into the safetensors format: the header is padded with
// spaces so that the data starts 8-byte aligned, as the reference writer does. CHECK-fails on
// a duplicate or reserved name, or when a tensor's byte count does not match its shape
// (programming errors).
std::string EncodeSafetensors(const std::vector<TensorToWrite>& tensors,
                              const std::map<std::string, std::string>& metadata);

}  // namespace xmodal::model::weights

#endif  // XMODAL_CORE_MODEL_WEIGHTS_SAFETENSORS_H_
