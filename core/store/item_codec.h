// JSON values of stored items and failures. Internal. Never throws (nlohmann's exceptions are
// caught or avoided here).
//
// Item: {"v":1, "modality":"image", "source_uri":..., "group_id":..., "text":...,
//        "metadata":{...}, "size_bytes":..., "content_sha256":..., "duration_seconds":...,
//        "vector_ids":[...]}; the id is the key. JSON strings must be UTF-8: a source URI or
// group id that is not (a Linux file name may be any bytes) is stored base64-encoded under
// "source_uri_b64" / "group_id_b64" instead, so it round-trips exactly.
// Failure: {"v":1, "reason":..., "unix_seconds":...}; the source URI is the key.
#ifndef XMODAL_CORE_STORE_ITEM_CODEC_H_
#define XMODAL_CORE_STORE_ITEM_CODEC_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/store/records.h"

namespace xmodal::store::internal {

// OK when EncodeItem can store `item`; INVALID_ARGUMENT naming the item and field when its
// id is empty or longer than 65535 bytes, or its text, sha256 or metadata is not UTF-8.
absl::Status ValidateItem(const ItemRecord& item);

// Precondition: ValidateItem(item) is OK.
std::string EncodeItem(const ItemRecord& item);
// DATA_LOSS naming the key when the value is damaged.
absl::StatusOr<ItemRecord> DecodeItem(absl::string_view key, absl::string_view value);

// Non-UTF-8 bytes in the reason (error text) are replaced with U+FFFD.
std::string EncodeFailure(const FailureRecord& failure);
absl::StatusOr<FailureRecord> DecodeFailure(absl::string_view key, absl::string_view value);

}  // namespace xmodal::store::internal

#endif  // XMODAL_CORE_STORE_ITEM_CODEC_H_
