// The query plan: ValidateQuery is the one check of k (against SearchLimits::max_k) and of the
// targets, with the messages the API documents; a plan's targets and fetch counts.
#include "core/engine/query_plan.h"

#include <gtest/gtest.h>

#include "testing/fake_model.h"
#include "testing/status_matchers.h"

namespace xmodal::engine {
namespace {

using ::xmodal::testing::FakeModel;
using ::xmodal::testing::StatusIs;

Query WithK(int k) {
  Query query;
  query.k = k;
  return query;
}

TEST(ValidateQueryTest, AcceptsKFromOneToMaxK) {
  const FakeModel model;
  EXPECT_EQ(Query().k, kDefaultK);
  EXPECT_OK(ValidateQuery(Query(), model, {}));
  EXPECT_OK(ValidateQuery(WithK(1), model, {}));
  EXPECT_OK(ValidateQuery(WithK(kDefaultMaxK), model, {}));
  EXPECT_EQ(SearchLimits().max_k, 1000);
}

TEST(ValidateQueryTest, RejectsKOutsideTheRangeNamingIt) {
  const FakeModel model;
  EXPECT_THAT(
      ValidateQuery(WithK(5000), model, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, "k must be between 1 and 1000, got 5000"));
  EXPECT_THAT(ValidateQuery(WithK(0), model, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, "k must be between 1 and 1000, got 0"));
  EXPECT_THAT(ValidateQuery(WithK(-3), model, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, "k must be between 1 and 1000, got -3"));
  EXPECT_THAT(ValidateQuery(WithK(60), model, {.max_k = 50}),
              StatusIs(absl::StatusCode::kInvalidArgument, "k must be between 1 and 50, got 60"));
}

TEST(ValidateQueryTest, RejectsATargetTheModelDoesNotEncode) {
  const FakeModel model(3, "fake");
  Query query;
  query.targets = {Modality::kImage, Modality::kAudio};
  EXPECT_THAT(ValidateQuery(query, model, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "target modality 'audio' is not encoded by model 'fake'"));
}

TEST(CheckCancelledTest, NamesTheStage) {
  EXPECT_OK(CheckCancelled({}, "encode"));
  EXPECT_OK(CheckCancelled([] { return false; }, "encode"));
  EXPECT_THAT(CheckCancelled([] { return true; }, "encode"),
              StatusIs(absl::StatusCode::kCancelled,
                       "request cancelled or past its deadline (after encode)"));
}

TEST(QueryPlanTest, TargetsAndFetchCounts) {
  Query query;
  query.k = 5;
  QueryPlan plan;
  plan.query = &query;
  plan.encoded.vectors.AppendRow(std::vector<float>{1, 0, 0});
  plan.encoded.vectors.AppendRow(std::vector<float>{0, 1, 0});
  EXPECT_TRUE(plan.Targets(Modality::kAudio));  // no targets: every index
  query.targets = {Modality::kImage};
  EXPECT_TRUE(plan.Targets(Modality::kImage));
  EXPECT_FALSE(plan.Targets(Modality::kText));
  // k plus one per query row; audio fetches kAudioOverfetch times k.
  EXPECT_EQ(plan.Fetch(Modality::kText), 5 + 2);
  EXPECT_EQ(plan.Fetch(Modality::kAudio), 5 * kAudioOverfetch + 2);
}

}  // namespace
}  // namespace xmodal::engine
