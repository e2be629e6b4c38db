#include "server/request_translation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::server {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;
using ::xmodal::testing::StatusIs;
using Kind = engine::QueryInput::Kind;

xmodal::v1::SearchRequest TextSearch(const std::string& text) {
  xmodal::v1::SearchRequest request;
  request.mutable_query()->set_text(text);
  return request;
}

TEST(ToQueryInputTest, TranslatesEachKind) {
  xmodal::v1::Query query;
  query.set_text("a red car");
  ASSERT_OK_AND_ASSIGN(engine::QueryInput text, ToQueryInput(query));
  EXPECT_EQ(text.kind, Kind::kText);
  EXPECT_EQ(text.data, "a red car");

  query.set_image(std::string("\x89PNG\0", 5));
  ASSERT_OK_AND_ASSIGN(engine::QueryInput image, ToQueryInput(query));
  EXPECT_EQ(image.kind, Kind::kImage);
  EXPECT_EQ(image.data, std::string("\x89PNG\0", 5));

  query.set_audio("RIFF....WAVE");
  ASSERT_OK_AND_ASSIGN(engine::QueryInput audio, ToQueryInput(query));
  EXPECT_EQ(audio.kind, Kind::kAudio);
  EXPECT_EQ(audio.data, "RIFF....WAVE");

  query.set_item_id("0123abcd");
  ASSERT_OK_AND_ASSIGN(engine::QueryInput item, ToQueryInput(query));
  EXPECT_EQ(item.kind, Kind::kItem);
  EXPECT_EQ(item.data, "0123abcd");
}

TEST(ToQueryInputTest, RejectsAnUnsetQuery) {
  EXPECT_THAT(ToQueryInput(xmodal::v1::Query()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "query is empty: set one of text, image, audio or item_id"));
  EXPECT_THAT(ToEngineQuery(xmodal::v1::SearchRequest()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "query is empty: set one of text, image, audio or item_id"));
}

TEST(ToQueryInputTest, RejectsASetButEmptyFieldNamingIt) {
  xmodal::v1::Query query;
  query.set_text("");
  EXPECT_THAT(ToQueryInput(query),
              StatusIs(absl::StatusCode::kInvalidArgument, "query.text is empty"));
  query.set_image("");
  EXPECT_THAT(ToQueryInput(query),
              StatusIs(absl::StatusCode::kInvalidArgument, "query.image is empty"));
  query.set_audio("");
  EXPECT_THAT(ToQueryInput(query),
              StatusIs(absl::StatusCode::kInvalidArgument, "query.audio is empty"));
  query.set_item_id("");
  EXPECT_THAT(ToQueryInput(query),
              StatusIs(absl::StatusCode::kInvalidArgument, "query.item_id is empty"));
}

TEST(ToEngineQueryTest, KZeroMeansTheDefault) {
  ASSERT_OK_AND_ASSIGN(engine::Query query, ToEngineQuery(TextSearch("red")));
  EXPECT_EQ(query.k, engine::kDefaultK);
  EXPECT_EQ(query.k, 10);
}

// The range is the engine's to check (query_plan_test, searcher_test), against its configured
// SearchLimits::max_k: every other k passes through unchanged.
TEST(ToEngineQueryTest, PassesEveryOtherKThrough) {
  xmodal::v1::SearchRequest request = TextSearch("red");
  for (const int k : {1, 1000, 1001, 5000, -3}) {
    request.set_k(k);
    ASSERT_OK_AND_ASSIGN(engine::Query query, ToEngineQuery(request));
    EXPECT_EQ(query.k, k);
  }
}

TEST(ToEngineQueryTest, MapsTargetsAndDropsDuplicates) {
  xmodal::v1::SearchRequest request = TextSearch("red");
  ASSERT_OK_AND_ASSIGN(engine::Query all, ToEngineQuery(request));
  EXPECT_TRUE(all.targets.empty());

  request.add_targets(xmodal::v1::MODALITY_AUDIO);
  request.add_targets(xmodal::v1::MODALITY_IMAGE);
  request.add_targets(xmodal::v1::MODALITY_AUDIO);
  request.add_targets(xmodal::v1::MODALITY_TEXT);
  ASSERT_OK_AND_ASSIGN(engine::Query query, ToEngineQuery(request));
  EXPECT_THAT(query.targets, ElementsAre(Modality::kAudio, Modality::kImage, Modality::kText));
}

