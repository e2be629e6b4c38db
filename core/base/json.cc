#include "core/base/json.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace xmodal {

absl::StatusOr<Json> ParseJson(absl::string_view text, absl::string_view what) {
  Json parsed = Json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                            /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not valid JSON"));
  }
  return parsed;
}

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

const Json* JsonFields::Find(absl::string_view key) const {
  if (!obj_->is_object()) return nullptr;
  auto it = obj_->find(std::string(key));
  return it == obj_->end() ? nullptr : &*it;
}

std::string JsonFields::FieldName(absl::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  return absl::StrCat(path_, ".", key);
}

absl::Status JsonFields::Invalid(absl::string_view key, absl::string_view problem) const {
  return absl::InvalidArgumentError(
      absl::StrCat(what_, ": field '", FieldName(key), "' ", problem));
}

absl::Status JsonFields::Missing(absl::string_view key) const {
  return absl::InvalidArgumentError(absl::StrCat(what_, ": missing field '", FieldName(key), "'"));
}

absl::Status JsonFields::CheckKeys(std::initializer_list<absl::string_view> allowed) const {
  if (!obj_->is_object()) return absl::OkStatus();
  for (auto it = obj_->begin(); it != obj_->end(); ++it) {
    bool known = false;
    for (absl::string_view a : allowed) known = known || a == absl::string_view(it.key());
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat(what_, ": unknown field '", FieldName(it.key()), "'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> JsonFields::String(absl::string_view key) const {
  if (!Has(key)) return Missing(key);
  return String(key, "");
}

absl::StatusOr<std::string> JsonFields::String(absl::string_view key, std::string fallback) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) return Invalid(key, "must be a string");
  return v->get<std::string>();
}

absl::StatusOr<std::string> JsonFields::NonEmptyString(absl::string_view key) const {
  absl::StatusOr<std::string> s = String(key);
  if (s.ok() && s->empty()) return Invalid(key, "must not be empty");
  return s;
}

absl::StatusOr<int64_t> JsonFields::Int64(absl::string_view key) const {
  if (!Has(key)) return Missing(key);
  return Int64(key, 0);
}

absl::StatusOr<int64_t> JsonFields::Int64(absl::string_view key, int64_t fallback) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number_integer() ||
      (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))) {
    return Invalid(key, "must be an integer");
  }
  return v->get<int64_t>();
}

absl::StatusOr<int> JsonFields::Int(absl::string_view key, int fallback, int lo, int hi) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  const std::string range = absl::StrCat("must be an integer from ", lo, " to ", hi);
  if (!v->is_number_integer()) return Invalid(key, range);
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(hi)) {
    return Invalid(key, absl::StrCat(range, ", got ", v->get<uint64_t>()));
  }
  const int64_t n = v->get<int64_t>();
  if (n < lo || n > hi) return Invalid(key, absl::StrCat(range, ", got ", n));
  return static_cast<int>(n);
}

absl::StatusOr<int> JsonFields::RequiredInt(absl::string_view key, int lo, int hi) const {
  if (!Has(key)) return Missing(key);
  return Int(key, 0, lo, hi);
}

absl::StatusOr<bool> JsonFields::Bool(absl::string_view key, bool fallback) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) return Invalid(key, "must be true or false");
  return v->get<bool>();
}

absl::StatusOr<double> JsonFields::Number(absl::string_view key) const {
  if (!Has(key)) return Missing(key);
  return Number(key, 0.0);
}

absl::StatusOr<double> JsonFields::Number(absl::string_view key, double fallback) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number()) return Invalid(key, "must be a number");
  const double d = v->get<double>();
  if (!std::isfinite(d)) return Invalid(key, "must be a finite number");
  return d;
}

absl::StatusOr<std::optional<JsonFields>> JsonFields::Object(absl::string_view key,
                                                             bool required) const {
  const Json* v = Find(key);
  if (v == nullptr) {
    if (required) return Missing(key);
    return std::optional<JsonFields>();
  }
  if (!v->is_object()) return Invalid(key, "must be an object");
  return std::optional<JsonFields>(JsonFields(*v, what_, FieldName(key)));
}

const Json* JsonAt(const Json& root, absl::string_view path) {
  const Json* at = &root;
  for (absl::string_view step : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (at->is_object()) {
      auto it = at->find(std::string(step));
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      size_t index = 0;
      if (!absl::SimpleAtoi(step, &index) || index >= at->size()) return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
  }
  return at;
}

std::optional<double> NumberAt(const Json& root, absl::string_view path) {
  const Json* v = JsonAt(root, path);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

std::optional<std::string> StringAt(const Json& root, absl::string_view path) {
  const Json* v = JsonAt(root, path);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

}  // namespace xmodal
