#include "core/base/json.h"

#include "absl/strings/str_cat.h"

namespace xmodal {
namespace {

absl::Status Missing(absl::string_view what, absl::string_view key) {
  return absl::InvalidArgumentError(absl::StrCat(what, ": missing field '", key, "'"));
}

absl::Status WrongType(absl::string_view what, absl::string_view key, absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": field '", key, "' must be ", expected));
}

const Json* Find(const Json& obj, absl::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(std::string(key));
  return it == obj.end() ? nullptr : &*it;
}

}  // namespace

absl::StatusOr<Json> ParseJson(absl::string_view text, absl::string_view what) {
  Json parsed = Json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                            /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not valid JSON"));
  }
  return parsed;
}

absl::StatusOr<std::string> JsonString(const Json& obj, absl::string_view key,
                                       absl::string_view what) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return Missing(what, key);
  if (!v->is_string()) return WrongType(what, key, "a string");
  return v->get<std::string>();
}

absl::StatusOr<double> JsonNumber(const Json& obj, absl::string_view key, absl::string_view what) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return Missing(what, key);
  if (!v->is_number()) return WrongType(what, key, "a number");
  return v->get<double>();
}

absl::StatusOr<int64_t> JsonInt(const Json& obj, absl::string_view key, absl::string_view what) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return Missing(what, key);
  if (!v->is_number_integer()) return WrongType(what, key, "an integer");
  return v->get<int64_t>();
}

absl::StatusOr<std::string> JsonStringOr(const Json& obj, absl::string_view key,
                                         absl::string_view what, std::string fallback) {
  if (Find(obj, key) == nullptr) return fallback;
  return JsonString(obj, key, what);
}

absl::StatusOr<double> JsonNumberOr(const Json& obj, absl::string_view key, absl::string_view what,
                                    double fallback) {
  if (Find(obj, key) == nullptr) return fallback;
  return JsonNumber(obj, key, what);
}

absl::StatusOr<int64_t> JsonIntOr(const Json& obj, absl::string_view key, absl::string_view what,
                                  int64_t fallback) {
  if (Find(obj, key) == nullptr) return fallback;
  return JsonInt(obj, key, what);
}

absl::StatusOr<bool> JsonBoolOr(const Json& obj, absl::string_view key, absl::string_view what,
                                bool fallback) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) return WrongType(what, key, "true or false");
  return v->get<bool>();
}

}  // namespace xmodal
