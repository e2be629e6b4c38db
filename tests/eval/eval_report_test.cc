// Tests for trainer/eval/eval_report.h: the JSON schema, the Markdown and the target checks.
#include "trainer/eval/eval_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace xmodal::eval {
namespace {

using ::testing::HasSubstr;

RecallAtK R(int64_t n, double r1, double r5, double r10) { return RecallAtK{n, r1, r5, r10}; }

EvalReport Example() {
  EvalReport report;
  report.model_name = "stamps";
  report.model_version = "1";
  report.model_pin = "stamps 1 (dim 8, sha256 abcd...)";
  report.embedding_dim = 8;
  report.corpus_root = "/stamps";
  report.stamps = 3;
  report.groups = 2;
  report.held_out_languages = {"pt", "uk"};
  TaskResult t2i;
  t2i.name = "text_to_image";
  t2i.query = "descriptions";
  t2i.gallery = "images";
  t2i.gallery_items = 3;
  t2i.overall = R(10, 0.5, 0.9, 1.0);
  t2i.breakdowns = {
      {"split",
       {{"training_languages", R(8, 0.6, 0.95, 1)}, {"held_out_languages", R(2, 0.1, 0.3, 0.5)}}},
      {"per_language", {{"en", R(3, 1, 1, 1)}, {"ko|x", R(5, 0.2, 0.4, 1)}}}};
  TaskResult i2t;
  i2t.name = "image_to_text";
  i2t.gallery_items = 3;
  i2t.skipped_queries = 1;
  i2t.overall = R(8, 0.9, 0.95, 1);
  i2t.breakdowns = {{"per_transform", {{"blur", R(4, 1, 1, 1)}, {"noise", R(4, 0.8, 0.9, 1)}}}};
  TaskResult s2i;
  s2i.name = "sound_to_image";
  s2i.ran = false;
  s2i.skipped_reason = "the model does not encode audio";
  report.tasks = {t2i, i2t, s2i};
  report.failure_count = 1;
  report.failures = {"/stamps/x.png: corrupt"};
  report.seconds = 1.5;
  return report;
}

TEST(CheckTargetsTest, MetMissedAndUnavailable) {
  const std::vector<TargetCheck> checks = CheckTargets(Example());
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[0].task, "text_to_image");
  EXPECT_EQ(checks[0].scope, "training_languages");
  EXPECT_EQ(checks[0].metric, "recall@5");
  EXPECT_TRUE(checks[0].available);
  EXPECT_TRUE(checks[0].met);  // 0.95 >= 0.90
  EXPECT_EQ(checks[1].scope, "held_out_languages");
  EXPECT_FALSE(checks[1].met);  // 0.3 < 0.40
  EXPECT_DOUBLE_EQ(checks[1].reached, 0.3);
  EXPECT_EQ(checks[2].task, "image_to_text");
  EXPECT_TRUE(checks[2].met);
  EXPECT_EQ(checks[3].task, "sound_to_image");
  EXPECT_EQ(checks[3].metric, "recall@10");
  EXPECT_FALSE(checks[3].available);  // skipped task
  EXPECT_FALSE(checks[4].available);  // absent task
}

TEST(ReportToJsonTest, Schema) {
  const Json j = ReportToJson(Example());
  EXPECT_EQ(j["model"]["name"], "stamps");
  EXPECT_EQ(j["model"]["embedding_dim"], 8);
  EXPECT_EQ(j["corpus"]["stamps"], 3);
  EXPECT_EQ(j["corpus"]["groups"], 2);
  EXPECT_EQ(j["corpus"]["limit"], 0);
  EXPECT_EQ(j["held_out_languages"], Json({"pt", "uk"}));
  const Json& t2i = j["tasks"]["text_to_image"];
  EXPECT_EQ(t2i["ran"], true);
  EXPECT_EQ(t2i["gallery_items"], 3);
  EXPECT_EQ(t2i["overall"]["queries"], 10);
  EXPECT_DOUBLE_EQ(t2i["overall"]["recall@5"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(t2i["split"]["held_out_languages"]["recall@10"].get<double>(), 0.5);
  EXPECT_EQ(t2i["per_language"]["en"]["queries"], 3);
  EXPECT_EQ(j["tasks"]["image_to_text"]["skipped_queries"], 1);
  EXPECT_TRUE(j["tasks"]["image_to_text"].contains("per_transform"));
  EXPECT_EQ(j["tasks"]["sound_to_image"]["ran"], false);
  EXPECT_EQ(j["tasks"]["sound_to_image"]["skipped_reason"], "the model does not encode audio");
  EXPECT_FALSE(j["tasks"]["sound_to_image"].contains("overall"));
  ASSERT_EQ(j["targets"].size(), 5u);
  EXPECT_EQ(j["targets"][1]["met"], false);
  EXPECT_FALSE(j["targets"][3].contains("reached"));
  EXPECT_EQ(j["failures"]["count"], 1);
  EXPECT_EQ(j["failures"]["examples"][0], "/stamps/x.png: corrupt");
  EXPECT_DOUBLE_EQ(j["seconds"].get<double>(), 1.5);
}

TEST(ReportToMarkdownTest, SummaryTargetsAndBreakdowns) {
  const std::string md = ReportToMarkdown(Example());
  EXPECT_THAT(md, HasSubstr("# Held-out evaluation: stamps 1\n"));
  EXPECT_THAT(md, HasSubstr("| Task | Queries | R@1 | R@5 | R@10 |"));
  EXPECT_THAT(md, HasSubstr("| text_to_image | 10 | 0.500 | 0.900 | 1.000 |"));
  EXPECT_THAT(md, HasSubstr("| text_to_image (held_out_languages) | 2 | 0.100 | 0.300 | 0.500 |"));
  EXPECT_THAT(md, HasSubstr("| sound_to_image | skipped: the model does not encode audio"));
  EXPECT_THAT(md, HasSubstr("| text_to_image | held_out_languages | recall@5 | 0.400 | 0.300 "
                            "(missed) |"));
  EXPECT_THAT(md, HasSubstr("| speech_to_image | overall | recall@10 | 0.500 | n/a |"));
  EXPECT_THAT(md, HasSubstr("| per_language | Queries | R@1 | R@5 | R@10 |"));
  EXPECT_THAT(md, HasSubstr("| ko\\|x | 5 |"));  // pipes are escaped
  EXPECT_THAT(md, HasSubstr("| blur | 4 | 1.000 |"));
  EXPECT_THAT(md, HasSubstr("1 queries could not be embedded"));
  EXPECT_THAT(md, HasSubstr("- /stamps/x.png: corrupt"));
}

}  // namespace
}  // namespace xmodal::eval
