// Key layout of the store's column families, and the meta counters' value encoding. Internal.
//
//   items     item id                                   -> item JSON (item_codec.h)
//   vectors   [1 byte modality][8-byte big-endian id]   -> vector value (vector_codec.h)
//   failures  source URI                                -> failure JSON (item_codec.h)
//   meta      user keys (PutMeta), and reserved keys that start with a NUL byte:
//             next vector id, vector width, per-modality item and vector counts
//
// Big-endian ids make a modality's vectors one contiguous, id-ordered key range.
#ifndef XMODAL_CORE_STORE_KEYS_H_
#define XMODAL_CORE_STORE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"

namespace xmodal::store::internal {

inline constexpr char kMetaFamily[] = "meta";
inline constexpr char kItemsFamily[] = "items";
inline constexpr char kVectorsFamily[] = "vectors";
inline constexpr char kFailuresFamily[] = "failures";

std::string VectorKey(Modality modality, int64_t id);
// The one-byte prefix of every vector key of `modality`, and the first key past them.
std::string VectorPrefix(Modality modality);
std::string VectorPrefixEnd(Modality modality);

struct VectorKeyParts {
  Modality modality;
  int64_t id;
};
// nullopt when `key` is not a well-formed vector key.
std::optional<VectorKeyParts> ParseVectorKey(absl::string_view key);
// "image/42" for messages.
std::string DescribeVectorKey(absl::string_view key);

// Reserved meta keys (a leading NUL keeps them apart from every PutMeta key).
bool IsReservedMetaKey(absl::string_view key);
std::string NextVectorIdKey();
std::string VectorWidthKey();
std::string ItemCountKey(Modality modality);
std::string VectorCountKey(Modality modality);

// Counters are 8-byte big-endian two's complement values.
std::string EncodeCounter(int64_t value);
// DATA_LOSS naming `key` when `value` is not 8 bytes.
absl::StatusOr<int64_t> DecodeCounter(absl::string_view key, absl::string_view value);

}  // namespace xmodal::store::internal

#endif  // XMODAL_CORE_STORE_KEYS_H_
