#include "trainer/eval/relevant_items.h"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "core/base/status_macros.h"

namespace xmodal::eval {
namespace {

// The source URI a relative ref stands for, or nullopt for an absolute path or a URI.
std::optional<std::string> RelativeCandidate(const std::string& ref, absl::string_view base_dir) {
  if (absl::StartsWith(ref, "/") || absl::StrContains(ref, "://")) return std::nullopt;
  return (std::filesystem::path(std::string(base_dir)) / ref).lexically_normal().string();
}

}  // namespace

absl::StatusOr<std::vector<ResolvedRelevance>> ResolveRelevance(
    const std::vector<LabelledQuery>& queries, const store::Store& store,
    absl::string_view base_dir) {
  std::set<std::string> wanted;
  for (const LabelledQuery& q : queries) {
    for (const RelevantRef& r : q.relevant) {
      wanted.insert(r.ref);
      if (std::optional<std::string> c = RelativeCandidate(r.ref, base_dir)) wanted.insert(*c);
    }
  }
  // Only the wanted ids and URIs are kept, so memory does not grow with the collection.
  std::set<std::string> ids;
  std::map<std::string, std::vector<std::string>> by_uri;
  XM_RETURN_IF_ERROR(store.ForEachItem([&](const store::ItemRecord& item) {
    if (wanted.count(item.id) > 0) ids.insert(item.id);
    if (wanted.count(item.source_uri) > 0) by_uri[item.source_uri].push_back(item.id);
    return absl::OkStatus();
  }));

  std::vector<ResolvedRelevance> out(queries.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    for (const RelevantRef& r : queries[i].relevant) {
      std::vector<std::string> named;
      if (ids.count(r.ref) > 0) {
        named.push_back(r.ref);
      } else if (auto it = by_uri.find(r.ref); it != by_uri.end()) {
        named = it->second;
      } else if (std::optional<std::string> c = RelativeCandidate(r.ref, base_dir)) {
        if (auto rel = by_uri.find(*c); rel != by_uri.end()) named = rel->second;
      }
      if (named.empty()) {
        out[i].missing.push_back(r);
        continue;
      }
      for (const std::string& id : named) {
        double& grade = out[i].items[id];
        grade = std::max(grade, r.grade);
      }
    }
  }
  return out;
}

}  // namespace xmodal::eval
