#include "indexer/summary.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace xmodal::indexer {
namespace {

std::string Name(Modality m) { return std::string(ModalityName(m)); }

// Keys in the documented order (docs/indexer.md).
using OrderedJson = nlohmann::ordered_json;

OrderedJson CountsJson(const ModalityCounts& c) {
  return OrderedJson{{"indexed", c.indexed},
                     {"unchanged", c.unchanged},
                     {"failed", c.failed},
                     {"vectors", c.vectors}};
}

// nlohmann::json throws when dumping invalid UTF-8; replace bad bytes instead.
std::string Dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

}  // namespace

IndexSummary::IndexSummary() {
  for (Modality m : kAllModalities) modalities[m] = ModalityCounts{};
}

void IndexSummary::AddFailure(std::optional<Modality> modality, std::string uri,
                              std::string reason) {
  ++failed_total;
  if (modality.has_value()) ++modalities[*modality].failed;
  if (failures.size() < kMaxListedFailures) {
    failures.push_back({std::move(uri), std::move(reason)});
  }
}

ModalityCounts IndexSummary::Totals() const {
  ModalityCounts t;
  for (const auto& [m, c] : modalities) {
    t.indexed += c.indexed;
    t.unchanged += c.unchanged;
    t.vectors += c.vectors;
  }
  t.failed = failed_total;
  return t;
}

std::string SummaryToText(const IndexSummary& s, int max_failures) {
  std::string out =
      absl::StrFormat("%-8s %9s %9s %9s %9s\n", "", "indexed", "unchanged", "failed", "vectors");
  auto row = [&out](absl::string_view name, const ModalityCounts& c) {
    absl::StrAppendFormat(&out, "%-8s %9d %9d %9d %9d\n", name, c.indexed, c.unchanged, c.failed,
                          c.vectors);
  };
  for (const auto& [m, c] : s.modalities) row(ModalityName(m), c);
  row("total", s.Totals());
  if (s.ignored_files > 0) {
    absl::StrAppend(&out, s.ignored_files, s.ignored_files == 1 ? " file" : " files",
                    " ignored (unknown extension)\n");
  }
  absl::StrAppendFormat(&out,
                        "stages: prepare %.2fs (summed over threads), encode %.2fs, commit "
                        "%.2fs, index build %.2fs; wall %.2fs\n",
                        s.stages.prepare, s.stages.encode, s.stages.commit, s.stages.index_build,
                        s.wall_seconds);
  if (s.generation > 0) {
    absl::StrAppend(&out, s.published ? "published generation " : "unchanged generation ",
                    s.generation, ":");
    for (const auto& [m, n] : s.index_vectors) absl::StrAppend(&out, " ", Name(m), " ", n);
    if (s.index_vectors.empty()) absl::StrAppend(&out, " no vectors");
    absl::StrAppend(&out, "\n");
  } else {
    absl::StrAppend(&out, "nothing published\n");
  }
  const int64_t shown = std::min<int64_t>(max_failures, static_cast<int64_t>(s.failures.size()));
  if (s.failed_total > 0) absl::StrAppend(&out, "failures:\n");
  for (int64_t i = 0; i < shown; ++i) {
    absl::StrAppend(&out, "  ", s.failures[i].uri, ": ", s.failures[i].reason, "\n");
  }
  if (s.failed_total > shown) absl::StrAppend(&out, "  ", s.failed_total - shown, " more\n");
  return out;
}

std::string SummaryToJson(const IndexSummary& s) {
  OrderedJson modalities = OrderedJson::object();
  for (const auto& [m, c] : s.modalities) modalities[Name(m)] = CountsJson(c);
  OrderedJson totals = CountsJson(s.Totals());
  totals["items"] = s.items_total;
  totals["ignored_files"] = s.ignored_files;
  OrderedJson failures = OrderedJson::array();
  for (const FailureEntry& f : s.failures) {
    failures.push_back(OrderedJson{{"uri", f.uri}, {"reason", f.reason}});
  }
  OrderedJson index_vectors = OrderedJson::object();
  for (const auto& [m, n] : s.index_vectors) index_vectors[Name(m)] = n;
  OrderedJson doc{{"modalities", std::move(modalities)},
                  {"totals", std::move(totals)},
                  {"failures", std::move(failures)},
                  {"failures_listed", s.failures.size()},
                  {"stage_seconds",
                   {{"prepare", s.stages.prepare},
                    {"encode", s.stages.encode},
                    {"commit", s.stages.commit},
                    {"index_build", s.stages.index_build}}},
                  {"wall_seconds", s.wall_seconds},
                  {"published", s.published},
                  {"generation", s.generation},
                  {"index_vectors", std::move(index_vectors)},
                  {"exit_code", ExitCodeFor(s)}};
  return Dump(doc);
}

int ExitCodeFor(const IndexSummary& summary) { return summary.failed_total > 0 ? 1 : 0; }

}  // namespace xmodal::indexer
