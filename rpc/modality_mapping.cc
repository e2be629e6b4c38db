#include "rpc/modality_mapping.h"

#include "absl/strings/str_cat.h"

namespace xmodal::rpc {
namespace {

constexpr absl::string_view kValidNames = "use MODALITY_TEXT, MODALITY_IMAGE or MODALITY_AUDIO";

}  // namespace

xmodal::v1::Modality ToProtoModality(Modality modality) {
  switch (modality) {
    case Modality::kText:
      return xmodal::v1::MODALITY_TEXT;
    case Modality::kImage:
      return xmodal::v1::MODALITY_IMAGE;
    case Modality::kAudio:
      return xmodal::v1::MODALITY_AUDIO;
  }
  return xmodal::v1::MODALITY_UNSPECIFIED;
}

absl::StatusOr<Modality> FromProtoModality(int value, absl::string_view field) {
  switch (value) {
    case xmodal::v1::MODALITY_TEXT:
      return Modality::kText;
    case xmodal::v1::MODALITY_IMAGE:
      return Modality::kImage;
    case xmodal::v1::MODALITY_AUDIO:
      return Modality::kAudio;
    case xmodal::v1::MODALITY_UNSPECIFIED:
      return absl::InvalidArgumentError(
          absl::StrCat(field, " is MODALITY_UNSPECIFIED; ", kValidNames));
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(field, " has unknown modality ", value, "; ", kValidNames));
  }
}

std::string ProtoModalityName(int value) {
  if (value == xmodal::v1::MODALITY_UNSPECIFIED) return "unspecified";
  const absl::StatusOr<Modality> modality = FromProtoModality(value, "modality");
  if (!modality.ok()) return absl::StrCat("unknown(", value, ")");
  return std::string(ModalityName(*modality));
}

}  // namespace xmodal::rpc
