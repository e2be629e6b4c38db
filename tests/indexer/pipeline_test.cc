#include "indexer/pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/base/file_util.h"
#include "core/base/float_matrix.h"
#include "core/engine/collection.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"
#include "indexer/sources.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/indexer/test_corpus.h"
#include "tests/indexer/test_files.h"

namespace xmodal::indexer {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::xmodal::indexer::testing::TestDir;
using ::xmodal::indexer::testing::WriteBrokenFiles;
using ::xmodal::indexer::testing::WriteColourCorpus;
using ::xmodal::indexer::testing::WriteTestFile;
using ::xmodal::testing::StatusIs;

// What the store holds after a run, keyed by source URI.
struct Contents {
  std::map<std::string, store::ItemRecord> items;
  std::map<std::string, std::vector<store::VectorRecord>> vectors;  // by item id
  std::vector<store::FailureRecord> failures;
  int64_t vector_count = 0;
};

class IndexerPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = TestDir("pipeline");
    model_dir_ = root_ + "/model";
    corpus_ = root_ + "/corpus";
    ASSERT_OK(xmodal::testing::WriteToyModelPackage(model_dir_));
    WriteColourCorpus(corpus_);
  }

  IndexerOptions Options() const {
    IndexerOptions o;
    o.collection_dir = root_ + "/collection";
    o.model_dir = model_dir_;
    o.paths = {corpus_};
    o.batch_size = 2;  // several batches per modality
    o.threads = 2;
    return o;
  }

  Contents Read() const {
    Contents c;
    absl::StatusOr<model::ModelPin> pin = model::ComputeModelPin(model_dir_);
    EXPECT_OK(pin);
    auto collection = engine::Collection::Open(root_ + "/collection", *pin, {});
    EXPECT_OK(collection);
    const store::Store& s = (*collection)->store();
    EXPECT_OK(s.ForEachItem([&](const store::ItemRecord& item) {
      c.items[item.source_uri] = item;
      return absl::OkStatus();
    }));
    for (Modality m : kAllModalities) {
      EXPECT_OK(s.ForEachVector(m, [&](const store::VectorRecord& v) {
        c.vectors[v.item_id].push_back(v);
        ++c.vector_count;
        return absl::OkStatus();
      }));
    }
    absl::StatusOr<std::vector<store::FailureRecord>> failures = s.ListFailures();
    EXPECT_OK(failures);
    if (failures.ok()) c.failures = *failures;
    return c;
  }

  std::string root_, model_dir_, corpus_;
};

