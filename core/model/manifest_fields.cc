#include "core/model/manifest_fields.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace xmodal::model::internal {

absl::StatusOr<double> Seconds(const JsonFields& r, absl::string_view key, double fallback,
                               double rate) {
  absl::StatusOr<double> s = r.Number(key, fallback);
  if (!s.ok()) return s;
  if (*s <= 0) return r.Invalid(key, absl::StrCat("must be a positive duration, got ", *s));
  if (std::lround(*s * rate) < 1) {
    return r.Invalid(key, absl::StrCat("is shorter than one sample at ", rate, " Hz"));
  }
  return s;
}

absl::StatusOr<std::array<float, 3>> Triple(const JsonFields& r, absl::string_view key,
                                            std::array<float, 3> fallback, bool positive) {
  const Json* v = r.Find(key);
  if (v == nullptr) return fallback;
  const char* what =
      positive ? "must be an array of 3 positive numbers" : "must be an array of 3 numbers";
  if (!v->is_array() || v->size() != 3) return r.Invalid(key, what);
  std::array<float, 3> out;
  for (size_t i = 0; i < 3; ++i) {
    const Json& e = (*v)[i];
    if (!e.is_number()) return r.Invalid(key, what);
    const double d = e.get<double>();
    if (!std::isfinite(d) || (positive && d <= 0)) return r.Invalid(key, what);
    out[i] = static_cast<float>(d);
  }
  return out;
}

absl::StatusOr<std::string> PackageFile(const JsonFields& r, absl::string_view key) {
  absl::StatusOr<std::string> f = r.NonEmptyString(key);
  if (!f.ok()) return f;
  if (f->front() == '/' || f->find('\0') != std::string::npos ||
      f->find('\\') != std::string::npos) {
    return r.Invalid(key,
                     absl::StrCat("must be a relative path inside the package, got \"", *f, "\""));
  }
  for (absl::string_view part : absl::StrSplit(*f, '/')) {
    if (part == ".." || part.empty() || part == ".") {
      return r.Invalid(
          key, absl::StrCat("must be a plain relative path inside the package, got \"", *f, "\""));
    }
  }
  return f;
}

absl::StatusOr<std::string> MethodName(const JsonFields& r, absl::string_view key,
                                       std::string fallback) {
  absl::StatusOr<std::string> m = r.String(key, std::move(fallback));
  if (!m.ok()) return m;
  bool ok = !m->empty() && !absl::ascii_isdigit(static_cast<unsigned char>(m->front()));
  for (char c : *m) ok = ok && (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok) return r.Invalid(key, absl::StrCat("must be a method name, got \"", *m, "\""));
  return m;
}

}  // namespace xmodal::model::internal
