#include "core/engine/searcher.h"

#include <algorithm>

#include "core/base/file_util.h"
#include "core/media/image.h"
#include "testing/fake_model.h"
#include "testing/status_matchers.h"
#include "tests/engine/engine_test_util.h"

namespace xmodal::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::CommitTestItems;
using ::xmodal::testing::FakeModel;
using ::xmodal::testing::StatusIs;
using ::xmodal::testing::TestItem;
using ::xmodal::testing::VectorText;

std::vector<std::string> HitIds(const SearchResult& r) {
  std::vector<std::string> ids;
  for (const Hit& h : r.hits) ids.push_back(h.item.id);
  return ids;
}

class SearcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(dir_, MakeTempDirectory("searcher_"));
    ASSERT_OK_AND_ASSIGN(collection_, Collection::Open(dir_, model_->pin(), {}));
    ASSERT_OK(CommitTestItems(
        *collection_,
        {{"red-img", Modality::kImage, {1, 0, 0}, {{"colour", "red"}}, "/pics/red.png"},
         {"pink-img", Modality::kImage, {0.9f, 0.3f, 0.3f}, {{"colour", "red"}}, "/pics/pink.png"},
         {"green-img", Modality::kImage, {0, 1, 0}, {{"colour", "green"}}, "/other/g.png"},
         {"red-txt", Modality::kText, {1, 0.1f, 0}},
         {"blue-txt", Modality::kText, {0, 0, 1}}}));
    ASSERT_OK(collection_->BuildAndPublish({}).status());
  }

  Query TextQuery(const std::vector<float>& v, std::vector<Modality> targets, int k = 10) {
    Query q;
    q.input = {QueryInput::Kind::kText, VectorText(v)};
    q.targets = std::move(targets);
    q.k = k;
    return q;
  }

  std::string dir_;
  std::shared_ptr<FakeModel> model_ = std::make_shared<FakeModel>(3, "fake");
  std::unique_ptr<Collection> collection_;
};

TEST_F(SearcherTest, RanksByCosineAcrossTargetModalities) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  ASSERT_OK_AND_ASSIGN(SearchResult images,
                       searcher->Search(TextQuery({1, 0, 0}, {Modality::kImage})));
  EXPECT_THAT(HitIds(images), ElementsAre("red-img", "pink-img", "green-img"));
  EXPECT_NEAR(images.hits[0].score, 1.0f, 1e-5);
  EXPECT_EQ(images.hits[0].item.source_uri, "/pics/red.png");
  EXPECT_EQ(images.generation, 1);

  ASSERT_OK_AND_ASSIGN(SearchResult all, searcher->Search(TextQuery({0, 0, 1}, {}, 2)));
  EXPECT_THAT(HitIds(all), ElementsAre("blue-txt", "pink-img"));
}

TEST_F(SearcherTest, ItemQueryLeavesTheItemOut) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  Query q;
  q.input = {QueryInput::Kind::kItem, "red-img"};
  q.k = 2;
  ASSERT_OK_AND_ASSIGN(SearchResult r, searcher->Search(q));
  EXPECT_THAT(HitIds(r), ElementsAre("red-txt", "pink-img"));
}

TEST_F(SearcherTest, FiltersOnMetadataAndSource) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  Query q = TextQuery({0, 1, 0}, {Modality::kImage});
  q.metadata_equals = {{"colour", "red"}};
  ASSERT_OK_AND_ASSIGN(SearchResult r, searcher->Search(q));
  EXPECT_THAT(HitIds(r), ElementsAre("pink-img", "red-img"));
  q.metadata_equals.clear();
  q.source_prefix = "/other/";
  ASSERT_OK_AND_ASSIGN(r, searcher->Search(q));
  EXPECT_THAT(HitIds(r), ElementsAre("green-img"));
}

TEST_F(SearcherTest, ImageQueryIsDecodedAndEncoded) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  media::Image green{2, 2, std::vector<uint8_t>(12, 0)};
  for (int i = 0; i < 4; ++i) green.rgb[3 * i + 1] = 255;
  ASSERT_OK_AND_ASSIGN(std::string png, media::EncodePng(green));
  Query q;
  q.input = {QueryInput::Kind::kImage, png};
  q.k = 1;
  ASSERT_OK_AND_ASSIGN(SearchResult r, searcher->Search(q));
  EXPECT_THAT(HitIds(r), ElementsAre("green-img"));
}

