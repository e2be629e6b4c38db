#include "trainer/eval/eval_report.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace xmodal::eval {
namespace {

struct TargetSpec {
  const char* task;
  const char* scope;  // "overall" or "BREAKDOWN/KEY"
  int k;
  double target;
};

// Issue 3, acceptance: the held-out split targets.
constexpr TargetSpec kTargets[] = {
    {"text_to_image", "split/training_languages", 5, 0.90},
    {"text_to_image", "split/held_out_languages", 5, 0.40},
    {"image_to_text", "overall", 5, 0.90},
    {"sound_to_image", "overall", 10, 0.60},
    {"speech_to_image", "overall", 10, 0.50},
};

double RecallAt(const RecallAtK& r, int k) { return k == 1 ? r.r1 : k == 5 ? r.r5 : r.r10; }

// The metrics of `task` at `scope`; nullptr when absent or without queries.
const RecallAtK* FindScope(const EvalReport& report, const std::string& task,
                           const std::string& scope) {
  for (const TaskResult& t : report.tasks) {
    if (t.name != task || !t.ran) continue;
    if (scope == "overall") return t.overall.queries > 0 ? &t.overall : nullptr;
    const size_t slash = scope.find('/');
    for (const Breakdown& b : t.breakdowns) {
      if (b.name != scope.substr(0, slash)) continue;
      for (const auto& [key, r] : b.entries) {
        if (key == scope.substr(slash + 1) && r.queries > 0) return &r;
      }
    }
  }
  return nullptr;
}

Json RecallJson(const RecallAtK& r) {
  return Json{{"queries", r.queries}, {"recall@1", r.r1}, {"recall@5", r.r5}, {"recall@10", r.r10}};
}

std::string Pct(double v) { return absl::StrFormat("%.3f", v); }

std::string MdCell(const std::string& s) { return absl::StrReplaceAll(s, {{"|", "\\|"}}); }

std::string RecallRow(const std::string& label, const RecallAtK& r) {
  return absl::StrCat("| ", MdCell(label), " | ", r.queries, " | ", Pct(r.r1), " | ", Pct(r.r5),
                      " | ", Pct(r.r10), " |\n");
}

constexpr char kRecallHeader[] = "| R@1 | R@5 | R@10 |\n";

}  // namespace

std::vector<TargetCheck> CheckTargets(const EvalReport& report) {
  std::vector<TargetCheck> out;
  for (const TargetSpec& spec : kTargets) {
    TargetCheck check;
    check.task = spec.task;
    const std::string scope = spec.scope;
    check.scope = scope.substr(scope.find('/') + 1);
    check.metric = absl::StrCat("recall@", spec.k);
    check.target = spec.target;
    if (const RecallAtK* r = FindScope(report, spec.task, scope)) {
      check.available = true;
      check.reached = RecallAt(*r, spec.k);
      check.met = check.reached >= spec.target;
    }
    out.push_back(check);
  }
  return out;
}

Json ReportToJson(const EvalReport& report) {
  Json tasks = Json::object();
  for (const TaskResult& t : report.tasks) {
    Json task = {{"query", t.query}, {"gallery", t.gallery}, {"ran", t.ran}};
    if (!t.ran) {
      task["skipped_reason"] = t.skipped_reason;
      tasks[t.name] = task;
      continue;
    }
    task["gallery_items"] = t.gallery_items;
    task["skipped_queries"] = t.skipped_queries;
    task["overall"] = RecallJson(t.overall);
    for (const Breakdown& b : t.breakdowns) {
      Json entries = Json::object();
      for (const auto& [key, r] : b.entries) entries[key] = RecallJson(r);
      task[b.name] = entries;
    }
    tasks[t.name] = task;
  }
  Json targets = Json::array();
  for (const TargetCheck& c : CheckTargets(report)) {
    Json j = {{"task", c.task},
              {"scope", c.scope},
              {"metric", c.metric},
              {"target", c.target},
              {"available", c.available}};
    if (c.available) {
      j["reached"] = c.reached;
      j["met"] = c.met;
    }
    targets.push_back(j);
  }
  return Json{
      {"model",
       {{"name", report.model_name},
        {"version", report.model_version},
        {"embedding_dim", report.embedding_dim},
        {"pin", report.model_pin}}},
      {"corpus",
       {{"root", report.corpus_root},
        {"stamps", report.stamps},
        {"groups", report.groups},
        {"limit", report.limit}}},
      {"held_out_languages", report.held_out_languages},
      {"tasks", tasks},
      {"targets", targets},
      {"failures", {{"count", report.failure_count}, {"examples", report.failures}}},
      {"seconds", report.seconds},
  };
}

