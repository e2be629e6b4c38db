// End-to-end tests of `xmodal-eval queries` (trainer/eval/collection_eval.h): the toy-rgb model
// (testing/toy_model.h) indexes a small labelled corpus with the real indexer, and a queries
// file whose answers are known is scored. The toy model maps a text to the axis of its first
// letter (r, g, b) and an image to its mean colour, so "red" finds red.png first (0.999) and
// purple.png second (0.707); a 300 Hz tone lands on the red axis.
#include "trainer/eval/collection_eval.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "core/base/file_util.h"
#include "core/store/store.h"
#include "indexer/pipeline.h"
#include "testing/status_matchers.h"
#include "testing/toy_model.h"
#include "tests/corpus/fake_stamp_tree.h"

namespace xmodal::eval {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::SolidImage;
using ::xmodal::testing::StatusIs;
using ::xmodal::testing::Tone;
using ::xmodal::testing::WriteAudioAt;
using ::xmodal::testing::WriteFileAt;
using ::xmodal::testing::WritePngAt;

constexpr double kEps = 1e-9;
constexpr double kInvLog2Of3 = 0.6309297535714575;  // the nDCG discount at rank 2

// Reads everything written to a tmpfile().
std::string ReadBack(std::FILE* f) {
  std::string text;
  std::rewind(f);
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  return text;
}

class CollectionEvalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new std::string(
        std::filesystem::canonical(*MakeTempDirectory("collection_eval_")).string());
    const std::string& root = *root_;
    ASSERT_OK(testing::WriteToyModelPackage(root + "/model"));
    ASSERT_OK(WritePngAt(root, "corpus/images/red.png", SolidImage(16, 16, 255, 0, 0)));
    ASSERT_OK(WritePngAt(root, "corpus/images/green.png", SolidImage(16, 16, 0, 255, 0)));
    ASSERT_OK(WritePngAt(root, "corpus/images/blue.png", SolidImage(16, 16, 0, 0, 255)));
    ASSERT_OK(WritePngAt(root, "corpus/images/purple.png", SolidImage(16, 16, 255, 0, 255)));
    ASSERT_OK(WriteFileAt(root, "corpus/texts/red.txt", "red apple\n"));
    ASSERT_OK(WriteFileAt(root, "corpus/texts/green.txt", "green leaf\n"));
    ASSERT_OK(WriteFileAt(root, "corpus/texts/blue.txt", "blue sky\n"));
    ASSERT_OK(WriteAudioAt(root, "corpus/sounds/low.wav", Tone(300, 2.0, 16000)));
    indexer::IndexerOptions index;
    index.collection_dir = root + "/collection";
    index.model_dir = root + "/model";
    index.paths = {root + "/corpus"};
    index.threads = 2;
    ASSERT_OK(indexer::RunIndexer(index, nullptr).status());