TEST_F(IndexerPipelineTest, IndexesEverythingWithGroupsAndAudioSegments) {
  ASSERT_OK_AND_ASSIGN(IndexSummary s, RunIndexer(Options(), nullptr));
  EXPECT_EQ(s.items_total, 8);
  EXPECT_EQ(s.ignored_files, 1);  // notes.md; .hidden.png is skipped, not counted
  EXPECT_EQ(s.failed_total, 0);
  EXPECT_EQ(s.modalities[Modality::kImage].indexed, 3);
  EXPECT_EQ(s.modalities[Modality::kText].indexed, 3);
  EXPECT_EQ(s.modalities[Modality::kAudio].indexed, 2);
  EXPECT_EQ(s.modalities[Modality::kImage].vectors, 3);
  EXPECT_EQ(s.modalities[Modality::kAudio].vectors, 5);
  EXPECT_EQ(ExitCodeFor(s), 0);
  EXPECT_TRUE(s.published);
  EXPECT_EQ(s.generation, 1);
  EXPECT_EQ(s.index_vectors[Modality::kText], 3);
  EXPECT_EQ(s.index_vectors[Modality::kAudio], 5);

  const Contents c = Read();
  ASSERT_THAT(c.items, SizeIs(8));
  EXPECT_EQ(c.vector_count, 11);
  const store::ItemRecord& red_png = c.items.at(corpus_ + "/red.png");
  const store::ItemRecord& red_txt = c.items.at(corpus_ + "/red.txt");
  const store::ItemRecord& red_wav = c.items.at(corpus_ + "/red.wav");
  EXPECT_EQ(red_png.group_id, FileGroupId(corpus_, "red"));
  EXPECT_EQ(red_txt.group_id, red_png.group_id);
  EXPECT_EQ(red_wav.group_id, red_png.group_id);
  EXPECT_NE(c.items.at(corpus_ + "/blue.png").group_id, red_png.group_id);
  EXPECT_EQ(red_txt.text, "red car");
  EXPECT_EQ(red_txt.size_bytes, 12);
  EXPECT_EQ(red_png.modality, Modality::kImage);
  EXPECT_EQ(red_png.id.size(), 32u);
  EXPECT_EQ(red_png.content_sha256.size(), 64u);
  EXPECT_NEAR(red_wav.duration_seconds, 2.5, 1e-3);

  // Audio: one vector per second of audio, the last one partial.
  const std::vector<store::VectorRecord>& segments = c.vectors.at(red_wav.id);
  ASSERT_THAT(segments, SizeIs(3));
  EXPECT_DOUBLE_EQ(segments[0].start_seconds, 0.0);
  EXPECT_DOUBLE_EQ(segments[0].end_seconds, 1.0);
  EXPECT_DOUBLE_EQ(segments[2].start_seconds, 2.0);
  EXPECT_NEAR(segments[2].end_seconds, 2.5, 1e-3);
  EXPECT_THAT(c.vectors.at(c.items.at(corpus_ + "/blue.ogg").id), SizeIs(2));

  // The vectors land on the right items: red things agree, red and blue do not.
  const auto& red_image = c.vectors.at(red_png.id)[0].values;
  const auto& red_text = c.vectors.at(red_txt.id)[0].values;
  const auto& blue_image = c.vectors.at(c.items.at(corpus_ + "/blue.png").id)[0].values;
  EXPECT_GT(Dot(red_image, red_text), 0.9f);
  EXPECT_GT(Dot(red_image, segments[0].values), 0.5f);
  EXPECT_LT(Dot(red_image, blue_image), 0.2f);

  ASSERT_OK_AND_ASSIGN(engine::CollectionManifest manifest,
                       engine::Collection::ReadManifest(root_ + "/collection"));
  EXPECT_EQ(manifest.generation, 1);
  EXPECT_EQ(manifest.model_dir, model_dir_);
}

TEST_F(IndexerPipelineTest, BrokenFilesAreFailuresAndTheRestIsIndexed) {
  WriteBrokenFiles(corpus_);
  ASSERT_OK_AND_ASSIGN(IndexSummary s, RunIndexer(Options(), nullptr));
  EXPECT_EQ(s.failed_total, 2);
  EXPECT_EQ(s.modalities[Modality::kImage].failed, 1);
  EXPECT_EQ(s.modalities[Modality::kAudio].failed, 1);
  EXPECT_EQ(s.modalities[Modality::kImage].indexed, 3);
  EXPECT_EQ(s.modalities[Modality::kAudio].indexed, 2);
  EXPECT_EQ(ExitCodeFor(s), 1);
  EXPECT_TRUE(s.published);
  ASSERT_THAT(s.failures, SizeIs(2));
  EXPECT_EQ(s.failures[0].uri, corpus_ + "/broken.png");
  EXPECT_THAT(s.failures[0].reason, HasSubstr("cannot decode image"));
  EXPECT_EQ(s.failures[1].uri, corpus_ + "/broken.wav");
  EXPECT_THAT(s.failures[1].reason, HasSubstr("cannot decode audio"));

  const Contents c = Read();
  EXPECT_THAT(c.items, SizeIs(8));
  ASSERT_THAT(c.failures, SizeIs(2));
  std::vector<std::string> uris = {c.failures[0].source_uri, c.failures[1].source_uri};
  EXPECT_THAT(uris,
              ::testing::UnorderedElementsAre(corpus_ + "/broken.png", corpus_ + "/broken.wav"));
  EXPECT_GT(c.failures[0].unix_seconds, 0);
}

