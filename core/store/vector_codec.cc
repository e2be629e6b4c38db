#include "core/store/vector_codec.h"

#include <bit>
#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "core/store/keys.h"

namespace xmodal::store::internal {
namespace {

// The fixed-width fields are copied in host order, which must therefore be little-endian.
static_assert(std::endian::native == std::endian::little, "vector values are stored little-endian");

constexpr uint8_t kVersion = 1;

template <typename T>
void Append(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

// Reads fixed-width values from the front of `in`; false when too short.
template <typename T>
bool Take(absl::string_view& in, T& value) {
  if (in.size() < sizeof(T)) return false;
  std::memcpy(&value, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return true;
}

}  // namespace

std::string EncodeVector(const VectorRecord& vector) {
  std::string out;
  out.reserve(1 + 2 + vector.item_id.size() + 8 + 8 + 4 + 4 * vector.values.size());
  Append<uint8_t>(out, kVersion);
  Append<uint16_t>(out, static_cast<uint16_t>(vector.item_id.size()));
  out += vector.item_id;
  Append<double>(out, vector.start_seconds);
  Append<double>(out, vector.end_seconds);
  Append<uint32_t>(out, static_cast<uint32_t>(vector.values.size()));
  const size_t at = out.size();
  out.resize(at + sizeof(float) * vector.values.size());
  std::memcpy(out.data() + at, vector.values.data(), sizeof(float) * vector.values.size());
  return out;
}

absl::StatusOr<VectorRecord> DecodeVector(absl::string_view key, absl::string_view value) {
  const auto damaged = [&](absl::string_view why) {
    return absl::DataLossError(
        absl::StrCat("damaged vector record (key ", DescribeVectorKey(key), "): ", why));
  };
  const std::optional<VectorKeyParts> parts = ParseVectorKey(key);
  if (!parts) return damaged("bad key");
  VectorRecord vector;
  vector.id = parts->id;
  vector.modality = parts->modality;
  absl::string_view in = value;
  uint8_t version = 0;
  if (!Take(in, version)) return damaged("empty value");
  if (version != kVersion) return damaged(absl::StrCat("unknown version ", version));
  uint16_t id_size = 0;
  if (!Take(in, id_size) || in.size() < id_size) return damaged("truncated item id");
  vector.item_id = std::string(in.substr(0, id_size));
  in.remove_prefix(id_size);
  uint32_t count = 0;
  if (!Take(in, vector.start_seconds) || !Take(in, vector.end_seconds) || !Take(in, count)) {
    return damaged("truncated header");
  }
  if (in.size() != sizeof(float) * static_cast<size_t>(count)) {
    return damaged(absl::StrCat(count, " values announced, ", in.size(), " bytes follow"));
  }
  vector.values.resize(count);
  std::memcpy(vector.values.data(), in.data(), in.size());
  return vector;
}

}  // namespace xmodal::store::internal
