#include "trainer/eval/collection_report.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "trainer/eval/markdown_cells.h"

namespace xmodal::eval {
namespace {

// The Markdown report lists at most this many failures and missing refs (the JSON: all).
constexpr size_t kMaxListed = 50;

int ExtraK(int k) { return k == 1 || k == 5 || k == 10 ? 0 : k; }

std::string TargetName(const std::optional<Modality>& target) {
  return target.has_value() ? std::string(ModalityName(*target)) : "any";
}

std::string KindToTarget(Modality kind, const std::optional<Modality>& target) {
  return absl::StrCat(ModalityName(kind), "_to_", TargetName(target));
}

// The scope of the queries and failures that `in_scope` accepts (by kind and target).
ScopeResult Scope(const CollectionEvalReport& report, std::string name,
                  const std::function<bool(Modality, const std::optional<Modality>&)>& in_scope) {
  RankingAccumulator acc(ExtraK(report.k));
  ScopeResult s;
  s.name = std::move(name);
  for (const ScoredQuery& q : report.queries) {
    if (in_scope(q.kind, q.target)) acc.Add(q.scores);
  }
  for (const QueryFailure& f : report.failures) s.failures += in_scope(f.kind, f.target);
  s.metrics = acc.Result();
  return s;
}

Json MetricsJson(const ScopeResult& s) {
  const RankingMetrics& m = s.metrics;
  Json j = {{"queries", m.queries},
            {"recall@1", m.recall.r1},
            {"recall@5", m.recall.r5},
            {"recall@10", m.recall.r10}};
  if (m.extra_k > 0) j[absl::StrCat("recall@", m.extra_k)] = m.recall_extra_k;
  j["mrr"] = m.mrr;
  j["ndcg@10"] = m.ndcg10;
  j["failures"] = s.failures;
  return j;
}

Json ScopesJson(const std::vector<ScopeResult>& scopes) {
  Json j = Json::object();
  for (const ScopeResult& s : scopes) j[s.name] = MetricsJson(s);
  return j;
}

std::string TableHeader(int extra_k, absl::string_view first) {
  std::string extra = extra_k > 0 ? absl::StrCat(" R@", extra_k, " |") : "";
  return absl::StrCat("| ", first, " | Scored | R@1 | R@5 | R@10 |", extra,
                      " MRR | nDCG@10 | Failed |\n|---|---:|---:|---:|---:|",
                      extra_k > 0 ? "---:|" : "", "---:|---:|---:|\n");
}

std::string TableRow(const ScopeResult& s) {
  const RankingMetrics& m = s.metrics;
  return absl::StrCat("| ", MdCell(s.name), " | ", m.queries, " | ", Fixed3(m.recall.r1), " | ",
                      Fixed3(m.recall.r5), " | ", Fixed3(m.recall.r10), " | ",
                      m.extra_k > 0 ? absl::StrCat(Fixed3(m.recall_extra_k), " | ") : "",
                      Fixed3(m.mrr), " | ", Fixed3(m.ndcg10), " | ", s.failures, " |\n");
}

std::string ItemCounts(const CollectionEvalReport& report) {
  std::string text;
  for (const auto& [modality, count] : report.items) {
    absl::StrAppend(&text, text.empty() ? "" : ", ", count, " ", ModalityName(modality));
  }
  return text.empty() ? "no items" : absl::StrCat(text, " items");
}

}  // namespace

ReportScopes SummariseScopes(const CollectionEvalReport& report) {
  ReportScopes scopes;
  scopes.overall =
      Scope(report, "all", [](Modality, const std::optional<Modality>&) { return true; });
  bool any_target = false;
  for (const ScoredQuery& q : report.queries) any_target = any_target || q.target.has_value();
  for (const QueryFailure& f : report.failures) any_target = any_target || f.target.has_value();
  for (Modality kind : kAllModalities) {
    ScopeResult s = Scope(report, std::string(ModalityName(kind)),
                          [kind](Modality k, const std::optional<Modality>&) { return k == kind; });
    if (s.metrics.queries == 0 && s.failures == 0) continue;
    scopes.per_kind.push_back(std::move(s));
    if (!any_target) continue;
    std::vector<std::optional<Modality>> targets(kAllModalities.begin(), kAllModalities.end());
    targets.push_back(std::nullopt);
    for (const std::optional<Modality>& target : targets) {
      ScopeResult t = Scope(
          report, KindToTarget(kind, target),
          [&](Modality k, const std::optional<Modality>& tg) { return k == kind && tg == target; });
      if (t.metrics.queries > 0 || t.failures > 0) scopes.per_target.push_back(std::move(t));
    }
  }
  return scopes;
}

Json CollectionReportToJson(const CollectionEvalReport& report) {
  const ReportScopes scopes = SummariseScopes(report);
  Json items = Json::object();
  for (const auto& [modality, count] : report.items)
    items[std::string(ModalityName(modality))] = count;
  Json queries = Json::array();
  for (const ScoredQuery& q : report.queries) {
    queries.push_back({{"line", q.line},
                       {"id", q.id},
                       {"kind", std::string(ModalityName(q.kind))},
                       {"target", TargetName(q.target)},
                       {"relevant", q.relevant},
                       {"missing_relevant", q.missing_relevant},
                       {"first_relevant_rank", q.scores.first_relevant_rank == kNotFound
                                                   ? Json(nullptr)
                                                   : Json(q.scores.first_relevant_rank)},
                       {"reciprocal_rank", q.scores.reciprocal_rank},
                       {"ndcg@10", q.scores.ndcg10}});
  }
  Json failures = Json::array();
  for (const QueryFailure& f : report.failures) {
    failures.push_back({{"line", f.line},
                        {"id", f.id},
                        {"kind", std::string(ModalityName(f.kind))},
                        {"target", TargetName(f.target)},
                        {"reason", f.reason}});
  }
  Json missing = Json::array();
  for (const MissingRelevant& m : report.missing_relevant) {
    missing.push_back({{"line", m.line}, {"id", m.id}, {"ref", m.ref}});
  }
  Json j = {
      {"collection",
       {{"path", report.collection_dir}, {"generation", report.generation}, {"items", items}}},
      {"model",
       {{"name", report.model_name},
        {"version", report.model_version},
        {"embedding_dim", report.embedding_dim},
        {"pin", report.model_pin}}},
      {"queries_file", report.queries_file},
      {"k", report.k},
      {"depth", report.depth},
      {"gains", report.graded ? "graded" : "binary"},
      {"overall", MetricsJson(scopes.overall)},
      {"per_kind", ScopesJson(scopes.per_kind)},
  };
  if (!scopes.per_target.empty()) j["per_target"] = ScopesJson(scopes.per_target);
  j["failures"] = failures;
  j["missing_relevant"] = missing;
  j["queries"] = queries;
  j["seconds"] = report.seconds;
  return j;
}

std::string CollectionReportToMarkdown(const CollectionEvalReport& report) {
  const ReportScopes scopes = SummariseScopes(report);
  const int extra_k = ExtraK(report.k);
  std::string md =
      absl::StrCat("# Collection evaluation: ", report.model_name, " ", report.model_version,
                   "\n\nCollection `", report.collection_dir, "` (generation ", report.generation,
                   ": ", ItemCounts(report), "), model ", report.model_pin, ".\n\nQueries `",
                   report.queries_file, "`: ", report.queries.size(), " scored, ",
                   report.failures.size(), " failed. Each search returned the top ", report.depth,
                   " hits. R@k: a relevant item in the top k; MRR: mean of 1 / rank of the first "
                   "relevant hit (0 when none); nDCG@10 with ",
                   report.graded ? "the file's grades as gains" : "binary gains", ".\n\n");
  absl::StrAppend(&md, TableHeader(extra_k, "Queries"), TableRow(scopes.overall));
  for (const ScopeResult& s : scopes.per_kind) absl::StrAppend(&md, TableRow(s));
  if (!scopes.per_target.empty()) {
    absl::StrAppend(&md, "\n## By target\n\n", TableHeader(extra_k, "Query to target"));
    for (const ScopeResult& s : scopes.per_target) absl::StrAppend(&md, TableRow(s));
  }
  if (!report.missing_relevant.empty()) {
    absl::StrAppend(&md, "\n## Relevant items not in the collection\n\n",
                    report.missing_relevant.size(),
                    " relevant entries name no item of the collection: they count as relevant "
                    "and can never be found.\n\n");
    for (size_t i = 0; i < report.missing_relevant.size() && i < kMaxListed; ++i) {
      const MissingRelevant& m = report.missing_relevant[i];
      absl::StrAppend(&md, "- line ", m.line, " (", m.id, "): `", m.ref, "`\n");
    }
    if (report.missing_relevant.size() > kMaxListed) {
      absl::StrAppend(&md, "- and ", report.missing_relevant.size() - kMaxListed, " more\n");
    }
  }
  if (!report.failures.empty()) {
    absl::StrAppend(&md, "\n## Failures\n\n", report.failures.size(),
                    " queries could not be run and are left out of the metrics.\n\n"
                    "| Line | Query | Kind | Reason |\n|---:|---|---|---|\n");
    for (size_t i = 0; i < report.failures.size() && i < kMaxListed; ++i) {
      const QueryFailure& f = report.failures[i];
      absl::StrAppend(&md, "| ", f.line, " | ", MdCell(f.id), " | ", KindToTarget(f.kind, f.target),
                      " | ", MdCell(f.reason), " |\n");
    }
    if (report.failures.size() > kMaxListed) {
      absl::StrAppend(&md, "\nAnd ", report.failures.size() - kMaxListed, " more.\n");
    }
  }
  absl::StrAppend(&md, "\nEvaluated in ", absl::StrFormat("%.1f", report.seconds), " s.\n");
  return md;
}

absl::Status WriteCollectionReport(const CollectionEvalReport& report, const std::string& json_path,
                                   const std::string& md_path) {
  if (!json_path.empty()) {
    XM_RETURN_IF_ERROR(
        WriteFileAtomically(json_path, DumpJson(CollectionReportToJson(report), 2) + "\n"));
  }
  if (!md_path.empty()) {
    XM_RETURN_IF_ERROR(WriteFileAtomically(md_path, CollectionReportToMarkdown(report)));
  }
  return absl::OkStatus();
}

}  // namespace xmodal::eval
