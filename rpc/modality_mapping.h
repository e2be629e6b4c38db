// Conversions between the core Modality and the xmodal.v1.Modality enum of the API, shared by
// the server and the client. Stateless and thread-safe.
#ifndef XMODAL_RPC_MODALITY_MAPPING_H_
#define XMODAL_RPC_MODALITY_MAPPING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/modality.h"
#include "xmodal/v1/xmodal.pb.h"

namespace xmodal::rpc {

xmodal::v1::Modality ToProtoModality(Modality modality);

// `value` is the raw enum number as received (proto3 enums keep unknown numbers). INVALID_ARGUMENT
// naming `field` for MODALITY_UNSPECIFIED and for numbers the API does not define, e.g.
// "targets[1] has unknown modality 7; use MODALITY_TEXT, MODALITY_IMAGE or MODALITY_AUDIO".
absl::StatusOr<Modality> FromProtoModality(int value, absl::string_view field);

// "text", "image" or "audio" for display; "unspecified" or "unknown(7)" otherwise.
std::string ProtoModalityName(int value);

}  // namespace xmodal::rpc

#endif  // XMODAL_RPC_MODALITY_MAPPING_H_
