// The binary value of a stored vector. Internal.
//
// Version 1, all numbers little-endian:
//   uint8    version (1)
//   uint16   item id length L, then L bytes of item id
//   float64  start seconds, float64 end seconds
//   uint32   value count N, then N float32 values
// The id and modality live in the key (keys.h), not in the value.
#ifndef XMODAL_CORE_STORE_VECTOR_CODEC_H_
#define XMODAL_CORE_STORE_VECTOR_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/store/records.h"

namespace xmodal::store::internal {

// Preconditions (checked by Commit): item_id.size() <= 65535, values.size() < 2^32.
std::string EncodeVector(const VectorRecord& vector);

// The record stored under `key` (a vector key); DATA_LOSS naming the key when either is damaged.
absl::StatusOr<VectorRecord> DecodeVector(absl::string_view key, absl::string_view value);

}  // namespace xmodal::store::internal

#endif  // XMODAL_CORE_STORE_VECTOR_CODEC_H_
