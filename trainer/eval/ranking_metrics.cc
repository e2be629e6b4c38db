#include "trainer/eval/ranking_metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace xmodal::eval {
namespace {

// Sum over the first `depth` gains of gain_i / log2(i + 1), i 1-based.
double Dcg(std::span<const double> gains, int depth) {
  double dcg = 0;
  const size_t n = std::min(gains.size(), static_cast<size_t>(std::max(depth, 0)));
  for (size_t i = 0; i < n; ++i) dcg += gains[i] / std::log2(static_cast<double>(i) + 2.0);
  return dcg;
}

}  // namespace

int FirstRelevantRank(std::span<const double> hit_grades) {
  for (size_t i = 0; i < hit_grades.size(); ++i) {
    if (hit_grades[i] > 0) return static_cast<int>(i) + 1;
  }
  return kNotFound;
}

double NdcgAt(const JudgedHits& judged, int depth) {
  std::vector<double> ideal = judged.relevant_grades;
  std::sort(ideal.begin(), ideal.end(), std::greater<double>());
  const double ideal_dcg = Dcg(ideal, depth);
  if (!(ideal_dcg > 0)) return 0;
  return std::min(1.0, Dcg(judged.hit_grades, depth) / ideal_dcg);
}

QueryScores ScoreQuery(const JudgedHits& judged) {
  QueryScores s;
  s.first_relevant_rank = FirstRelevantRank(judged.hit_grades);
  s.reciprocal_rank = s.first_relevant_rank == kNotFound ? 0.0 : 1.0 / s.first_relevant_rank;
  s.ndcg10 = NdcgAt(judged, kNdcgDepth);
  return s;
}

void RankingAccumulator::Add(const QueryScores& scores) {
  ++n_;
  recall_.Add(scores.first_relevant_rank);
  hits_extra_k_ += extra_k_ > 0 && scores.first_relevant_rank <= extra_k_;
  sum_rr_ += scores.reciprocal_rank;
  sum_ndcg_ += scores.ndcg10;
}

RankingMetrics RankingAccumulator::Result() const {
  RankingMetrics m;
  m.queries = n_;
  m.recall = recall_.Result();
  m.extra_k = extra_k_;
  if (n_ == 0) return m;
  m.recall_extra_k = static_cast<double>(hits_extra_k_) / n_;
  m.mrr = sum_rr_ / n_;
  m.ndcg10 = sum_ndcg_ / n_;
  return m;
}

}  // namespace xmodal::eval
