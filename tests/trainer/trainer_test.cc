// xmodal-train end to end on a slice of the real stamp corpus (skipped when
// tuxpaint-stamps-default is not installed): a tiny model trains for a few steps, its loss
// falls, and the package it writes loads, indexes a few stamps and answers a text search
// through the real server.
#include "trainer/train/trainer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>

#include "client/client.h"
#include "core/base/file_util.h"
#include "core/model/model.h"
#include "indexer/pipeline.h"
#include "server/server.h"
#include "testing/status_matchers.h"
#include "trainer/corpus/stamp_corpus.h"

namespace xmodal::train {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

constexpr int kStamps = 12;

TrainOptions TinyOptions(const std::string& out) {
  TrainOptions o;
  o.out_dir = out;
  o.limit = kStamps;
  o.steps = 30;
  o.batch = 12;
  o.sound_batch = 4;
  o.threads = 2;
  o.lr = 3e-3;
  o.log_every = 10;
  o.config = TinyConfig();
  o.command_line = "trainer_test";
  return o;
}

double Mean(const std::vector<double>& v, size_t from, size_t to) {
  return std::accumulate(v.begin() + from, v.begin() + to, 0.0) / static_cast<double>(to - from);
}

TEST(TrainerTest, ValidateRejectsBadOptions) {
  TrainOptions o = TinyOptions("/tmp/x");
  EXPECT_OK(ValidateTrainOptions(o));
  o.out_dir.clear();
  EXPECT_THAT(ValidateTrainOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--out is required")));
  o = TinyOptions("/tmp/x");
  o.steps = 0;
  EXPECT_THAT(ValidateTrainOptions(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                                HasSubstr("give --steps N or --minutes M")));
  o = TinyOptions("/tmp/x");
  o.batch = 1;
  EXPECT_THAT(ValidateTrainOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--batch 1")));
  o = TinyOptions("/tmp/x");
  o.config.dim = 0;
  EXPECT_THAT(ValidateTrainOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("dim 0")));
}

TEST(TrainerTest, MissingCorpusIsNotFound) {
  TrainOptions o = TinyOptions("/tmp/never-written");
  o.corpus_dir = "/nonexistent/stamps";
  EXPECT_THAT(RunTraining(o, nullptr), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
}

// One test for the whole flow, so that the model is trained once.
TEST(TrainerTest, TinyModelLearnsAndItsPackageIsServed) {
  absl::StatusOr<corpus::StampCorpus> stamps = corpus::ReadStampCorpus();
  if (!stamps.ok()) GTEST_SKIP() << "the stamp corpus is not installed: " << stamps.status();
  ASSERT_OK_AND_ASSIGN(const std::string tmp, MakeTempDirectory("trainer_"));
  const std::string root = std::filesystem::canonical(tmp).string();
  const std::string model_dir = root + "/model";

  // Training: the loss falls.
  ASSERT_OK_AND_ASSIGN(const TrainResult result, RunTraining(TinyOptions(model_dir), stderr));
  ASSERT_EQ(result.steps_done, 30);
  ASSERT_EQ(result.losses.size(), 30u);
  EXPECT_LT(Mean(result.losses, 25, 30), 0.8 * Mean(result.losses, 0, 5));
  EXPECT_LT(result.fixed_loss_after, 0.8 * result.fixed_loss_before);
  for (const char* file :
       {"model.json", "text.pt", "image.pt", "audio.pt", "README.md", "training.json"}) {
    EXPECT_TRUE(std::filesystem::exists(model_dir + "/" + file)) << file;
  }
  ASSERT_OK_AND_ASSIGN(const std::string card, ReadFile(model_dir + "/README.md"));
  EXPECT_THAT(card, HasSubstr("trainer_test"));

  // The package loads.
  ASSERT_OK_AND_ASSIGN(const std::unique_ptr<model::Model> model, model::Model::Load(model_dir));
  EXPECT_EQ(model->pin().name, "xmodal-stamps-tiny");
  EXPECT_EQ(model->pin().embedding_dim, TinyConfig().dim);

  // Index the slice's PNG images and English descriptions through a JSONL manifest.
  std::string manifest;
  std::vector<std::string> images;
  stamps->stamps.resize(kStamps);
  for (const corpus::Stamp& s : stamps->stamps) {
    if (s.image_is_svg) continue;
    images.push_back(s.image_path);
    manifest += nlohmann::json({{"path", s.image_path}, {"group", s.name}}).dump() + "\n";
    manifest += nlohmann::json({{"text", s.descriptions[0].text}, {"group", s.name}}).dump() + "\n";
  }
  ASSERT_GE(images.size(), 2u);
  ASSERT_OK(WriteFileAtomically(root + "/stamps.jsonl", manifest));
  indexer::IndexerOptions index;
  index.collection_dir = root + "/collection";
  index.model_dir = model_dir;
  index.manifests = {root + "/stamps.jsonl"};
  index.threads = 2;
  ASSERT_OK_AND_ASSIGN(const indexer::IndexSummary summary, indexer::RunIndexer(index, nullptr));
  EXPECT_EQ(summary.failed_total, 0);

  // Serve it and search by text.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<server::Server> server,
                       server::Server::Start({.collection_dir = index.collection_dir,
                                              .listen = "127.0.0.1:0",
                                              .threads = 2,
                                              .reload_interval_seconds = 0}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<client::XmodalClient> client,
                       client::XmodalClient::Connect(server->address()));
  v1::SearchRequest request;
  request.mutable_query()->set_text(stamps->stamps[0].descriptions[0].text);
  request.add_targets(v1::MODALITY_IMAGE);
  request.set_k(3);
  ASSERT_OK_AND_ASSIGN(const v1::SearchResponse response, client->Search(request));
  ASSERT_EQ(response.hits_size(), 3);
  for (const v1::Hit& hit : response.hits()) {
    EXPECT_EQ(hit.modality(), v1::MODALITY_IMAGE);
    EXPECT_NE(std::find(images.begin(), images.end(), hit.source_uri()), images.end())
        << hit.source_uri();
  }
  server->Shutdown();
}

}  // namespace
}  // namespace xmodal::train
