#include "indexer/jsonl_manifest.h"

#include <filesystem>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/base/file_util.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"

namespace xmodal::indexer {
namespace {

absl::Status Bad(absl::string_view reason) { return absl::InvalidArgumentError(reason); }

// The messages are the ones docs/indexer.md lists (they name the key as the line spells it).
absl::StatusOr<std::optional<std::string>> OptionalString(const JsonFields& line, const char* key) {
  const Json* v = line.Find(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return Bad(absl::StrCat("\"", key, "\" must be a string"));
  return std::optional<std::string>(v->get<std::string>());
}

absl::Status ParseMetadata(const JsonFields& line, WorkItem& item) {
  const Json* v = line.Find("metadata");
  if (v == nullptr || v->is_null()) return absl::OkStatus();
  if (!v->is_object()) return Bad("\"metadata\" must be an object of string values");
  for (const auto& [key, value] : v->items()) {
    if (!value.is_string()) {
      return Bad(absl::StrCat("metadata value of \"", key, "\" must be a string, not ",
                              value.type_name()));
    }
    item.metadata[key] = value.get<std::string>();
  }
  return absl::OkStatus();
}

absl::Status ResolvePath(const std::string& path, const std::optional<std::string>& modality,
                         absl::string_view manifest_dir, WorkItem& item) {
  if (path.empty()) return Bad("\"path\" is empty");
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(std::string(manifest_dir)) / p;
  item.path = p.lexically_normal().string();
  item.source_uri = item.path;
  if (modality.has_value()) {
    XM_ASSIGN_OR_RETURN(item.modality, ParseModality(*modality));
    return absl::OkStatus();
  }
  std::optional<Modality> from_ext = ModalityFromExtension(item.path);
  if (!from_ext.has_value()) {
    return Bad(absl::StrCat("cannot tell the modality of '", path,
                            "' from its extension; add \"modality\""));
  }
  item.modality = *from_ext;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<WorkItem> ParseManifestLine(absl::string_view line, absl::string_view manifest_dir,
                                           absl::string_view uri) {
  absl::StatusOr<Json> parsed = ParseJson(line, "the line");
  if (!parsed.ok()) return Bad("not valid JSON");
  const Json& obj = *parsed;
  if (!obj.is_object()) return Bad(absl::StrCat("expected a JSON object, got ", obj.type_name()));
  const JsonFields line_fields(obj, "the line");
  XM_ASSIGN_OR_RETURN(std::optional<std::string> path, OptionalString(line_fields, "path"));
  XM_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(line_fields, "text"));
  XM_ASSIGN_OR_RETURN(std::optional<std::string> modality, OptionalString(line_fields, "modality"));
  XM_ASSIGN_OR_RETURN(std::optional<std::string> group, OptionalString(line_fields, "group"));
  if (path.has_value() == text.has_value()) {
    return Bad(path.has_value() ? "the line has both \"path\" and \"text\""
                                : "the line has neither \"path\" nor \"text\"");
  }
  WorkItem item;
  if (path.has_value()) {
    XM_RETURN_IF_ERROR(ResolvePath(*path, modality, manifest_dir, item));
  } else {
    if (modality.has_value()) {
      XM_ASSIGN_OR_RETURN(Modality m, ParseModality(*modality));
      if (m != Modality::kText) {
        return Bad(absl::StrCat("a \"text\" line cannot have modality '", *modality, "'"));
      }
    }
    item.modality = Modality::kText;
    item.inline_text = true;
    item.text = std::move(*text);
    item.source_uri = std::string(uri);
  }
  if (group.has_value() && !group->empty()) item.group_id = ManifestGroupId(*group);
  XM_RETURN_IF_ERROR(ParseMetadata(line_fields, item));
  return item;
}

absl::Status ReadManifestInto(const std::string& manifest_path, Sources& out) {
  XM_ASSIGN_OR_RETURN(std::string contents, ReadFile(manifest_path));
  const std::string dir = std::filesystem::path(manifest_path).parent_path().string();
  int64_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    ++line_number;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    const std::string uri = absl::StrCat(manifest_path, "#L", line_number);
    absl::StatusOr<WorkItem> item = ParseManifestLine(line, dir, uri);
    if (item.ok()) {
      out.items.push_back(*std::move(item));
    } else {
      out.failures.push_back({uri, std::string(item.status().message())});
    }
  }
  return absl::OkStatus();
}

}  // namespace xmodal::indexer
