#include "trainer/train/model_card.h"

#include <gtest/gtest.h>

#include "core/base/file_util.h"
#include "core/base/json.h"
#include "testing/status_matchers.h"

namespace xmodal::train {
namespace {

using ::testing::_;
using ::testing::HasSubstr;
using ::testing::Not;
using ::xmodal::testing::StatusIs;

TrainingRecord Record() {
  TrainingRecord r;
  r.command = "xmodal-train --out models/default --steps 1000 --seed 1";
  r.seed = 1;
  r.steps = 1000;
  r.batch = 64;
  r.stamps = 950;
  r.groups = 774;
  r.train_seconds = 1500;
  r.held_out_texts_dropped = 5663;
  return r;
}

TEST(ModelCardTest, CardHasDataRecipeCommandLicenceAndEvalPlaceholder) {
  const std::string card = RenderModelCard(Record());
  EXPECT_THAT(card, HasSubstr("# xmodal-stamps 1"));
  EXPECT_THAT(card, HasSubstr("xmodal-train --out models/default --steps 1000 --seed 1"));
  EXPECT_THAT(card, HasSubstr("GPL-2.0-or-later"));
  EXPECT_THAT(card, HasSubstr("950 in 774 groups"));
  EXPECT_THAT(card, HasSubstr("5663 (nn, pt, pt_BR, sk, sr@latin, uk)"));
  EXPECT_THAT(card, HasSubstr("training 25.0 min"));
  EXPECT_THAT(card, HasSubstr(kEvalBegin));
  EXPECT_THAT(card, HasSubstr(kEvalEnd));
  EXPECT_THAT(card, HasSubstr("Not evaluated yet"));
}

TEST(ModelCardTest, TrainingRecordIsJson) {
  ASSERT_OK_AND_ASSIGN(const Json j, ParseJson(TrainingRecordToJson(Record()), "training.json"));
  EXPECT_EQ(j["steps"], 1000);
  EXPECT_EQ(j["data"]["stamps"], 950);
  EXPECT_EQ(j["command"], "xmodal-train --out models/default --steps 1000 --seed 1");
}

TEST(ModelCardTest, InsertEvaluationReplacesTheSectionAndIsRepeatable) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("card_"));
  ASSERT_OK(WriteTrainingRecordAndCard(Record(), dir));
  const std::string card = dir + "/README.md";
  ASSERT_OK(InsertEvaluation(card, "| task | R@5 |\n|---|---|\n| text_to_image | 0.95 |\n"));
  ASSERT_OK_AND_ASSIGN(std::string text, ReadFile(card));
  EXPECT_THAT(text, HasSubstr("| text_to_image | 0.95 |"));
  EXPECT_THAT(text, Not(HasSubstr("Not evaluated yet")));
  ASSERT_OK(InsertEvaluation(card, "second report"));
  ASSERT_OK_AND_ASSIGN(text, ReadFile(card));
  EXPECT_THAT(text, HasSubstr("second report"));
  EXPECT_THAT(text, Not(HasSubstr("0.95")));
  EXPECT_THAT(text, HasSubstr("## Reproduce"));  // the rest of the card is kept
  ASSERT_OK_AND_ASSIGN(const std::string json, ReadFile(dir + "/training.json"));
  EXPECT_THAT(json, HasSubstr("\"steps\": 1000"));
}

TEST(ModelCardTest, InsertEvaluationErrors) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("card_"));
  EXPECT_THAT(InsertEvaluation(dir + "/README.md", "x"), StatusIs(absl::StatusCode::kNotFound, _));
  ASSERT_OK(WriteFileAtomically(dir + "/README.md", "# a card without markers\n"));
  EXPECT_THAT(InsertEvaluation(dir + "/README.md", "x"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no evaluation section")));
}

}  // namespace
}  // namespace xmodal::train
