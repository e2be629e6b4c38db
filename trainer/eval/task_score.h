// Turns one retrieval task (queries, gallery, groups, labels) into a TaskResult: overall
// Recall@1/5/10 and breakdowns by label (language, transform, split).
#ifndef XMODAL_TRAINER_EVAL_TASK_SCORE_H_
#define XMODAL_TRAINER_EVAL_TASK_SCORE_H_

#include <string>
#include <vector>

#include "trainer/eval/eval_report.h"
#include "trainer/eval/recall.h"

namespace xmodal::eval {

// One label per query, e.g. its language. Entries appear in `order` first (labels with no
// query are left out), then the remaining labels with "en" first and the rest sorted.
struct QueryLabels {
  std::string name;                 // the breakdown's name: "per_language", "split", ...
  std::vector<std::string> labels;  // one per query
  std::vector<std::string> order;
};

// Fills `task` (name, query and gallery descriptions set by the caller) with gallery_items,
// skipped_queries (queries with no vectors, left out of every figure), overall and one
// breakdown per `labels` entry. Group and label sizes must match the item counts (CHECKed).
void ScoreTask(const SegmentedVectors& queries, const std::vector<int>& query_groups,
               const SegmentedVectors& gallery, const std::vector<int>& gallery_groups,
               const std::vector<QueryLabels>& labels, int threads, TaskResult& task);

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_TASK_SCORE_H_