TEST(ToEngineQueryTest, RejectsUnspecifiedAndUnknownTargets) {
  xmodal::v1::SearchRequest request = TextSearch("red");
  request.add_targets(xmodal::v1::MODALITY_IMAGE);
  request.add_targets(xmodal::v1::MODALITY_UNSPECIFIED);
  EXPECT_THAT(ToEngineQuery(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "targets[1] is MODALITY_UNSPECIFIED; use MODALITY_TEXT, MODALITY_IMAGE or "
                       "MODALITY_AUDIO"));

  // An enum number this API does not define, as a newer client could send (proto3 keeps it).
  request.set_targets(1, static_cast<xmodal::v1::Modality>(7));
  EXPECT_THAT(ToEngineQuery(request),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "targets[1] has unknown modality 7; use MODALITY_TEXT, MODALITY_IMAGE or "
                       "MODALITY_AUDIO"));
}

TEST(ToEngineQueryTest, CopiesFiltersAndSourcePrefix) {
  xmodal::v1::SearchRequest request = TextSearch("red");
  (*request.mutable_metadata_filter())["color"] = "red";
  (*request.mutable_metadata_filter())["kind"] = "car";
  request.set_source_prefix("/photos/");
  ASSERT_OK_AND_ASSIGN(engine::Query query, ToEngineQuery(request));
  EXPECT_THAT(query.metadata_equals, ElementsAre(Pair("color", "red"), Pair("kind", "car")));
  EXPECT_EQ(query.source_prefix, "/photos/");
  EXPECT_EQ(query.input.kind, Kind::kText);
  EXPECT_EQ(query.input.data, "red");
}

TEST(ToEngineQueryTest, RejectsAnEmptyFilterKey) {
  xmodal::v1::SearchRequest request = TextSearch("red");
  (*request.mutable_metadata_filter())[""] = "x";
  EXPECT_THAT(ToEngineQuery(request), StatusIs(absl::StatusCode::kInvalidArgument,
                                               "metadata_filter has an empty key (value 'x')"));
}

TEST(ToItemIdTest, RequiresAnId) {
  xmodal::v1::GetItemRequest request;
  EXPECT_THAT(ToItemId(request), StatusIs(absl::StatusCode::kInvalidArgument, "item_id is empty"));
  request.set_item_id("abc123");
  ASSERT_OK_AND_ASSIGN(std::string id, ToItemId(request));
  EXPECT_EQ(id, "abc123");
}

store::ItemRecord AudioItem() {
  store::ItemRecord item;
  item.id = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
  item.modality = Modality::kAudio;
  item.source_uri = "/sounds/engine.wav";
  item.group_id = "engine";
  item.metadata = {{"license", "cc0"}, {"take", "2"}};
  item.size_bytes = 48044;
  item.content_sha256 = std::string(64, 'f');
  item.duration_seconds = 3.5;
  item.vector_ids = {11, 12, 13, 14};
  return item;
}

TEST(ToProtoTest, ConvertsAHit) {
  engine::Hit hit;
  hit.item = AudioItem();
  hit.score = 0.875f;
  hit.start_seconds = 1.0;
  hit.end_seconds = 2.0;
  xmodal::v1::Hit out;
  ToProtoHit(hit, &out);
  EXPECT_EQ(out.item_id(), hit.item.id);
  EXPECT_EQ(out.modality(), xmodal::v1::MODALITY_AUDIO);
  EXPECT_FLOAT_EQ(out.score(), 0.875f);
  EXPECT_EQ(out.source_uri(), "/sounds/engine.wav");
  EXPECT_EQ(out.text(), "");
  EXPECT_DOUBLE_EQ(out.start_seconds(), 1.0);
  EXPECT_DOUBLE_EQ(out.end_seconds(), 2.0);
  EXPECT_EQ(out.group_id(), "engine");
  EXPECT_THAT(out.metadata(), UnorderedElementsAre(Pair("license", "cc0"), Pair("take", "2")));
}

TEST(ToProtoTest, ConvertsASearchResultInOrder) {
  engine::SearchResult result;
  result.generation = 7;
  result.timings = {.decode_ms = 1.5, .encode_ms = 2.5, .search_ms = 0.25, .fetch_ms = 0.125};
  for (const char* id : {"first", "second"}) {
    engine::Hit hit;
    hit.item.id = id;
    hit.item.modality = Modality::kText;
    hit.item.text = std::string("text of ") + id;
    result.hits.push_back(hit);
  }
  xmodal::v1::SearchResponse out;
  ToSearchResponse(result, &out);
  ASSERT_EQ(out.hits_size(), 2);
  EXPECT_EQ(out.hits(0).item_id(), "first");
  EXPECT_EQ(out.hits(1).item_id(), "second");
  EXPECT_EQ(out.hits(1).text(), "text of second");
  EXPECT_EQ(out.hits(1).modality(), xmodal::v1::MODALITY_TEXT);
  EXPECT_EQ(out.generation(), 7);
  EXPECT_DOUBLE_EQ(out.timings().decode_ms(), 1.5);
  EXPECT_DOUBLE_EQ(out.timings().encode_ms(), 2.5);
  EXPECT_DOUBLE_EQ(out.timings().search_ms(), 0.25);
  EXPECT_DOUBLE_EQ(out.timings().fetch_ms(), 0.125);
}

