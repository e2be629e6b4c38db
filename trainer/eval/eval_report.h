// The result of xmodal-eval and its two renderings: JSON (schema in docs/eval.md) and
// Markdown (for the model card). Pure functions; thread-safe.
#ifndef XMODAL_TRAINER_EVAL_EVAL_REPORT_H_
#define XMODAL_TRAINER_EVAL_EVAL_REPORT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/base/json.h"
#include "trainer/eval/recall.h"

namespace xmodal::eval {

// Recall of one task split by a key: "per_language" -> {"en": ..., "ko": ...}.
struct Breakdown {
  std::string name;
  std::vector<std::pair<std::string, RecallAtK>> entries;  // in report order
};

struct TaskResult {
  std::string name;     // "text_to_image", "image_to_text", "sound_to_image", ...
  std::string query;    // what a query is, e.g. "every description (all languages)"
  std::string gallery;  // what is searched, e.g. "clean stamp images, one per stamp"
  bool ran = true;      // false when the model lacks a modality of the task
  std::string skipped_reason;
  int64_t gallery_items = 0;
  int64_t skipped_queries = 0;  // queries that could not be embedded
  RecallAtK overall;
  std::vector<Breakdown> breakdowns;
};

struct EvalReport {
  std::string model_name, model_version, model_pin;
  int embedding_dim = 0;
  std::string corpus_root;
  int64_t stamps = 0, groups = 0;
  int limit = 0;  // 0: the whole corpus
  std::vector<std::string> held_out_languages;
  std::vector<TaskResult> tasks;
  int64_t failure_count = 0;          // inputs that could not be loaded or embedded
  std::vector<std::string> failures;  // the first few of each step, "path: reason"
  double seconds = 0;
};

// A target of the issue-3 acceptance criteria, checked against a report.
struct TargetCheck {
  std::string task, scope, metric;  // e.g. "text_to_image", "held_out_languages", "recall@5"
  double target = 0;
  bool available = false;  // the task ran and has that scope with queries
  double reached = 0;
  bool met = false;
};
std::vector<TargetCheck> CheckTargets(const EvalReport& report);

Json ReportToJson(const EvalReport& report);
std::string ReportToMarkdown(const EvalReport& report);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_EVAL_REPORT_H_
