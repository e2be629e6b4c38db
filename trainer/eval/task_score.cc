#include "trainer/eval/task_score.h"

#include <glog/logging.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace xmodal::eval {
namespace {

Breakdown MakeBreakdown(const QueryLabels& labels, const std::vector<int>& ranks) {
  std::map<std::string, RecallAccumulator> by_label;
  for (size_t q = 0; q < ranks.size(); ++q) {
    if (ranks[q] != kNoVectors) by_label[labels.labels[q]].Add(ranks[q]);
  }
  Breakdown b;
  b.name = labels.name;
  std::set<std::string> done;
  for (const std::string& key : labels.order) {
    auto it = by_label.find(key);
    if (it == by_label.end() || !done.insert(key).second) continue;
    b.entries.emplace_back(key, it->second.Result());
  }
  std::vector<std::string> rest;
  for (const auto& [key, acc] : by_label) {
    if (done.count(key) == 0) rest.push_back(key);
  }
  std::stable_partition(rest.begin(), rest.end(), [](const std::string& k) { return k == "en"; });
  for (const std::string& key : rest) b.entries.emplace_back(key, by_label.at(key).Result());
  return b;
}

}  // namespace

void ScoreTask(const SegmentedVectors& queries, const std::vector<int>& query_groups,
               const SegmentedVectors& gallery, const std::vector<int>& gallery_groups,
               const std::vector<QueryLabels>& labels, int threads, TaskResult& task) {
  const std::vector<int> ranks =
      FirstCorrectRanks(queries, query_groups, gallery, gallery_groups, threads);
  task.gallery_items = 0;
  for (int64_t g = 0; g < gallery.num_items(); ++g) task.gallery_items += gallery.num_rows(g) > 0;
  RecallAccumulator overall;
  task.skipped_queries = 0;
  for (int rank : ranks) {
    if (rank == kNoVectors) {
      ++task.skipped_queries;
    } else {
      overall.Add(rank);
    }
  }
  task.overall = overall.Result();
  task.breakdowns.clear();
  for (const QueryLabels& l : labels) {
    CHECK_EQ(l.labels.size(), ranks.size()) << l.name;
    task.breakdowns.push_back(MakeBreakdown(l, ranks));
  }
}

}  // namespace xmodal::eval