    ASSERT_OK(WritePngAt(root, "queries/media/red_query.png", SolidImage(8, 8, 250, 10, 0)));
    ASSERT_OK(WriteAudioAt(root, "queries/media/low.wav", Tone(300, 1.5, 16000)));
    ASSERT_OK(WriteFileAt(root, "queries/media/garbage.png", "not a png"));
    ASSERT_OK(WriteFileAt(root, "queries/q.jsonl", QueriesFile(GreenTextId())));
  }
  static void TearDownTestSuite() { delete root_; }

  // The id of "green leaf", as `xmodal search` prints it.
  static std::string GreenTextId() {
    std::string id;
    auto store = store::Store::Open(*root_ + "/collection/db",
                                    {.create_if_missing = false, .read_only = true});
    EXPECT_OK(store.status());
    if (!store.ok()) return id;
    EXPECT_OK((*store)->ForEachItem([&](const store::ItemRecord& item) {
      if (item.text == "green leaf") id = item.id;
      return absl::OkStatus();
    }));
    EXPECT_EQ(id.size(), 32u);
    return id;
  }

  static std::string QueriesFile(const std::string& green_id) {
    return absl::StrCat(
        "# line 1: a comment; relevant paths are relative to this file's directory\n",
        R"({"id": "red-image", "text": "red", "target": "image", "relevant": ["../corpus/images/red.png"]})",
        "\n",
        R"({"id": "blue-image", "text": "blue", "target": "image", "relevant": ["../corpus/images/blue.png"]})",
        "\n\n",  // line 4: blank
        R"({"id": "purple-second", "text": "red", "target": "image", "relevant": ["../corpus/images/purple.png"]})",
        "\n",
        R"({"id": "graded", "text": "red", "target": "image", "relevant": {"../corpus/images/red.png": 1, "../corpus/images/purple.png": 2}})",
        "\n",
        // A deliberately wrong label: a text item is never among image hits.
        R"({"id": "wrong-label", "text": "green", "target": "image", "relevant": ["../corpus/texts/green.txt"]})",
        "\n",
        R"({"id": "missing", "text": "red", "target": "image", "relevant": ["../corpus/images/red.png", "../corpus/images/nope.png"]})",
        "\n", R"({"id": "by-id", "text": "green", "target": "text", "relevant": [")", green_id,
        R"("]})", "\n",
        R"({"id": "image-to-text", "image": "media/red_query.png", "target": "text", "relevant": [")",
        *root_, R"(/corpus/texts/red.txt"]})", "\n",
        R"({"id": "audio", "audio": "media/low.wav", "target": "image", "relevant": ["../corpus/images/red.png"]})",
        "\n", R"({"id": "untargeted", "text": "blue", "relevant": ["../corpus/texts/blue.txt"]})",
        "\n",
        R"({"id": "unreadable", "image": "media/missing.png", "relevant": ["../corpus/images/red.png"]})",
        "\n",
        R"({"id": "undecodable", "image": "media/garbage.png", "relevant": ["../corpus/images/red.png"]})",
        "\n");
  }

  static CollectionEvalOptions Options() {
    CollectionEvalOptions o;
    o.collection_dir = *root_ + "/collection";
    o.model_dir = *root_ + "/model";
    o.queries_path = *root_ + "/queries/q.jsonl";
    o.threads = 2;
    return o;
  }

  static const ScoredQuery& Query(const CollectionEvalReport& r, const std::string& id) {
    for (const ScoredQuery& q : r.queries) {
      if (q.id == id) return q;
    }
    ADD_FAILURE() << "no scored query " << id;
    return r.queries.front();
  }

  static const ScopeResult& Scope(const std::vector<ScopeResult>& scopes, const std::string& name) {
    for (const ScopeResult& s : scopes) {
      if (s.name == name) return s;
    }
    ADD_FAILURE() << "no scope " << name;
    return scopes.front();
  }

  inline static std::string* root_ = nullptr;
};

