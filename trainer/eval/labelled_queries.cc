#include "trainer/eval/labelled_queries.h"

#include <cmath>
#include <filesystem>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/base/file_util.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"

namespace xmodal::eval {
namespace {

absl::Status Bad(absl::string_view reason) { return absl::InvalidArgumentError(reason); }

constexpr absl::string_view kInputKeys[] = {"text", "image", "audio"};
constexpr absl::string_view kKnownKeys[] = {"text", "image", "audio", "relevant", "target", "id"};

// The value of `key` as a non-empty string; nullopt when absent.
absl::StatusOr<std::optional<std::string>> NonEmptyString(const Json& obj, absl::string_view key) {
  auto it = obj.find(std::string(key));
  if (it == obj.end()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Bad(absl::StrCat("\"", key, "\" must be a string, not ", it->type_name()));
  }
  std::string value = it->get<std::string>();
  if (value.empty()) return Bad(absl::StrCat("\"", key, "\" is empty"));
  return std::optional<std::string>(std::move(value));
}

absl::Status AddRef(std::string ref, double grade, std::set<std::string>& seen, LabelledQuery& q) {
  if (ref.empty()) return Bad("\"relevant\" has an empty entry");
  if (!seen.insert(ref).second) return Bad(absl::StrCat("\"relevant\" lists '", ref, "' twice"));
  q.relevant.push_back({std::move(ref), grade});
  return absl::OkStatus();
}

absl::Status ParseRelevant(const Json& obj, LabelledQuery& q) {
  auto it = obj.find("relevant");
  if (it == obj.end()) return Bad("the query has no \"relevant\" items");
  std::set<std::string> seen;
  if (it->is_array()) {
    for (const Json& entry : *it) {
      if (!entry.is_string()) {
        return Bad(
            absl::StrCat("\"relevant\" entries must be strings (item ids or source URIs), "
                         "not ",
                         entry.type_name()));
      }
      XM_RETURN_IF_ERROR(AddRef(entry.get<std::string>(), 1.0, seen, q));
    }
  } else if (it->is_object()) {
    q.graded = true;
    for (const auto& [ref, grade] : it->items()) {
      if (!grade.is_number() || !std::isfinite(grade.get<double>()) || !(grade.get<double>() > 0)) {
        return Bad(absl::StrCat("the grade of '", ref, "' must be a number > 0"));
      }
      XM_RETURN_IF_ERROR(AddRef(ref, grade.get<double>(), seen, q));
    }
  } else {
    return Bad("\"relevant\" must be an array of item ids or source URIs, or an object of grades");
  }
  if (q.relevant.empty()) return Bad("the query has no \"relevant\" items");
  return absl::OkStatus();
}

std::string ResolvePath(const std::string& path, absl::string_view base_dir) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(std::string(base_dir)) / p;
  return p.lexically_normal().string();
}

}  // namespace

absl::StatusOr<LabelledQuery> ParseLabelledQuery(absl::string_view line, int64_t line_number,
                                                 absl::string_view base_dir) {
  absl::StatusOr<Json> parsed = ParseJson(line, "the line");
  if (!parsed.ok()) return Bad("not valid JSON");
  const Json& obj = *parsed;
  if (!obj.is_object()) return Bad(absl::StrCat("expected a JSON object, got ", obj.type_name()));
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (absl::string_view k : kKnownKeys) known = known || key == k;
    if (!known) return Bad(absl::StrCat("unknown key \"", key, "\""));
  }
  LabelledQuery q;
  q.line = line_number;
  int inputs = 0;
  for (int i = 0; i < 3; ++i) {
    XM_ASSIGN_OR_RETURN(std::optional<std::string> value, NonEmptyString(obj, kInputKeys[i]));
    if (!value.has_value()) continue;
    if (++inputs > 1) return Bad("give only one of \"text\", \"image\" or \"audio\"");
    XM_ASSIGN_OR_RETURN(q.kind, ParseModality(kInputKeys[i]));
    if (q.kind == Modality::kText) {
      q.text = *std::move(value);
    } else {
      q.path = ResolvePath(*value, base_dir);
    }
  }
  if (inputs == 0) return Bad("the query has none of \"text\", \"image\" or \"audio\"");
  XM_ASSIGN_OR_RETURN(std::optional<std::string> target, NonEmptyString(obj, "target"));
  if (target.has_value()) {
    absl::StatusOr<Modality> m = ParseModality(*target);
    if (!m.ok()) {
      return Bad(
          absl::StrCat("\"target\" must be \"text\", \"image\" or \"audio\", not '", *target, "'"));
    }
    q.target = *m;
  }
  XM_ASSIGN_OR_RETURN(std::optional<std::string> id, NonEmptyString(obj, "id"));
  q.id = id.has_value() ? *std::move(id) : absl::StrCat("L", line_number);
  XM_RETURN_IF_ERROR(ParseRelevant(obj, q));
  return q;
}

absl::StatusOr<std::vector<LabelledQuery>> ParseLabelledQueries(absl::string_view contents,
                                                                absl::string_view file_name,
                                                                absl::string_view base_dir,
                                                                const QueriesFileLimits& limits) {
  if (absl::StartsWith(contents, "\xEF\xBB\xBF")) contents.remove_prefix(3);
  std::vector<LabelledQuery> queries;
  int64_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    auto error = [&](absl::string_view problem) {
      return absl::InvalidArgumentError(absl::StrCat(file_name, ":", line_number, ": ", problem));
    };
    if (line_number > limits.max_lines) {
      // A final line break does not start another line.
      if (line.empty() && line.data() + line.size() == contents.data() + contents.size()) break;
      return error(absl::StrCat("more than ", limits.max_lines, " lines"));
    }
    if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
    if (static_cast<int64_t>(line.size()) > limits.max_line_bytes) {
      return error(absl::StrCat("the line is longer than ", limits.max_line_bytes, " bytes"));
    }
    const absl::string_view stripped = absl::StripLeadingAsciiWhitespace(line);
    if (stripped.empty() || stripped.front() == '#') continue;
    absl::StatusOr<LabelledQuery> q = ParseLabelledQuery(line, line_number, base_dir);
    if (!q.ok()) return error(q.status().message());
    queries.push_back(*std::move(q));
  }
  if (queries.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(file_name, ": no queries in the file"));
  }
  return queries;
}

std::string QueriesFileDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  return absolute.lexically_normal().parent_path().string();
}

absl::StatusOr<std::vector<LabelledQuery>> ReadLabelledQueries(const std::string& path,
                                                               const QueriesFileLimits& limits) {
  absl::StatusOr<std::string> contents = ReadFile(path, limits.max_file_bytes);
  if (!contents.ok()) {
    return absl::Status(contents.status().code(),
                        absl::StrCat("queries file '", path, "': ", contents.status().message()));
  }
  return ParseLabelledQueries(*contents, path, QueriesFileDir(path), limits);
}

}  // namespace xmodal::eval
