// Ranking measures of one search against its labelled relevant items, and their means over a
// set of queries (xmodal-eval queries, docs/eval.md "Scoring any collection"):
//   R@k      1 when at least one relevant item is among the first k hits, else 0 (the stamp
//            mode's Recall@k: rank of the first relevant hit <= k; RecallAccumulator, recall.h)
//   RR       1 / rank of the first relevant hit; 0 when none was retrieved (MRR: its mean)
//   nDCG@10  DCG@10 / ideal DCG@10, DCG@n = sum over ranks i <= n of gain_i / log2(i + 1); a
//            hit's gain is its grade (1 for every relevant item without grades, 0 for other
//            items); the ideal DCG ranks every relevant item, retrieved or not, by grade.
// Pure functions and a plain accumulator; thread-compatible.
#ifndef XMODAL_TRAINER_EVAL_RANKING_METRICS_H_
#define XMODAL_TRAINER_EVAL_RANKING_METRICS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "trainer/eval/recall.h"

namespace xmodal::eval {

inline constexpr int kNdcgDepth = 10;

// What one query retrieved, judged: the grade of each hit, best first (0: not relevant), and
// the grade of every relevant item (> 0), whether retrieved or not (items missing from the
// collection included: they lower the ideal-normalised scores and can never be found).
struct JudgedHits {
  std::vector<double> hit_grades;
  std::vector<double> relevant_grades;
};

struct QueryScores {
  int first_relevant_rank = kNotFound;  // 1-based; kNotFound when no relevant hit
  double reciprocal_rank = 0;
  double ndcg10 = 0;
};

// The 1-based rank of the first hit with a grade > 0, or kNotFound.
int FirstRelevantRank(std::span<const double> hit_grades);

// DCG@depth / ideal DCG@depth, in [0, 1]; 0 when `relevant_grades` is empty.
double NdcgAt(const JudgedHits& judged, int depth);

// First relevant rank, reciprocal rank and nDCG@10 of one query.
QueryScores ScoreQuery(const JudgedHits& judged);

// Means over queries. `extra_k` > 0 adds R@extra_k (the user's --k when it is not 1, 5 or 10).
struct RankingMetrics {
  int64_t queries = 0;
  RecallAtK recall;  // R@1, R@5, R@10
  int extra_k = 0;
  double recall_extra_k = 0;
  double mrr = 0;
  double ndcg10 = 0;
};

class RankingAccumulator {
 public:
  explicit RankingAccumulator(int extra_k = 0) : extra_k_(extra_k) {}
  void Add(const QueryScores& scores);
  RankingMetrics Result() const;

 private:
  int extra_k_;
  RecallAccumulator recall_;
  int64_t n_ = 0, hits_extra_k_ = 0;
  double sum_rr_ = 0, sum_ndcg_ = 0;
};

}  // namespace xmodal::eval

#endif  // XMODAL_TRAINER_EVAL_RANKING_METRICS_H_