TEST_F(CollectionEvalTest, ScoresEachQueryAsExpected) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> progress(std::tmpfile(), &std::fclose);
  ASSERT_OK_AND_ASSIGN(CollectionEvalReport r, RunCollectionEval(Options(), progress.get()));
  EXPECT_EQ(r.model_name, "toy-rgb");
  EXPECT_EQ(r.model_version, "1");
  EXPECT_EQ(r.collection_dir, *root_ + "/collection");
  EXPECT_GE(r.generation, 1);
  EXPECT_EQ(r.items[Modality::kImage], 4);
  EXPECT_EQ(r.items[Modality::kText], 3);
  EXPECT_EQ(r.items[Modality::kAudio], 1);
  EXPECT_EQ(r.depth, 10);
  EXPECT_TRUE(r.graded);
  ASSERT_EQ(r.queries.size(), 10u);

  for (const char* id :
       {"red-image", "blue-image", "by-id", "image-to-text", "audio", "untargeted"}) {
    const ScoredQuery& q = Query(r, id);
    EXPECT_EQ(q.scores.first_relevant_rank, 1) << id;
    EXPECT_NEAR(q.scores.reciprocal_rank, 1.0, kEps) << id;
    EXPECT_NEAR(q.scores.ndcg10, 1.0, kEps) << id;
  }
  const ScoredQuery& purple = Query(r, "purple-second");
  EXPECT_EQ(purple.line, 5);
  EXPECT_EQ(purple.scores.first_relevant_rank, 2);
  EXPECT_NEAR(purple.scores.reciprocal_rank, 0.5, kEps);
  EXPECT_NEAR(purple.scores.ndcg10, kInvLog2Of3, kEps);
  // Hits red (grade 1), purple (grade 2): (1 + 2/log2 3) / (2 + 1/log2 3).
  EXPECT_NEAR(Query(r, "graded").scores.ndcg10, 0.8597186998521972, 1e-6);
  const ScoredQuery& wrong = Query(r, "wrong-label");
  EXPECT_EQ(wrong.scores.first_relevant_rank, kNotFound);
  EXPECT_EQ(wrong.scores.reciprocal_rank, 0.0);
  EXPECT_EQ(wrong.scores.ndcg10, 0.0);
  // nope.png is relevant but not indexed: found red.png at 1, ideal DCG 1 + 1/log2 3.
  const ScoredQuery& missing = Query(r, "missing");
  EXPECT_EQ(missing.relevant, 2);
  EXPECT_EQ(missing.missing_relevant, 1);
  EXPECT_EQ(missing.scores.first_relevant_rank, 1);
  EXPECT_NEAR(missing.scores.ndcg10, 1 / (1 + kInvLog2Of3), kEps);

  ASSERT_EQ(r.missing_relevant.size(), 1u);
  EXPECT_EQ(r.missing_relevant[0].line, 8);
  EXPECT_EQ(r.missing_relevant[0].ref, "../corpus/images/nope.png");
  EXPECT_THAT(ReadBack(progress.get()),
              HasSubstr("q.jsonl:8: relevant '../corpus/images/nope.png' is not in the "
                        "collection"));

  ASSERT_EQ(r.failures.size(), 2u);
  EXPECT_EQ(r.failures[0].line, 13);
  EXPECT_EQ(r.failures[0].id, "unreadable");
  EXPECT_THAT(r.failures[0].reason,
              HasSubstr("cannot read '" + *root_ + "/queries/media/missing.png'"));
  EXPECT_EQ(r.failures[1].line, 14);
  EXPECT_EQ(r.failures[1].kind, Modality::kImage);
  EXPECT_FALSE(r.failures[1].reason.empty());
}