TEST(ToProtoTest, ConvertsAnEmbeddingWithSegments) {
  engine::Embedding embedding;
  embedding.vectors.AppendRow(std::vector<float>{0.6f, 0.8f, 0.0f});
  embedding.vectors.AppendRow(std::vector<float>{0.0f, 0.0f, 1.0f});
  embedding.segments = {{0.0, 1.0}, {1.0, 2.0}};
  embedding.timings.encode_ms = 3.0;
  xmodal::v1::EmbedResponse out;
  ToEmbedResponse(embedding, &out);
  EXPECT_EQ(out.dim(), 3);
  ASSERT_EQ(out.vectors_size(), 2);
  EXPECT_THAT(out.vectors(0).values(), ElementsAre(0.6f, 0.8f, 0.0f));
  EXPECT_THAT(out.vectors(1).values(), ElementsAre(0.0f, 0.0f, 1.0f));
  EXPECT_DOUBLE_EQ(out.vectors(1).start_seconds(), 1.0);
  EXPECT_DOUBLE_EQ(out.vectors(1).end_seconds(), 2.0);
  EXPECT_DOUBLE_EQ(out.timings().encode_ms(), 3.0);
}

TEST(ToProtoTest, ConvertsAnEmbeddingWithoutSegments) {
  engine::Embedding embedding;
  embedding.vectors.AppendRow(std::vector<float>{1.0f, 0.0f});
  xmodal::v1::EmbedResponse out;
  ToEmbedResponse(embedding, &out);
  EXPECT_EQ(out.dim(), 2);
  ASSERT_EQ(out.vectors_size(), 1);
  EXPECT_DOUBLE_EQ(out.vectors(0).start_seconds(), 0.0);
  EXPECT_DOUBLE_EQ(out.vectors(0).end_seconds(), 0.0);
}

TEST(ToProtoTest, ConvertsAnItemWithItsBytes) {
  engine::ItemWithBytes item{AudioItem(), "RIFF-bytes"};
  xmodal::v1::GetItemResponse out;
  ToGetItemResponse(std::move(item), &out);
  const xmodal::v1::Item& converted = out.item();
  EXPECT_EQ(converted.item_id(), "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6");
  EXPECT_EQ(converted.modality(), xmodal::v1::MODALITY_AUDIO);
  EXPECT_EQ(converted.source_uri(), "/sounds/engine.wav");
  EXPECT_EQ(converted.group_id(), "engine");
  EXPECT_THAT(converted.metadata(),
              UnorderedElementsAre(Pair("license", "cc0"), Pair("take", "2")));
  EXPECT_EQ(converted.size_bytes(), 48044);
  EXPECT_EQ(converted.content_sha256(), std::string(64, 'f'));
  EXPECT_DOUBLE_EQ(converted.duration_seconds(), 3.5);
  EXPECT_EQ(converted.vector_count(), 4);
  EXPECT_EQ(out.content(), "RIFF-bytes");
}

TEST(ToProtoTest, ConvertsInfoInModalityOrder) {
  engine::CollectionInfo info;
  info.pin = {.name = "toy-rgb", .version = "1", .embedding_dim = 8, .files_sha256 = "abc"};
  info.generation = 3;
  info.items = {{Modality::kAudio, 2}, {Modality::kText, 5}};
  info.vectors = {{Modality::kAudio, 9}, {Modality::kText, 5}};
  info.factories = {{Modality::kAudio, "Flat"}, {Modality::kText, "HNSW32"}};
  xmodal::v1::GetInfoResponse out;
  ToGetInfoResponse(info, "xmodal 0.1.0", &out);
  EXPECT_EQ(out.model().name(), "toy-rgb");
  EXPECT_EQ(out.model().version(), "1");
  EXPECT_EQ(out.model().dim(), 8);
  EXPECT_EQ(out.model().files_sha256(), "abc");
  EXPECT_EQ(out.generation(), 3);
  EXPECT_EQ(out.server_version(), "xmodal 0.1.0");
  ASSERT_EQ(out.modalities_size(), 2);
  EXPECT_EQ(out.modalities(0).modality(), xmodal::v1::MODALITY_TEXT);
  EXPECT_EQ(out.modalities(0).items(), 5);
  EXPECT_EQ(out.modalities(0).vectors(), 5);
  EXPECT_EQ(out.modalities(0).index_factory(), "HNSW32");
  EXPECT_EQ(out.modalities(1).modality(), xmodal::v1::MODALITY_AUDIO);
  EXPECT_EQ(out.modalities(1).items(), 2);
  EXPECT_EQ(out.modalities(1).vectors(), 9);
  EXPECT_EQ(out.modalities(1).index_factory(), "Flat");
}

}  // namespace
}  // namespace xmodal::server
