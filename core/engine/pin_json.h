// The model pin's JSON form, as kept in the store's meta and in MANIFEST.json. Engine-internal.
#ifndef XMODAL_CORE_ENGINE_PIN_JSON_H_
#define XMODAL_CORE_ENGINE_PIN_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/json.h"
#include "core/model/model.h"

namespace xmodal::engine {

Json PinToJson(const model::ModelPin& pin);
// INVALID_ARGUMENT naming `what` and the field when a field is missing or mistyped.
absl::StatusOr<model::ModelPin> PinFromJson(const Json& j, absl::string_view what);

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_PIN_JSON_H_