TEST_F(CollectionEvalTest, MetricsPerKindAndTarget) {
  ASSERT_OK_AND_ASSIGN(CollectionEvalReport r, RunCollectionEval(Options(), nullptr));
  const ReportScopes s = SummariseScopes(r);
  EXPECT_EQ(s.overall.metrics.queries, 10);
  EXPECT_EQ(s.overall.failures, 2);
  // Text: ranks 1, 1, 2, 1, none, 1, 1, 1.
  const ScopeResult& text = Scope(s.per_kind, "text");
  EXPECT_EQ(text.metrics.queries, 8);
  EXPECT_NEAR(text.metrics.recall.r1, 6.0 / 8, kEps);
  EXPECT_NEAR(text.metrics.recall.r5, 7.0 / 8, kEps);
  EXPECT_NEAR(text.metrics.recall.r10, 7.0 / 8, kEps);
  EXPECT_NEAR(text.metrics.mrr, 6.5 / 8, kEps);
  // nDCG 1 for red-image, blue-image, by-id and untargeted; 0 for wrong-label.
  EXPECT_NEAR(text.metrics.ndcg10,
              (4 + kInvLog2Of3 + 0.8597186998521972 + 1 / (1 + kInvLog2Of3)) / 8, 1e-6);
  const ScopeResult& image = Scope(s.per_kind, "image");
  EXPECT_EQ(image.metrics.queries, 1);
  EXPECT_EQ(image.failures, 2);
  EXPECT_NEAR(image.metrics.recall.r1, 1.0, kEps);
  const ScopeResult& audio = Scope(s.per_kind, "audio");
  EXPECT_EQ(audio.metrics.queries, 1);
  EXPECT_NEAR(audio.metrics.mrr, 1.0, kEps);

  const ScopeResult& text_to_image = Scope(s.per_target, "text_to_image");
  EXPECT_EQ(text_to_image.metrics.queries, 6);
  EXPECT_NEAR(text_to_image.metrics.recall.r1, 4.0 / 6, kEps);
  EXPECT_NEAR(text_to_image.metrics.recall.r10, 5.0 / 6, kEps);
  EXPECT_NEAR(text_to_image.metrics.mrr, 4.5 / 6, kEps);
  EXPECT_EQ(Scope(s.per_target, "text_to_any").metrics.queries, 1);
  EXPECT_EQ(Scope(s.per_target, "image_to_any").failures, 2);
}

TEST_F(CollectionEvalTest, ExtraKIsReported) {
  CollectionEvalOptions o = Options();
  o.k = 2;
  ASSERT_OK_AND_ASSIGN(CollectionEvalReport r, RunCollectionEval(o, nullptr));
  EXPECT_EQ(r.depth, 10);
  const RankingMetrics m = SummariseScopes(r).overall.metrics;
  EXPECT_EQ(m.extra_k, 2);
  EXPECT_NEAR(m.recall_extra_k, 9.0 / 10, kEps);  // all but the wrong label
  EXPECT_THAT(CollectionReportToJson(r)["overall"].dump(), HasSubstr("\"recall@2\":0.9"));
}

TEST_F(CollectionEvalTest, AnotherModelIsRefusedNamingBoth) {
  ASSERT_OK(testing::WriteToyModelPackage(*root_ + "/model2", {.name = "toy-rgb", .version = "2"}));
  CollectionEvalOptions o = Options();
  o.model_dir = *root_ + "/model2";
  EXPECT_THAT(RunCollectionEval(o, nullptr),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       ::testing::AllOf(HasSubstr("was built with model toy-rgb 1"),
                                        HasSubstr("with model toy-rgb 2"))));
}

TEST_F(CollectionEvalTest, BadQueriesFileNamesTheLine) {
  ASSERT_OK(WriteFileAt(*root_, "queries/bad.jsonl",
                        "{\"text\": \"red\", \"relevant\": [\"x\"]}\n{\"text\": \"red\"}\n"));
  CollectionEvalOptions o = Options();
  o.queries_path = *root_ + "/queries/bad.jsonl";
  EXPECT_THAT(RunCollectionEval(o, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bad.jsonl:2: the query has no \"relevant\" items")));
}

TEST_F(CollectionEvalTest, MissingCollectionAndBadOptions) {
  CollectionEvalOptions o = Options();
  o.collection_dir = *root_ + "/no-such-collection";
  EXPECT_THAT(RunCollectionEval(o, nullptr),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no collection at")));
  o = Options();
  o.k = 0;
  EXPECT_THAT(ValidateCollectionEvalOptions(o), StatusIs(absl::StatusCode::kInvalidArgument,
                                                         "--k must be between 1 and 1000, got 0"));
  o = Options();
  o.threads = -1;
  EXPECT_THAT(ValidateCollectionEvalOptions(o),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--threads")));
  o = Options();
  o.queries_path.clear();
  EXPECT_THAT(RunCollectionEval(o, nullptr),
              StatusIs(absl::StatusCode::kInvalidArgument, "--queries is empty"));
}

}  // namespace
}  // namespace xmodal::eval