// k is checked here, once, against the configured maximum (the server passes it through).
TEST_F(SearcherTest, ChecksKAgainstTheConfiguredMaximum) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_, {.max_k = 50}));
  EXPECT_THAT(searcher->Search(TextQuery({1, 0, 0}, {}, 60)),
              StatusIs(absl::StatusCode::kInvalidArgument, "k must be between 1 and 50, got 60"));
  EXPECT_OK(searcher->Search(TextQuery({1, 0, 0}, {}, 50)));
  const Query valid = TextQuery({1, 0, 0}, {}, 2);
  const Query too_big = TextQuery({1, 0, 0}, {}, 5000);
  const Query* batch[] = {&valid, &too_big};
  std::vector<absl::StatusOr<SearchResult>> results = searcher->SearchBatch(batch);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_OK(results[0]);
  EXPECT_THAT(results[1],
              StatusIs(absl::StatusCode::kInvalidArgument, "k must be between 1 and 50, got 5000"));
}

TEST_F(SearcherTest, BadQueriesGetClearErrors) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  EXPECT_THAT(searcher->Search(Query{}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("query is empty")));
  EXPECT_THAT(searcher->Search(TextQuery({1, 0, 0}, {}, 0)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("k must be between 1 and 1000, got 0")));
  EXPECT_THAT(searcher->Search(TextQuery({1, 0, 0}, {}, 1001)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 1001")));
  EXPECT_THAT(searcher->Search(TextQuery({1, 0, 0}, {Modality::kAudio})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'audio'")));
  Query item;
  item.input = {QueryInput::Kind::kItem, "nope"};
  EXPECT_THAT(searcher->Search(item), StatusIs(absl::StatusCode::kNotFound, HasSubstr("'nope'")));
  Query corrupt;
  corrupt.input = {QueryInput::Kind::kImage, "\x89PNG\r\n\x1a\n garbage"};
  EXPECT_EQ(searcher->Search(corrupt).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(searcher->Search(TextQuery({1, 0, 0}, {}), [] { return true; }),
              StatusIs(absl::StatusCode::kCancelled, HasSubstr("after waiting to be searched")));
  int checks = 0;
  EXPECT_THAT(searcher->Search(TextQuery({1, 0, 0}, {}), [&checks] { return ++checks > 1; }),
              StatusIs(absl::StatusCode::kCancelled, HasSubstr("after encode")));
  // The searcher still answers normally afterwards.
  EXPECT_OK(searcher->Search(TextQuery({1, 0, 0}, {})));
}

// A batch answers each query as Search alone does: the unfiltered ones share one pass over each
// index (with different k and targets), a filtered one and an item query are searched alongside,
// and a bad query or a cancelled one fails alone.
TEST_F(SearcherTest, BatchAnswersEachQueryAsSearchAloneDoes) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  std::vector<Query> queries = {TextQuery({1, 0, 0}, {Modality::kImage}),
                                TextQuery({0, 0, 1}, {}, 2),
                                TextQuery({1, 0.2f, 0}, {}, 1),
                                TextQuery({0, 1, 0}, {Modality::kImage}),
                                TextQuery({1, 0, 0}, {}, 0),  // bad k
                                TextQuery({1, 0, 0}, {})};    // cancelled
  queries[3].metadata_equals = {{"colour", "red"}};
  Query item;
  item.input = {QueryInput::Kind::kItem, "red-img"};
  item.k = 2;
  queries.push_back(item);
  std::vector<const Query*> pointers;
  std::vector<CancelCheck> cancelled;
  for (const Query& q : queries) {
    pointers.push_back(&q);
    cancelled.push_back([&q, &queries] { return &q == &queries[5]; });
  }

  const std::vector<absl::StatusOr<SearchResult>> batch =
      searcher->SearchBatch(pointers, cancelled);
  ASSERT_EQ(batch.size(), queries.size());
  EXPECT_THAT(batch[4], StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("k must be")));
  EXPECT_THAT(batch[5], StatusIs(absl::StatusCode::kCancelled, HasSubstr("cancelled")));
  for (size_t i : {0, 1, 2, 3, 6}) {
    ASSERT_OK(batch[i]) << "query " << i;
    ASSERT_OK_AND_ASSIGN(SearchResult alone, searcher->Search(queries[i]));
    EXPECT_EQ(HitIds(*batch[i]), HitIds(alone)) << "query " << i;
    for (size_t h = 0; h < alone.hits.size(); ++h) {
      EXPECT_FLOAT_EQ(batch[i]->hits[h].score, alone.hits[h].score) << "query " << i;
    }
  }
  EXPECT_THAT(HitIds(*batch[0]), ElementsAre("red-img", "pink-img", "green-img"));
  EXPECT_THAT(HitIds(*batch[1]), ElementsAre("blue-txt", "pink-img"));
  EXPECT_THAT(HitIds(*batch[3]), ElementsAre("pink-img", "red-img"));
  EXPECT_THAT(HitIds(*batch[6]), ElementsAre("red-txt", "pink-img"));
}

TEST_F(SearcherTest, BatchEncodesTheQueriesOfEachModalityInOneCall) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  std::vector<Query> queries = {TextQuery({1, 0, 0}, {}, 2), TextQuery({0, 1, 0}, {}, 2),
                                TextQuery({0, 0, 1}, {}, 2)};
  queries.push_back(queries[0]);
  queries.back().input.data = "not,a,vector";  // fails on its own
  Query item;
  item.input = {QueryInput::Kind::kItem, "red-img"};  // stored vectors: not encoded
  item.k = 2;
  queries.push_back(item);
  std::vector<const Query*> pointers;
  for (const Query& q : queries) pointers.push_back(&q);

  const int calls_before = model_->encode_calls();
  const int rows_before = model_->encoded_rows();
  const std::vector<absl::StatusOr<SearchResult>> batch = searcher->SearchBatch(pointers, {});
  EXPECT_EQ(model_->encode_calls() - calls_before, 1);
  EXPECT_EQ(model_->encoded_rows() - rows_before, 3);
  ASSERT_EQ(batch.size(), queries.size());
  EXPECT_THAT(batch[3], StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a vector")));
  for (size_t i : {0, 1, 2, 4}) {
    ASSERT_OK(batch[i]) << "query " << i;
    ASSERT_OK_AND_ASSIGN(SearchResult alone, searcher->Search(queries[i]));
    EXPECT_EQ(HitIds(*batch[i]), HitIds(alone)) << "query " << i;
  }
  EXPECT_THAT(HitIds(*batch[1]), ElementsAre("green-img", "pink-img"));
}

TEST_F(SearcherTest, GetItemAndInfo) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  ASSERT_OK_AND_ASSIGN(ItemWithBytes text, searcher->GetItem("red-txt", true));
  EXPECT_EQ(text.bytes, "text of red-txt");
  EXPECT_THAT(searcher->GetItem("missing", false),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing")));
  EXPECT_THAT(searcher->GetItem("red-img", true),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("/pics/red.png")));
  CollectionInfo info = searcher->GetInfo();
  EXPECT_EQ(info.generation, 1);
  EXPECT_EQ(info.vectors[Modality::kImage], 3);
  EXPECT_EQ(info.items[Modality::kText], 2);
  EXPECT_EQ(info.factories[Modality::kImage], "Flat");
}

TEST_F(SearcherTest, RefusesAnotherModelAndUnpublishedCollections) {
  auto other = std::make_shared<FakeModel>(3, "other");
  EXPECT_THAT(Searcher::Open(dir_, other),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("other")));
  ASSERT_OK_AND_ASSIGN(std::string empty_dir, MakeTempDirectory("searcher_empty_"));
  { ASSERT_OK(Collection::Open(empty_dir, model_->pin(), {}).status()); }
  EXPECT_THAT(Searcher::Open(empty_dir, model_),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no published index")));
}

TEST_F(SearcherTest, ReloadSwapsInANewGeneration) {
  ASSERT_OK_AND_ASSIGN(auto searcher, Searcher::Open(dir_, model_));
  ASSERT_OK_AND_ASSIGN(bool swapped, searcher->Reload());
  EXPECT_FALSE(swapped);
  ASSERT_OK(CommitTestItems(*collection_, {{"blue-img", Modality::kImage, {0, 0, 1}}}));
  ASSERT_OK(collection_->BuildAndPublish({}).status());
  ASSERT_OK_AND_ASSIGN(swapped, searcher->Reload());
  EXPECT_TRUE(swapped);
  EXPECT_EQ(searcher->generation(), 2);
  ASSERT_OK_AND_ASSIGN(SearchResult r,
                       searcher->Search(TextQuery({0, 0, 1}, {Modality::kImage}, 1)));
  EXPECT_THAT(HitIds(r), ElementsAre("blue-img"));
}

}  // namespace
}  // namespace xmodal::engine