TEST_F(IndexerPipelineTest, SecondRunEmbedsNothing) {
  ASSERT_OK_AND_ASSIGN(IndexSummary first, RunIndexer(Options(), nullptr));
  ASSERT_EQ(first.Totals().vectors, 11);
  // A copy of a file under another name is the same content: unchanged too.
  WriteTestFile(corpus_, "copy/red-again.png", xmodal::indexer::testing::SolidPng(255, 0, 0));
  ASSERT_OK_AND_ASSIGN(IndexSummary second, RunIndexer(Options(), nullptr));
  EXPECT_EQ(second.Totals().indexed, 0);
  EXPECT_EQ(second.Totals().vectors, 0);
  EXPECT_EQ(second.modalities[Modality::kImage].unchanged, 4);
  EXPECT_EQ(second.modalities[Modality::kText].unchanged, 3);
  EXPECT_EQ(second.modalities[Modality::kAudio].unchanged, 2);
  EXPECT_EQ(second.failed_total, 0);
  EXPECT_FALSE(second.published);
  EXPECT_EQ(second.generation, 1);
  EXPECT_EQ(second.index_vectors[Modality::kAudio], 5);
  EXPECT_EQ(Read().vector_count, 11);
}

TEST_F(IndexerPipelineTest, NewContentPublishesTheNextGeneration) {
  ASSERT_OK(RunIndexer(Options(), nullptr));
  WriteTestFile(corpus_, "more/purple.png", xmodal::indexer::testing::SolidPng(128, 0, 128));
  ASSERT_OK_AND_ASSIGN(IndexSummary s, RunIndexer(Options(), nullptr));
  EXPECT_EQ(s.modalities[Modality::kImage].indexed, 1);
  EXPECT_TRUE(s.published);
  EXPECT_EQ(s.generation, 2);
  EXPECT_EQ(s.index_vectors[Modality::kImage], 4);
}

TEST_F(IndexerPipelineTest, DuplicateContentInOneRunIsEmbeddedOnce) {
  WriteTestFile(corpus_, "dup/red.png", xmodal::indexer::testing::SolidPng(255, 0, 0));
  WriteTestFile(corpus_, "dup/spaces.txt", "red \t car");  // normalises to "red car"
  ASSERT_OK_AND_ASSIGN(IndexSummary s, RunIndexer(Options(), nullptr));
  EXPECT_EQ(s.modalities[Modality::kImage].indexed, 3);
  EXPECT_EQ(s.modalities[Modality::kImage].unchanged, 1);
  EXPECT_EQ(s.modalities[Modality::kText].indexed, 3);
  EXPECT_EQ(s.modalities[Modality::kText].unchanged, 1);
  // The first one in path order wins the source URI.
  EXPECT_EQ(Read().items.count(corpus_ + "/dup/red.png"), 1u);
}

TEST_F(IndexerPipelineTest, ManifestItemsWithMetadataGroupsAndBadLines) {
  const std::string manifest = WriteTestFile(root_, "list.jsonl",
                                             "{\"path\": \"corpus/red.png\", \"group\": \"r\", "
                                             "\"metadata\": {\"colour\": \"red\"}}\n"
                                             "{\"text\": \"  rouge  \", \"group\": \"r\"}\n"
                                             "{\"text\": 5}\n"
                                             "{\"text\": \"   \"}\n");
  IndexerOptions o = Options();
  o.paths.clear();
  o.manifests = {manifest};
  ASSERT_OK_AND_ASSIGN(IndexSummary s, RunIndexer(o, nullptr));
  EXPECT_EQ(s.modalities[Modality::kImage].indexed, 1);
  EXPECT_EQ(s.modalities[Modality::kText].indexed, 1);
  EXPECT_EQ(s.failed_total, 2);
  ASSERT_THAT(s.failures, SizeIs(2));
  EXPECT_EQ(s.failures[0].uri, manifest + "#L3");  // enumeration failures come first
  EXPECT_EQ(s.failures[0].reason, "\"text\" must be a string");
  EXPECT_EQ(s.failures[1].uri, manifest + "#L4");
  EXPECT_THAT(s.failures[1].reason, HasSubstr("cannot prepare text"));

  const Contents c = Read();
  const store::ItemRecord& image = c.items.at(root_ + "/corpus/red.png");
  const store::ItemRecord& text = c.items.at(manifest + "#L2");
  EXPECT_EQ(image.metadata.at("colour"), "red");
  EXPECT_EQ(image.group_id, ManifestGroupId("r"));
  EXPECT_EQ(text.group_id, image.group_id);
  EXPECT_EQ(text.text, "rouge");
}

