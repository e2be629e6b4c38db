#include "indexer/summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "core/base/json.h"
#include "testing/status_matchers.h"

namespace xmodal::indexer {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

IndexSummary Sample() {
  IndexSummary s;
  s.items_total = 9;
  s.ignored_files = 3;
  s.modalities[Modality::kImage] = {.indexed = 3, .unchanged = 1, .failed = 0, .vectors = 3};
  s.modalities[Modality::kAudio] = {.indexed = 2, .unchanged = 0, .failed = 0, .vectors = 7};
  s.AddFailure(Modality::kImage, "/d/bad.png", "cannot decode image: truncated");
  s.AddFailure(std::nullopt, "/d/m.jsonl#L3", "not valid JSON");
  s.stages = {.prepare = 1.5, .encode = 0.5, .commit = 0.25, .index_build = 0.125};
  s.wall_seconds = 2.5;
  s.published = true;
  s.generation = 4;
  s.index_vectors = {{Modality::kImage, 3}, {Modality::kAudio, 7}};
  return s;
}

TEST(IndexerIndexSummaryTest, FailuresAreCountedPerModalityWhenKnown) {
  const IndexSummary s = Sample();
  EXPECT_EQ(s.failed_total, 2);
  EXPECT_EQ(s.modalities.at(Modality::kImage).failed, 1);
  EXPECT_EQ(s.modalities.at(Modality::kText).failed, 0);
  const ModalityCounts t = s.Totals();
  EXPECT_EQ(t.indexed, 5);
  EXPECT_EQ(t.unchanged, 1);
  EXPECT_EQ(t.failed, 2);
  EXPECT_EQ(t.vectors, 10);
}

TEST(IndexerIndexSummaryTest, ListedFailuresAreCapped) {
  IndexSummary s;
  for (size_t i = 0; i < IndexSummary::kMaxListedFailures + 5; ++i) {
    s.AddFailure(Modality::kText, absl::StrCat("u", i), "r");
  }
  EXPECT_EQ(s.failures.size(), IndexSummary::kMaxListedFailures);
  EXPECT_EQ(s.failed_total, static_cast<int64_t>(IndexSummary::kMaxListedFailures + 5));
}

TEST(IndexerSummaryToJsonTest, HasTheDocumentedFields) {
  ASSERT_OK_AND_ASSIGN(Json j, ParseJson(SummaryToJson(Sample()), "summary"));
  for (const char* m : {"text", "image", "audio"}) {
    ASSERT_TRUE(j["modalities"].contains(m)) << m;
    for (const char* f : {"indexed", "unchanged", "failed", "vectors"}) {
      EXPECT_TRUE(j["modalities"][m][f].is_number_integer()) << m << " " << f;
    }
  }
  EXPECT_EQ(j["modalities"]["audio"]["vectors"], 7);
  EXPECT_EQ(j["modalities"]["image"]["failed"], 1);
  EXPECT_EQ(j["totals"]["indexed"], 5);
  EXPECT_EQ(j["totals"]["failed"], 2);
  EXPECT_EQ(j["totals"]["items"], 9);
  EXPECT_EQ(j["totals"]["ignored_files"], 3);
  ASSERT_EQ(j["failures"].size(), 2u);
  EXPECT_EQ(j["failures"][0]["uri"], "/d/bad.png");
  EXPECT_EQ(j["failures"][0]["reason"], "cannot decode image: truncated");
  EXPECT_EQ(j["failures_listed"], 2);
  EXPECT_DOUBLE_EQ(j["stage_seconds"]["prepare"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(j["stage_seconds"]["encode"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["stage_seconds"]["commit"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(j["stage_seconds"]["index_build"].get<double>(), 0.125);
  EXPECT_DOUBLE_EQ(j["wall_seconds"].get<double>(), 2.5);
  EXPECT_EQ(j["published"], true);
  EXPECT_EQ(j["generation"], 4);
  EXPECT_EQ(j["index_vectors"]["image"], 3);
  EXPECT_EQ(j["index_vectors"]["audio"], 7);
  EXPECT_FALSE(j["index_vectors"].contains("text"));
  EXPECT_EQ(j["exit_code"], 1);
}

TEST(IndexerSummaryToJsonTest, InvalidUtf8InAReasonDoesNotThrow) {
  IndexSummary s;
  s.AddFailure(std::nullopt, "/d/\xff.png", "bad \xfe");
  ASSERT_OK_AND_ASSIGN(Json j, ParseJson(SummaryToJson(s), "summary"));
  EXPECT_EQ(j["failures"].size(), 1u);
}

TEST(IndexerSummaryToTextTest, TableFailuresAndMore) {
  IndexSummary s = Sample();
  for (int i = 0; i < 25; ++i) s.AddFailure(Modality::kText, absl::StrCat("/t/", i, ".txt"), "x");
  const std::string text = SummaryToText(s);
  EXPECT_THAT(text, HasSubstr("indexed"));
  EXPECT_THAT(text, HasSubstr("unchanged"));
  EXPECT_THAT(text, HasSubstr("image"));
  EXPECT_THAT(text, HasSubstr("3 files ignored"));
  EXPECT_THAT(text, HasSubstr("published generation 4: image 3 audio 7"));
  EXPECT_THAT(text, HasSubstr("/d/bad.png: cannot decode image: truncated"));
  EXPECT_THAT(text, HasSubstr("/t/17.txt: x"));    // the 20th failure
  EXPECT_THAT(text, Not(HasSubstr("/t/18.txt")));  // the 21st
  EXPECT_THAT(text, HasSubstr("7 more"));          // 27 failures, 20 shown
}

TEST(IndexerExitCodeForTest, ZeroWhenNothingFailedElseOne) {
  IndexSummary s;
  EXPECT_EQ(ExitCodeFor(s), 0);
  s.modalities[Modality::kText].unchanged = 4;
  EXPECT_EQ(ExitCodeFor(s), 0);
  s.AddFailure(std::nullopt, "u", "r");
  EXPECT_EQ(ExitCodeFor(s), 1);
}

}  // namespace
}  // namespace xmodal::indexer
