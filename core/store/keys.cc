#include "core/store/keys.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace xmodal::store::internal {
namespace {

constexpr char kReserved = '\0';

void AppendBigEndian(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

uint64_t ReadBigEndian(absl::string_view bytes) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

std::string Reserved(absl::string_view name) {
  return absl::StrCat(std::string(1, kReserved), name);
}

}  // namespace

std::string VectorKey(Modality modality, int64_t id) {
  std::string key = VectorPrefix(modality);
  AppendBigEndian(key, static_cast<uint64_t>(id));
  return key;
}

std::string VectorPrefix(Modality modality) {
  return std::string(1, static_cast<char>(static_cast<uint8_t>(modality)));
}

std::string VectorPrefixEnd(Modality modality) {
  return std::string(1, static_cast<char>(static_cast<uint8_t>(modality) + 1));
}

std::optional<VectorKeyParts> ParseVectorKey(absl::string_view key) {
  if (key.size() != 9) return std::nullopt;
  const uint8_t tag = static_cast<uint8_t>(key[0]);
  if (tag > static_cast<uint8_t>(Modality::kAudio)) return std::nullopt;
  const int64_t id = static_cast<int64_t>(ReadBigEndian(key.substr(1)));
  if (id < 0) return std::nullopt;
  return VectorKeyParts{static_cast<Modality>(tag), id};
}

std::string DescribeVectorKey(absl::string_view key) {
  const std::optional<VectorKeyParts> parts = ParseVectorKey(key);
  if (!parts) return absl::StrCat("malformed key '", absl::CHexEscape(key), "'");
  return absl::StrCat(ModalityName(parts->modality), "/", parts->id);
}

bool IsReservedMetaKey(absl::string_view key) { return !key.empty() && key[0] == kReserved; }
std::string NextVectorIdKey() { return Reserved("next_vector_id"); }
std::string VectorWidthKey() { return Reserved("vector_width"); }
std::string ItemCountKey(Modality modality) {
  return Reserved(absl::StrCat("items/", ModalityName(modality)));
}
std::string VectorCountKey(Modality modality) {
  return Reserved(absl::StrCat("vectors/", ModalityName(modality)));
}

std::string EncodeCounter(int64_t value) {
  std::string out;
  AppendBigEndian(out, static_cast<uint64_t>(value));
  return out;
}

absl::StatusOr<int64_t> DecodeCounter(absl::string_view key, absl::string_view value) {
  if (value.size() != 8) {
    return absl::DataLossError(absl::StrCat("damaged meta value for '", absl::CHexEscape(key),
                                            "': ", value.size(), " bytes, expected 8"));
  }
  return static_cast<int64_t>(ReadBigEndian(value));
}

}  // namespace xmodal::store::internal
