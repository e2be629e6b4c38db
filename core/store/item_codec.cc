#include "core/store/item_codec.h"

#include <exception>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"
#include "core/base/utf8.h"

namespace xmodal::store::internal {
namespace {

constexpr int kVersion = 1;
constexpr size_t kMaxItemIdBytes = 65535;  // the vector value stores its length in 16 bits

// Serialises without throwing: strict UTF-8 handling cannot fail on validated input, and a
// replaced character is better than an exception escaping the store.
std::string Dump(const Json& json, bool replace_invalid_utf8) {
  try {
    return json.dump(
        -1, ' ', false,
        replace_invalid_utf8 ? Json::error_handler_t::replace : Json::error_handler_t::strict);
  } catch (const std::exception&) {
    return json.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

// Stores `value` under `field`, or base64-encoded under `field`_b64 when it is not UTF-8.
void PutBytes(Json& json, const std::string& field, const std::string& value) {
  if (IsValidUtf8(value)) {
    json[field] = value;
  } else {
    json[field + "_b64"] = absl::Base64Escape(value);
  }
}

absl::StatusOr<std::string> GetBytes(const JsonFields& fields, const std::string& field,
                                     absl::string_view what) {
  const std::string b64_field = field + "_b64";
  if (fields.Has(b64_field)) {
    XM_ASSIGN_OR_RETURN(const std::string encoded, fields.String(b64_field));
    std::string decoded;
    if (!absl::Base64Unescape(encoded, &decoded)) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": bad base64 in '", b64_field, "'"));
    }
    return decoded;
  }
  return fields.String(field, "");
}

absl::Status NotUtf8(const ItemRecord& item, absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat("item '", absl::CHexEscape(item.id), "': field '",
                                                 field, "' is not valid UTF-8"));
}

absl::StatusOr<ItemRecord> ParseItem(absl::string_view key, const Json& json,
                                     absl::string_view what) {
  ItemRecord item;
  item.id = std::string(key);
  const JsonFields fields(json, std::string(what));
  XM_ASSIGN_OR_RETURN(const int64_t version, fields.Int64("v"));
  if (version != kVersion) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": unknown version ", version));
  }
  XM_ASSIGN_OR_RETURN(const std::string modality, fields.String("modality"));
  const absl::StatusOr<Modality> parsed = ParseModality(modality);
  if (!parsed.ok())
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", parsed.status().message()));
  item.modality = *parsed;
  XM_ASSIGN_OR_RETURN(item.source_uri, GetBytes(fields, "source_uri", what));
  XM_ASSIGN_OR_RETURN(item.group_id, GetBytes(fields, "group_id", what));
  XM_ASSIGN_OR_RETURN(item.text, fields.String("text", ""));
  XM_ASSIGN_OR_RETURN(item.size_bytes, fields.Int64("size_bytes", 0));
  XM_ASSIGN_OR_RETURN(item.content_sha256, fields.String("content_sha256", ""));
  XM_ASSIGN_OR_RETURN(item.duration_seconds, fields.Number("duration_seconds", 0.0));
  if (json.contains("metadata")) {
    const Json& metadata = json["metadata"];
    if (!metadata.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": 'metadata' is not an object"));
    }
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
      if (!it.value().is_string()) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, ": metadata '", it.key(), "' is not a string"));
      }
      item.metadata[it.key()] = it.value().get_ref<const std::string&>();
    }
  }
  if (json.contains("vector_ids")) {
    const Json& ids = json["vector_ids"];
    if (!ids.is_array()) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": 'vector_ids' is not an array"));
    }
    for (const Json& id : ids) {
      if (!id.is_number_integer()) {
        return absl::InvalidArgumentError(absl::StrCat(what, ": a vector id is not an integer"));
      }
      item.vector_ids.push_back(id.get<int64_t>());
    }
  }
  return item;
}

}  // namespace

absl::Status ValidateItem(const ItemRecord& item) {
  if (item.id.empty()) return absl::InvalidArgumentError("an item has an empty id");
  if (item.id.size() > kMaxItemIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("item id of ", item.id.size(), " bytes; the limit is ", kMaxItemIdBytes));
  }
  if (!IsValidUtf8(item.text)) return NotUtf8(item, "text");
  if (!IsValidUtf8(item.content_sha256)) return NotUtf8(item, "content_sha256");
  for (const auto& [key, value] : item.metadata) {
    if (!IsValidUtf8(key) || !IsValidUtf8(value)) return NotUtf8(item, "metadata");
  }
  return absl::OkStatus();
}

std::string EncodeItem(const ItemRecord& item) {
  Json json = Json::object();
  json["v"] = kVersion;
  json["modality"] = std::string(ModalityName(item.modality));
  PutBytes(json, "source_uri", item.source_uri);
  if (!item.group_id.empty()) PutBytes(json, "group_id", item.group_id);
  if (!item.text.empty()) json["text"] = item.text;
  if (!item.metadata.empty()) {
    Json metadata = Json::object();
    for (const auto& [key, value] : item.metadata) metadata[key] = value;
    json["metadata"] = std::move(metadata);
  }
  json["size_bytes"] = item.size_bytes;
  json["content_sha256"] = item.content_sha256;
  if (item.duration_seconds != 0.0) json["duration_seconds"] = item.duration_seconds;
  json["vector_ids"] = item.vector_ids;
  return Dump(json, /*replace_invalid_utf8=*/false);
}

absl::StatusOr<ItemRecord> DecodeItem(absl::string_view key, absl::string_view value) {
  const std::string what = absl::StrCat("damaged item record '", absl::CHexEscape(key), "'");
  absl::StatusOr<ItemRecord> item = [&]() -> absl::StatusOr<ItemRecord> {
    XM_ASSIGN_OR_RETURN(const Json json, ParseJson(value, what));
    if (!json.is_object()) return absl::InvalidArgumentError(absl::StrCat(what, ": not an object"));
    return ParseItem(key, json, what);
  }();
  if (!item.ok()) return absl::DataLossError(item.status().message());
  return item;
}

std::string EncodeFailure(const FailureRecord& failure) {
  Json json = Json::object();
  json["v"] = kVersion;
  json["reason"] = failure.reason;
  json["unix_seconds"] = failure.unix_seconds;
  return Dump(json, /*replace_invalid_utf8=*/true);
}

absl::StatusOr<FailureRecord> DecodeFailure(absl::string_view key, absl::string_view value) {
  const std::string what = absl::StrCat("damaged failure record '", absl::CHexEscape(key), "'");
  absl::StatusOr<FailureRecord> failure = [&]() -> absl::StatusOr<FailureRecord> {
    XM_ASSIGN_OR_RETURN(const Json json, ParseJson(value, what));
    FailureRecord out;
    out.source_uri = std::string(key);
    const JsonFields fields(json, what);
    XM_ASSIGN_OR_RETURN(out.reason, fields.String("reason"));
    XM_ASSIGN_OR_RETURN(out.unix_seconds, fields.Int64("unix_seconds", 0));
    return out;
  }();
  if (!failure.ok()) return absl::DataLossError(failure.status().message());
  return failure;
}

}  // namespace xmodal::store::internal
