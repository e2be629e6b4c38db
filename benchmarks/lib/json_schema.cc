#include "benchmarks/lib/json_schema.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "benchmarks/lib/json_util.h"

namespace xmodal::bench {
namespace {

constexpr size_t kMaxReported = 20;

std::string TypeName(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

bool HasType(const Json& v, const std::string& type) {
  const std::string actual = TypeName(v);
  if (type == actual) return true;
  if (type == "number" && actual == "integer") return true;
  // 3.0 is an integer in JSON Schema.
  if (type == "integer" && actual == "number") {
    const double d = v.get<double>();
    return std::isfinite(d) && d == std::floor(d);
  }
  return false;
}

// Escapes a key for a JSON pointer (RFC 6901).
std::string PointerToken(const std::string& key) {
  std::string out;
  for (const char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

class Validator {
 public:
  explicit Validator(const Json& root) : root_(root) {}

  void Check(const Json& v, const Json& schema, const std::string& at) {
    if (errors_.size() > kMaxReported) return;
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) Fail(at, "no value is allowed here");
      return;
    }
    if (!schema.is_object()) return;
    if (auto ref = schema.find("$ref"); ref != schema.end()) {
      const Json* target = Resolve(*ref);
      if (target == nullptr) {
        Fail(at, absl::StrCat("schema $ref ", DumpJson(*ref), " cannot be resolved"));
        return;
      }
      Check(v, *target, at);
    }
    if (auto type = schema.find("type"); type != schema.end()) {
      std::vector<std::string> allowed;
      if (type->is_string()) allowed.push_back(type->get<std::string>());
      for (const Json& t : type->is_array() ? *type : Json::array()) {
        if (t.is_string()) allowed.push_back(t.get<std::string>());
      }
      bool ok = false;
      for (const std::string& t : allowed) ok = ok || HasType(v, t);
      if (!ok) {
        Fail(at, absl::StrCat("expected ", absl::StrJoin(allowed, " or "), ", got ", TypeName(v)));
        return;
      }
    }
    if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      bool found = false;
      for (const Json& option : *e) found = found || option == v;
      if (!found) Fail(at, absl::StrCat(DumpJson(v), " is not one of ", DumpJson(*e)));
    }
    if (auto c = schema.find("const"); c != schema.end() && *c != v) {
      Fail(at, absl::StrCat("expected ", DumpJson(*c), ", got ", DumpJson(v)));
    }
    if (v.is_number()) CheckNumber(v.get<double>(), schema, at);
    if (v.is_string()) CheckString(v.get<std::string>(), schema, at);
    if (v.is_array()) CheckArray(v, schema, at);
    if (v.is_object()) CheckObject(v, schema, at);
    CheckCombinators(v, schema, at);
  }

  std::vector<std::string> TakeErrors() { return std::move(errors_); }

 private:
  void Fail(const std::string& at, const std::string& problem) {
    if (errors_.size() <= kMaxReported)
      errors_.push_back(absl::StrCat(at.empty() ? "/" : at, ": ", problem));
  }

  const Json* Resolve(const Json& ref) const {
    if (!ref.is_string()) return nullptr;
    absl::string_view path = ref.get_ref<const std::string&>();
    std::string section;
    if (absl::ConsumePrefix(&path, "#/$defs/")) {
      section = "$defs";
    } else if (absl::ConsumePrefix(&path, "#/definitions/")) {
      section = "definitions";
    } else {
      return nullptr;
    }
    auto defs = root_.find(section);
    if (defs == root_.end() || !defs->is_object()) return nullptr;
    auto target = defs->find(std::string(path));
    return target == defs->end() ? nullptr : &*target;
  }

  void CheckNumber(double d, const Json& schema, const std::string& at) {
    if (auto m = schema.find("minimum");
        m != schema.end() && m->is_number() && d < m->get<double>()) {
      Fail(at, absl::StrCat(d, " is below the minimum ", m->get<double>()));
    }
    if (auto m = schema.find("maximum");
        m != schema.end() && m->is_number() && d > m->get<double>()) {
      Fail(at, absl::StrCat(d, " is above the maximum ", m->get<double>()));
    }
  }

  void CheckString(const std::string& s, const Json& schema, const std::string& at) {
    if (auto m = schema.find("minLength");
        m != schema.end() && m->is_number() && static_cast<double>(s.size()) < m->get<double>()) {
      Fail(at, absl::StrCat("string is shorter than ", m->get<double>()));
    }
  }

  void CheckArray(const Json& v, const Json& schema, const std::string& at) {
    if (auto m = schema.find("minItems");
        m != schema.end() && m->is_number() && static_cast<double>(v.size()) < m->get<double>()) {
      Fail(at, absl::StrCat("array has ", v.size(), " items; at least ", m->get<double>(),
                            " are required"));
    }
    if (auto items = schema.find("items"); items != schema.end()) {
      for (size_t i = 0; i < v.size(); ++i) Check(v[i], *items, absl::StrCat(at, "/", i));
    }
  }

  void CheckObject(const Json& v, const Json& schema, const std::string& at) {
    if (auto req = schema.find("required"); req != schema.end() && req->is_array()) {
      for (const Json& key : *req) {
        if (key.is_string() && !v.contains(key.get<std::string>())) {
          Fail(at, absl::StrCat("missing required field \"", key.get<std::string>(), "\""));
        }
      }
    }
    const auto props = schema.find("properties");
    const auto extra = schema.find("additionalProperties");
    for (const auto& [key, value] : v.items()) {
      const std::string child = absl::StrCat(at, "/", PointerToken(key));
      if (props != schema.end() && props->is_object() && props->contains(key)) {
        Check(value, (*props)[key], child);
      } else if (extra != schema.end()) {
        if (extra->is_boolean() && !extra->get<bool>()) {
          Fail(child, "unknown field");
        } else {
          Check(value, *extra, child);
        }
      }
    }
  }

  void CheckCombinators(const Json& v, const Json& schema, const std::string& at) {
    for (const char* key : {"oneOf", "anyOf"}) {
      auto options = schema.find(key);
      if (options == schema.end() || !options->is_array()) continue;
      int matched = 0;
      for (const Json& option : *options) {
        Validator sub(root_);
        sub.Check(v, option, at);
        if (sub.errors_.empty()) ++matched;
      }
      const bool one = std::string(key) == "oneOf";
      if (one ? matched != 1 : matched == 0) {
        Fail(at, absl::StrCat("matches ", matched, " of the ", options->size(), " ", key,
                              " alternatives"));
      }
    }
  }

  const Json& root_;
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<std::string> JsonSchemaViolations(const Json& document, const Json& schema) {
  Validator validator(schema);
  validator.Check(document, schema, "");
  return validator.TakeErrors();
}

absl::Status ValidateJson(const Json& document, const Json& schema) {
  std::vector<std::string> errors = JsonSchemaViolations(document, schema);
  if (errors.empty()) return absl::OkStatus();
  if (errors.size() > kMaxReported) {
    errors.resize(kMaxReported);
    errors.push_back("...");
  }
  return absl::InvalidArgumentError(
      absl::StrCat("results do not match the schema: ", absl::StrJoin(errors, "; ")));
}

}  // namespace xmodal::bench