std::string ReportToMarkdown(const EvalReport& report) {
  std::string md =
      absl::StrCat("# Held-out evaluation: ", report.model_name, " ", report.model_version, "\n\n");
  absl::StrAppend(&md, "Corpus `", report.corpus_root, "`: ", report.stamps, " stamps in ",
                  report.groups, " groups", report.limit > 0 ? " (--limit)" : "",
                  ". A query is answered when any stamp of its group is in the top k. Held-out "
                  "languages: ");
  for (size_t i = 0; i < report.held_out_languages.size(); ++i) {
    absl::StrAppend(&md, i ? ", " : "", report.held_out_languages[i]);
  }
  absl::StrAppend(&md, ".\n\n## Summary\n\n| Task | Queries ", kRecallHeader,
                  "|---|---:|---:|---:|---:|\n");
  for (const TaskResult& t : report.tasks) {
    if (!t.ran) {
      absl::StrAppend(&md, "| ", t.name, " | skipped: ", MdCell(t.skipped_reason), " | | | |\n");
      continue;
    }
    absl::StrAppend(&md, RecallRow(t.name, t.overall));
    for (const Breakdown& b : t.breakdowns) {
      if (b.name != "split") continue;
      for (const auto& [key, r] : b.entries) {
        absl::StrAppend(&md, RecallRow(absl::StrCat(t.name, " (", key, ")"), r));
      }
    }
  }
  absl::StrAppend(&md,
                  "\n## Targets (issue 3)\n\n| Task | Scope | Metric | Target | Reached |\n"
                  "|---|---|---|---:|---|\n");
  for (const TargetCheck& c : CheckTargets(report)) {
    absl::StrAppend(
        &md, "| ", c.task, " | ", c.scope, " | ", c.metric, " | ", Pct(c.target), " | ",
        c.available ? absl::StrCat(Pct(c.reached), c.met ? " (met)" : " (missed)") : "n/a", " |\n");
  }
  for (const TaskResult& t : report.tasks) {
    if (!t.ran) continue;
    absl::StrAppend(&md, "\n## ", t.name, "\n\nQueries: ", t.query, ". Gallery: ", t.gallery, " (",
                    t.gallery_items, " items).");
    if (t.skipped_queries > 0) {
      absl::StrAppend(&md, " ", t.skipped_queries, " queries could not be embedded.");
    }
    absl::StrAppend(&md, "\n");
    for (const Breakdown& b : t.breakdowns) {
      if (b.name == "split") continue;
      absl::StrAppend(&md, "\n| ", b.name, " | Queries ", kRecallHeader,
                      "|---|---:|---:|---:|---:|\n");
      for (const auto& [key, r] : b.entries) absl::StrAppend(&md, RecallRow(key, r));
    }
  }
  if (report.failure_count > 0) {
    absl::StrAppend(&md, "\n## Failures\n\n", report.failure_count,
                    " inputs could not be loaded or embedded; the first:\n\n");
    for (const std::string& f : report.failures) absl::StrAppend(&md, "- ", f, "\n");
  }
  absl::StrAppend(&md, "\nEvaluated in ", absl::StrFormat("%.1f", report.seconds), " s.\n");
  return md;
}

}  // namespace xmodal::eval
