// Tests for trainer/eval/collection_report.h: the scopes, the JSON shape and the Markdown.
#include "trainer/eval/collection_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace xmodal::eval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ScoredQuery Scored(int64_t line, Modality kind, std::optional<Modality> target, int rank) {
  ScoredQuery q;
  q.line = line;
  q.id = absl::StrCat("L", line);
  q.kind = kind;
  q.target = target;
  q.relevant = 1;
  q.scores.first_relevant_rank = rank;
  q.scores.reciprocal_rank = rank == kNotFound ? 0.0 : 1.0 / rank;
  q.scores.ndcg10 = rank == 1 ? 1.0 : 0.0;
  return q;
}

CollectionEvalReport Example() {
  CollectionEvalReport r;
  r.collection_dir = "/data/coll";
  r.generation = 3;
  r.items = {{Modality::kText, 5}, {Modality::kImage, 4}};
  r.model_name = "toy-rgb";
  r.model_version = "1";
  r.model_pin = "toy-rgb 1 (dim 8, sha256 0123abcd...)";
  r.embedding_dim = 8;
  r.queries_file = "/data/q.jsonl";
  r.queries = {Scored(1, Modality::kText, Modality::kImage, 1),
               Scored(2, Modality::kText, Modality::kImage, 2),
               Scored(3, Modality::kText, std::nullopt, kNotFound),
               Scored(4, Modality::kImage, Modality::kText, 1)};
  r.failures = {{5, "broken", Modality::kImage, std::nullopt, "cannot read 'x.png': gone | lost"}};
  r.missing_relevant = {{2, "L2", "images/nope.png"}};
  r.seconds = 1.25;
  return r;
}

TEST(CollectionReportTest, ScopesPerKindAndPerTarget) {
  const ReportScopes s = SummariseScopes(Example());
  EXPECT_EQ(s.overall.name, "all");
  EXPECT_EQ(s.overall.metrics.queries, 4);
  EXPECT_EQ(s.overall.failures, 1);
  EXPECT_DOUBLE_EQ(s.overall.metrics.recall.r1, 0.5);
  EXPECT_DOUBLE_EQ(s.overall.metrics.recall.r5, 0.75);
  EXPECT_DOUBLE_EQ(s.overall.metrics.mrr, (1 + 0.5 + 0 + 1) / 4.0);
  ASSERT_EQ(s.per_kind.size(), 2u);
  EXPECT_EQ(s.per_kind[0].name, "text");
  EXPECT_EQ(s.per_kind[0].metrics.queries, 3);
  EXPECT_EQ(s.per_kind[0].failures, 0);
  EXPECT_EQ(s.per_kind[1].name, "image");
  EXPECT_EQ(s.per_kind[1].metrics.queries, 1);
  EXPECT_EQ(s.per_kind[1].failures, 1);
  ASSERT_EQ(s.per_target.size(), 4u);
  EXPECT_EQ(s.per_target[0].name, "text_to_image");
  EXPECT_EQ(s.per_target[0].metrics.queries, 2);
  EXPECT_DOUBLE_EQ(s.per_target[0].metrics.mrr, 0.75);
  EXPECT_EQ(s.per_target[1].name, "text_to_any");
  EXPECT_EQ(s.per_target[2].name, "image_to_text");
  EXPECT_EQ(s.per_target[3].name, "image_to_any");  // only its failure
  EXPECT_EQ(s.per_target[3].metrics.queries, 0);
  EXPECT_EQ(s.per_target[3].failures, 1);
}

TEST(CollectionReportTest, NoPerTargetScopesWhenNoQueryNamesATarget) {
  CollectionEvalReport r = Example();
  for (ScoredQuery& q : r.queries) q.target.reset();
  EXPECT_TRUE(SummariseScopes(r).per_target.empty());
  EXPECT_FALSE(CollectionReportToJson(r).contains("per_target"));
}

TEST(CollectionReportTest, Json) {
  const Json j = CollectionReportToJson(Example());
  EXPECT_EQ(j["collection"]["path"], "/data/coll");
  EXPECT_EQ(j["collection"]["generation"], 3);
  EXPECT_EQ(j["collection"]["items"]["image"], 4);
  EXPECT_EQ(j["model"]["name"], "toy-rgb");
  EXPECT_EQ(j["model"]["version"], "1");
  EXPECT_EQ(j["k"], 10);
  EXPECT_EQ(j["depth"], 10);
  EXPECT_EQ(j["gains"], "binary");
  EXPECT_EQ(j["overall"]["queries"], 4);
  EXPECT_DOUBLE_EQ(j["overall"]["recall@1"].get<double>(), 0.5);
  EXPECT_TRUE(j["overall"].contains("mrr"));
  EXPECT_TRUE(j["overall"].contains("ndcg@10"));
  EXPECT_FALSE(j["overall"].contains("recall@3"));
  EXPECT_EQ(j["per_kind"]["image"]["failures"], 1);
  EXPECT_EQ(j["per_target"]["text_to_image"]["queries"], 2);
  EXPECT_EQ(j["failures"][0]["line"], 5);
  EXPECT_EQ(j["failures"][0]["id"], "broken");
  EXPECT_EQ(j["failures"][0]["kind"], "image");
  EXPECT_EQ(j["missing_relevant"][0]["ref"], "images/nope.png");
  ASSERT_EQ(j["queries"].size(), 4u);
  EXPECT_EQ(j["queries"][1]["first_relevant_rank"], 2);
  EXPECT_TRUE(j["queries"][2]["first_relevant_rank"].is_null());
  EXPECT_EQ(j["queries"][2]["target"], "any");
}

TEST(CollectionReportTest, ExtraKAddsARecallColumn) {
  CollectionEvalReport r = Example();
  r.k = 3;
  const Json j = CollectionReportToJson(r);
  EXPECT_DOUBLE_EQ(j["overall"]["recall@3"].get<double>(), 0.75);  // ranks 1, 2, none, 1
  EXPECT_THAT(CollectionReportToMarkdown(r), HasSubstr("| R@10 | R@3 | MRR |"));
}

TEST(CollectionReportTest, Markdown) {
  const std::string md = CollectionReportToMarkdown(Example());
  EXPECT_THAT(md, HasSubstr("# Collection evaluation: toy-rgb 1\n"));
  EXPECT_THAT(md, HasSubstr("Collection `/data/coll` (generation 3: 5 text, 4 image items)"));
  EXPECT_THAT(md, HasSubstr("| Queries | Scored | R@1 | R@5 | R@10 | MRR | nDCG@10 | Failed |"));
  EXPECT_THAT(md, HasSubstr("| all | 4 | 0.500 | 0.750 | 0.750 | 0.625 | 0.500 | 1 |"));
  EXPECT_THAT(md, HasSubstr("| image | 1 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | 1 |"));
  EXPECT_THAT(md, HasSubstr("## By target"));
  EXPECT_THAT(md, HasSubstr("| text_to_image | 2 |"));
  EXPECT_THAT(md, HasSubstr("- line 2 (L2): `images/nope.png`"));
  EXPECT_THAT(md, HasSubstr("| 5 | broken | image_to_any | cannot read 'x.png': gone \\| lost |"));
  EXPECT_THAT(md, Not(HasSubstr("R@3")));
}

}  // namespace
}  // namespace xmodal::eval
