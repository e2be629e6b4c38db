#include "core/model/manifest_fields.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace xmodal::model::internal {

const Json* FieldReader::Find(absl::string_view key) const {
  auto it = obj_.find(std::string(key));
  return it == obj_.end() ? nullptr : &*it;
}

std::string FieldReader::FieldName(absl::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.empty()) return path_;
  return absl::StrCat(path_, ".", key);
}

absl::Status FieldReader::Invalid(absl::string_view key, absl::string_view problem) const {
  return absl::InvalidArgumentError(
      absl::StrCat("model.json: field '", FieldName(key), "' ", problem));
}

absl::Status FieldReader::Missing(absl::string_view key) const {
  return absl::InvalidArgumentError(
      absl::StrCat("model.json: missing field '", FieldName(key), "'"));
}

absl::Status FieldReader::CheckKeys(std::initializer_list<absl::string_view> allowed) const {
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    bool known = false;
    for (absl::string_view a : allowed) known = known || a == absl::string_view(it.key());
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("model.json: unknown field '", FieldName(it.key()), "'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> FieldReader::String(absl::string_view key, std::string fallback) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) return Invalid(key, "must be a string");
  return v->get<std::string>();
}

absl::StatusOr<std::string> FieldReader::NonEmptyString(absl::string_view key) const {
  if (Find(key) == nullptr) return Missing(key);
  absl::StatusOr<std::string> s = String(key, "");
  if (s.ok() && s->empty()) return Invalid(key, "must not be empty");
  return s;
}

absl::StatusOr<int> FieldReader::Int(absl::string_view key, int fallback, int lo, int hi) const {
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

absl::StatusOr<int> FieldReader::RequiredInt(absl::string_view key, int lo, int hi) const {
  if (Find(key) == nullptr) return Missing(key);
  return Int(key, 0, lo, hi);
}

absl::StatusOr<bool> FieldReader::Bool(absl::string_view key, bool fallback) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) return Invalid(key, "must be true or false");
  return v->get<bool>();
}

absl::StatusOr<double> FieldReader::Number(absl::string_view key, double fallback) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  if (!v->is_number()) return Invalid(key, "must be a number");
  const double d = v->get<double>();
  if (!std::isfinite(d)) return Invalid(key, "must be a finite number");
  return d;
}

absl::StatusOr<double> FieldReader::Seconds(absl::string_view key, double fallback,
                                            double rate) const {
  absl::StatusOr<double> s = Number(key, fallback);
  if (!s.ok()) return s;
  if (*s <= 0) return Invalid(key, absl::StrCat("must be a positive duration, got ", *s));
  if (std::lround(*s * rate) < 1) {
    return Invalid(key, absl::StrCat("is shorter than one sample at ", rate, " Hz"));
  }
  return s;
}

absl::StatusOr<std::array<float, 3>> FieldReader::Triple(absl::string_view key,
                                                         std::array<float, 3> fallback,
                                                         bool positive) const {
  const Json* v = Find(key);
  if (v == nullptr) return fallback;
  const char* what =
      positive ? "must be an array of 3 positive numbers" : "must be an array of 3 numbers";
  if (!v->is_array() || v->size() != 3) return Invalid(key, what);
  std::array<float, 3> out;
  for (size_t i = 0; i < 3; ++i) {
    const Json& e = (*v)[i];
    if (!e.is_number()) return Invalid(key, what);
    const double d = e.get<double>();
    if (!std::isfinite(d) || (positive && d <= 0)) return Invalid(key, what);
    out[i] = static_cast<float>(d);
  }
  return out;
}

absl::StatusOr<std::string> FieldReader::File(absl::string_view key) const {
  if (Find(key) == nullptr) return Missing(key);
  absl::StatusOr<std::string> f = String(key, "");
  if (!f.ok()) return f;
  if (f->empty()) return Invalid(key, "must not be empty");
  if (f->front() == '/' || f->find('\0') != std::string::npos ||
      f->find('\\') != std::string::npos) {
    return Invalid(key,
                   absl::StrCat("must be a relative path inside the package, got \"", *f, "\""));
  }
  for (absl::string_view part : absl::StrSplit(*f, '/')) {
    if (part == ".." || part.empty() || part == ".") {
      return Invalid(
          key, absl::StrCat("must be a plain relative path inside the package, got \"", *f, "\""));
    }
  }
  return f;
}

absl::StatusOr<std::string> FieldReader::Method(absl::string_view key, std::string fallback) const {
  absl::StatusOr<std::string> m = String(key, std::move(fallback));
  if (!m.ok()) return m;
  bool ok = !m->empty() && !absl::ascii_isdigit(static_cast<unsigned char>(m->front()));
  for (char c : *m) ok = ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok) return Invalid(key, absl::StrCat("must be a method name, got \"", *m, "\""));
  return m;
}

absl::StatusOr<std::optional<FieldReader>> FieldReader::Object(absl::string_view key,
                                                               bool required) const {
  const Json* v = Find(key);
  if (v == nullptr) {
    if (required) return Missing(key);
    return std::optional<FieldReader>();
  }
  if (!v->is_object()) return Invalid(key, "must be an object");
  return std::optional<FieldReader>(FieldReader(*v, FieldName(key)));
}

}  // namespace xmodal::model::internal