TEST_F(IndexerPipelineTest, ModalitiesTheModelLacksAreFailures) {
  ASSERT_OK_AND_ASSIGN(std::string json, ReadFile(model_dir_ + "/model.json"));
  ASSERT_OK_AND_ASSIGN(model::ModelManifest manifest, model::ModelManifest::Parse(json));
  manifest.audio.reset();
  ASSERT_OK(WriteFileAtomically(model_dir_ + "/model.json", manifest.ToJson()));
  ASSERT_OK_AND_ASSIGN(IndexSummary s, RunIndexer(Options(), nullptr));
  EXPECT_EQ(s.modalities[Modality::kAudio].failed, 2);
  EXPECT_EQ(s.modalities[Modality::kImage].indexed, 3);
  ASSERT_THAT(s.failures, SizeIs(2));
  EXPECT_EQ(s.failures[0].reason, "the model 'toy-rgb' does not encode audio");
}

TEST_F(IndexerPipelineTest, AnotherModelIsRefusedWithFailedPrecondition) {
  ASSERT_OK(RunIndexer(Options(), nullptr));
  const std::string other = root_ + "/other-model";
  ASSERT_OK(xmodal::testing::WriteToyModelPackage(other, {.name = "toy-other"}));
  IndexerOptions o = Options();
  o.model_dir = other;
  EXPECT_THAT(RunIndexer(o, nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("toy-rgb"), HasSubstr("toy-other"))));
}

TEST_F(IndexerPipelineTest, FatalErrors) {
  IndexerOptions o = Options();
  o.batch_size = 0;
  EXPECT_THAT(RunIndexer(o, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("batch size 0")));
  o = Options();
  o.model_dir = root_ + "/no-model";
  EXPECT_THAT(RunIndexer(o, nullptr), StatusIs(absl::StatusCode::kNotFound, ::testing::_));
  o = Options();
  o.paths = {root_ + "/no-such-folder"};
  EXPECT_THAT(RunIndexer(o, nullptr),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no-such-folder")));
  o = Options();
  o.manifests = {root_ + "/no-such.jsonl"};
  EXPECT_THAT(RunIndexer(o, nullptr),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no-such.jsonl")));
  // Checked before anything is created.
  EXPECT_FALSE(std::filesystem::exists(o.collection_dir));
}

TEST_F(IndexerPipelineTest, AnExplicitFactoryIsUsedAndChangingItRepublishes) {
  ASSERT_OK_AND_ASSIGN(IndexSummary first, RunIndexer(Options(), nullptr));
  EXPECT_EQ(first.generation, 1);
  IndexerOptions o = Options();
  o.index_factory = "HNSW32";
  ASSERT_OK_AND_ASSIGN(IndexSummary second, RunIndexer(o, nullptr));
  EXPECT_TRUE(second.published);
  EXPECT_EQ(second.generation, 2);
  ASSERT_OK_AND_ASSIGN(engine::CollectionManifest manifest,
                       engine::Collection::ReadManifest(root_ + "/collection"));
  ASSERT_THAT(manifest.indexes, SizeIs(3));
  for (const engine::PublishedIndex& index : manifest.indexes) EXPECT_EQ(index.factory, "HNSW32");
  ASSERT_OK_AND_ASSIGN(IndexSummary third, RunIndexer(o, nullptr));
  EXPECT_FALSE(third.published);
  EXPECT_EQ(third.generation, 2);
}

TEST_F(IndexerPipelineTest, ReportsProgressToTheSink) {
  class Recorder : public ProgressSink {
   public:
    void Items(const ProgressState& s) override {
      last = s;
      ++items_calls;
    }
    void ItemsDone(const ProgressState& s) override { done = s; }
    void IndexBuild(Modality, int64_t d, int64_t t) override { built += (d == t); }
    ProgressState last, done;
    int items_calls = 0, built = 0;
  } recorder;
  WriteBrokenFiles(corpus_);
  ASSERT_OK(RunIndexer(Options(), &recorder));
  EXPECT_EQ(recorder.items_calls, 10);
  EXPECT_EQ(recorder.done.done, 10);
  EXPECT_EQ(recorder.done.total, 10);
  EXPECT_EQ(recorder.done.failed, 2);
  EXPECT_GE(recorder.built, 3);  // each modality's index finished
}

}  // namespace
}  // namespace xmodal::indexer
