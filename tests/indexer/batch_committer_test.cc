#include "indexer/batch_committer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/store/store.h"
#include "testing/status_matchers.h"
#include "tests/indexer/test_files.h"

namespace xmodal::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::xmodal::indexer::testing::TestDir;

// Encodes input i of a batch as [first feature, 1]; records batch sizes; fails on demand.
class EncodeOnlyModel : public model::Model {
 public:
  EncodeOnlyModel() {
    manifest_.name = "encode-only";
    manifest_.embedding_dim = 2;
    manifest_.image = model::ImageSpec{};
    manifest_.audio = model::AudioSpec{};
    pin_ = {.name = "encode-only", .version = "1", .embedding_dim = 2, .files_sha256 = "x"};
  }
  const model::ModelManifest& manifest() const override { return manifest_; }
  const model::ModelPin& pin() const override { return pin_; }
  absl::StatusOr<model::ModelInput> PrepareText(absl::string_view) const override {
    return absl::UnimplementedError("unused");
  }
  absl::StatusOr<model::ModelInput> PrepareImage(const media::Image&) const override {
    return absl::UnimplementedError("unused");
  }
  absl::StatusOr<std::vector<model::ModelInput>> PrepareAudio(const media::Audio&) const override {
    return absl::UnimplementedError("unused");
  }
  absl::StatusOr<FloatMatrix> Encode(
      Modality modality, std::span<const model::ModelInput* const> inputs) const override {
    batch_sizes.push_back(static_cast<int>(inputs.size()));
    if (fail) return absl::InternalError("the encoder broke");
    FloatMatrix out(static_cast<int64_t>(inputs.size()), 2);
    for (size_t i = 0; i < inputs.size(); ++i) {
      out.row(static_cast<int64_t>(i))[0] = inputs[i]->features.at(0);
      out.row(static_cast<int64_t>(i))[1] = 1.0f;
    }
    return out;
  }

  bool fail = false;
  mutable std::vector<int> batch_sizes;

 private:
  model::ModelManifest manifest_;
  model::ModelPin pin_;
};

// A ready item of `modality` with one input per entry of `features`.
PreparedItem Ready(Modality modality, const std::string& name, std::vector<float> features) {
  PreparedItem item;
  item.outcome = PreparedItem::Outcome::kReady;
  item.record.id = absl::StrCat("id-", name);
  item.record.modality = modality;
  item.record.source_uri = absl::StrCat("/data/", name);
  for (size_t i = 0; i < features.size(); ++i) {
    item.inputs.push_back({.modality = modality,
                           .features = {features[i]},
                           .start_seconds = static_cast<double>(i),
                           .end_seconds = i + 1.0});
  }
  return item;
}

class IndexerBatchCommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<store::Store>> s =
        store::Store::Open(TestDir("committer") + "/db", {});
    ASSERT_OK(s);
    store_ = *std::move(s);
  }
  std::unique_ptr<store::Store> store_;
  EncodeOnlyModel model_;
  IndexSummary summary_;
};

TEST_F(IndexerBatchCommitterTest, EncodesInBatchesAndCommitsItemsWithTheirVectors) {
  BatchCommitter committer(model_, *store_, /*batch_size=*/2, summary_);
  ASSERT_OK(committer.Add(Ready(Modality::kImage, "a.png", {0.5f})));
  EXPECT_THAT(model_.batch_sizes, SizeIs(0));                                // 1 of 2 inputs queued
  ASSERT_OK(committer.Add(Ready(Modality::kAudio, "long.wav", {1, 2, 3})));  // 3 >= 2: flush
  EXPECT_THAT(model_.batch_sizes, ElementsAre(2, 1));
  ASSERT_OK(committer.Add(Ready(Modality::kImage, "b.png", {0.25f})));  // 2 >= 2: flush
  ASSERT_OK(committer.FlushAll());
  EXPECT_THAT(model_.batch_sizes, ElementsAre(2, 1, 2));

  EXPECT_EQ(summary_.modalities[Modality::kImage].indexed, 2);
  EXPECT_EQ(summary_.modalities[Modality::kImage].vectors, 2);
  EXPECT_EQ(summary_.modalities[Modality::kAudio].indexed, 1);
  EXPECT_EQ(summary_.modalities[Modality::kAudio].vectors, 3);
  EXPECT_GE(summary_.stages.encode, 0.0);

  ASSERT_OK_AND_ASSIGN(std::optional<store::ItemRecord> audio, store_->GetItem("id-long.wav"));
  ASSERT_TRUE(audio.has_value());
  ASSERT_THAT(audio->vector_ids, SizeIs(3));
  ASSERT_OK_AND_ASSIGN(std::optional<store::VectorRecord> third,
                       store_->GetVector(audio->vector_ids[2]));
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->item_id, "id-long.wav");
  EXPECT_DOUBLE_EQ(third->start_seconds, 2.0);
  EXPECT_DOUBLE_EQ(third->end_seconds, 3.0);
  EXPECT_THAT(third->values, ElementsAre(3.0f, 1.0f));
}

TEST_F(IndexerBatchCommitterTest, AnEncoderErrorFailsTheQueuedItemsAndTheRunGoesOn) {
  BatchCommitter committer(model_, *store_, /*batch_size=*/8, summary_);
  ASSERT_OK(committer.Add(Ready(Modality::kText, "a.txt", {1})));
  ASSERT_OK(committer.Add(Ready(Modality::kText, "b.txt", {2})));
  model_.fail = true;
  ASSERT_OK(committer.FlushAll());
  EXPECT_EQ(summary_.modalities[Modality::kText].failed, 2);
  EXPECT_EQ(summary_.modalities[Modality::kText].indexed, 0);
  ASSERT_THAT(summary_.failures, SizeIs(2));
  EXPECT_EQ(summary_.failures[0].uri, "/data/a.txt");
  EXPECT_EQ(summary_.failures[0].reason, "cannot encode text: the encoder broke");
  ASSERT_OK_AND_ASSIGN(std::vector<store::FailureRecord> stored, store_->ListFailures());
  EXPECT_THAT(stored, SizeIs(2));
  ASSERT_OK_AND_ASSIGN(bool has, store_->HasItem("id-a.txt"));
  EXPECT_FALSE(has);

  model_.fail = false;  // a later success clears the failure record
  ASSERT_OK(committer.Add(Ready(Modality::kText, "a.txt", {1})));
  ASSERT_OK(committer.FlushAll());
  ASSERT_OK_AND_ASSIGN(stored, store_->ListFailures());
  ASSERT_THAT(stored, SizeIs(1));
  EXPECT_EQ(stored[0].source_uri, "/data/b.txt");
}

TEST(IndexerRecordFailureTest, StoresAndCounts) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Store> s,
                       store::Store::Open(TestDir("record_failure") + "/db", {}));
  IndexSummary summary;
  ASSERT_OK(RecordFailure(*s, summary, std::nullopt, "/m.jsonl#L2", "not valid JSON"));
  EXPECT_EQ(summary.failed_total, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<store::FailureRecord> stored, s->ListFailures());
  ASSERT_THAT(stored, SizeIs(1));
  EXPECT_EQ(stored[0].reason, "not valid JSON");
  EXPECT_THAT(stored[0].source_uri, HasSubstr("#L2"));
}

}  // namespace
}  // namespace xmodal::indexer
