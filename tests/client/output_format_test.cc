#include "client/output_format.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "testing/status_matchers.h"

namespace xmodal::client {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

xmodal::v1::SearchResponse SampleResponse() {
  xmodal::v1::SearchResponse response;
  xmodal::v1::Hit* image = response.add_hits();
  image->set_item_id("3f2a9c0d1e2b4a5c6d7e8f9012345678");
  image->set_modality(xmodal::v1::MODALITY_IMAGE);
  image->set_score(0.87349f);
  image->set_source_uri("/photos/red-car.jpg");
  xmodal::v1::Hit* audio = response.add_hits();
  audio->set_item_id("aaaabbbbccccddddeeeeffff00001111");
  audio->set_modality(xmodal::v1::MODALITY_AUDIO);
  audio->set_score(0.5f);
  audio->set_source_uri("/sounds/engine.wav");
  audio->set_start_seconds(1.0);
  audio->set_end_seconds(2.0);
  xmodal::v1::Hit* text = response.add_hits();
  text->set_item_id("0123456789abcdef0123456789abcdef");
  text->set_modality(xmodal::v1::MODALITY_TEXT);
  text->set_score(-0.25f);
  text->set_text("a red\ncar");
  text->set_source_uri("captions.jsonl#L3");
  (*text->mutable_metadata())["lang"] = "en";
  response.set_generation(7);
  response.mutable_timings()->set_encode_ms(5.3);
  return response;
}

TEST(OutputFormatTest, HitsTableHasTheColumnsAndOneRowPerHit) {
  const std::string table = FormatHitsTable(SampleResponse());
  const std::vector<std::string> lines = absl::StrSplit(table, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u) << table;  // header, three hits, summary
  EXPECT_THAT(lines[0], AllOf(HasSubstr("rank"), HasSubstr("score"), HasSubstr("modality"),
                              HasSubstr("item"), HasSubstr("segment"), HasSubstr("source")));
  EXPECT_THAT(lines[1], AllOf(StartsWith("   1"), HasSubstr("0.873"), HasSubstr("image"),
                              HasSubstr("3f2a9c0d1e2b4a5c6d7e8f9012345678 "),
                              HasSubstr("/photos/red-car.jpg")));
  EXPECT_THAT(lines[2], AllOf(StartsWith("   2"), HasSubstr("0.500"), HasSubstr("audio"),
                              HasSubstr("1.0-2.0s"), HasSubstr("/sounds/engine.wav")));
  // Text hits show their text, on one line, rather than where they came from.
  EXPECT_THAT(lines[3], AllOf(StartsWith("   3"), HasSubstr("-0.250"), HasSubstr("text"),
                              HasSubstr("\"a red car\""), Not(HasSubstr("captions"))));
  EXPECT_THAT(lines[4],
              AllOf(StartsWith("3 hits"), HasSubstr("generation 7"), HasSubstr("encode 5.3 ms")));
}

TEST(OutputFormatTest, HitsTablePrintsWholeIdsInAlignedColumns) {
  const std::string table = FormatHitsTable(SampleResponse());
  const std::vector<std::string> lines = absl::StrSplit(table, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u) << table;
  // Every id starts in the same column, whole, as `get` and --item need it.
  const size_t column = lines[0].find("item");
  EXPECT_EQ(lines[1].find("3f2a9c0d1e2b4a5c6d7e8f9012345678"), column) << table;
  EXPECT_EQ(lines[2].find("aaaabbbbccccddddeeeeffff00001111"), column) << table;
  EXPECT_EQ(lines[3].find("0123456789abcdef0123456789abcdef"), column) << table;
  const size_t source = lines[0].find("source");
  EXPECT_EQ(lines[1].find("/photos/red-car.jpg"), source) << table;
  EXPECT_EQ(lines[2].find("/sounds/engine.wav"), source) << table;
}

TEST(OutputFormatTest, HitsTableLeavesOutTheSegmentColumnWhenNoHitHasOne) {
  xmodal::v1::SearchResponse response = SampleResponse();
  response.mutable_hits()->DeleteSubrange(1, 1);  // the audio hit
  const std::string table = FormatHitsTable(response);
  EXPECT_THAT(table, Not(HasSubstr("segment")));
  EXPECT_THAT(table, HasSubstr("3f2a9c0d1e2b4a5c6d7e8f9012345678  /photos/red-car.jpg\n"));
}

TEST(OutputFormatTest, EmptyResultSaysSo) {
  xmodal::v1::SearchResponse response;
  response.set_generation(2);
  EXPECT_THAT(FormatHitsTable(response), StartsWith("no hits (generation 2;"));
}

TEST(OutputFormatTest, ShortensIdsAndFormatsSegments) {
  EXPECT_EQ(ShortenId("0123456789abcdefXYZ"), "0123456789ab");
  EXPECT_EQ(ShortenId("short"), "short");
  EXPECT_EQ(FormatSegment(1.0, 2.0), "1.0-2.0s");
  EXPECT_EQ(FormatSegment(12.5, 17.0), "12.5-17.0s");
}

TEST(OutputFormatTest, OneLineStripsControlsAndCutsAtCharacterBoundaries) {
  EXPECT_EQ(OneLine("a\tb\nc\x1b[31m", 100), "a b c [31m");
  EXPECT_EQ(OneLine("abcdef", 3), "abc...");
  // "é" is two bytes; cutting after the first of them must not split it.
  EXPECT_EQ(OneLine("a\xc3\xa9z", 2), "a...");
  EXPECT_EQ(OneLine("a\xc3\xa9z", 3), "a\xc3\xa9...");
}

TEST(OutputFormatTest, ItemBlockListsTheFieldsThatAreSet) {
  xmodal::v1::Item item;
  item.set_item_id("a1b2c3");
  item.set_modality(xmodal::v1::MODALITY_AUDIO);
  item.set_source_uri("/sounds/engine.wav");
  item.set_size_bytes(48044);
  item.set_duration_seconds(3.5);
  item.set_vector_count(4);
  (*item.mutable_metadata())["take"] = "2";
  (*item.mutable_metadata())["license"] = "cc0";
  const std::string block = FormatItem(item);
  EXPECT_THAT(block, HasSubstr("item        a1b2c3\n"));
  EXPECT_THAT(block, HasSubstr("modality    audio\n"));
  EXPECT_THAT(block, HasSubstr("source      /sounds/engine.wav\n"));
  EXPECT_THAT(block, HasSubstr("size        48044 bytes\n"));
  EXPECT_THAT(block, HasSubstr("duration    3.5 s\n"));
  EXPECT_THAT(block, HasSubstr("vectors     4\n"));
  EXPECT_THAT(block, HasSubstr("metadata    license=cc0, take=2\n"));
  EXPECT_THAT(block, Not(HasSubstr("text")));
  EXPECT_THAT(block, Not(HasSubstr("group")));
}

TEST(OutputFormatTest, InfoBlockShowsPinGenerationAndModalities) {
  xmodal::v1::GetInfoResponse info;
  info.set_server_version("xmodal 0.1.0");
  info.mutable_model()->set_name("toy-rgb");
  info.mutable_model()->set_version("1");
  info.mutable_model()->set_dim(8);
  info.mutable_model()->set_files_sha256(std::string(64, 'c'));
  info.set_generation(4);
  xmodal::v1::ModalityInfo* image = info.add_modalities();
  image->set_modality(xmodal::v1::MODALITY_IMAGE);
  image->set_items(120);
  image->set_vectors(120);
  image->set_index_factory("Flat");
  const std::string block = FormatInfo(info);
  EXPECT_THAT(block, HasSubstr("server      xmodal 0.1.0\n"));
  EXPECT_THAT(block, HasSubstr("model       toy-rgb 1 (dim 8, sha256 cccccccccccc)\n"));
  EXPECT_THAT(block, HasSubstr("generation  4\n"));
  EXPECT_THAT(block, HasSubstr("image       120 items, 120 vectors, index Flat\n"));
}

TEST(OutputFormatTest, EmbeddingShowsDimAndLeadingValues) {
  xmodal::v1::EmbedResponse response;
  response.set_dim(10);
  xmodal::v1::Vector* vector = response.add_vectors();
  for (int i = 0; i < 10; ++i) vector->add_values(i / 10.0f);
  vector->set_start_seconds(0.0);
  vector->set_end_seconds(1.0);
  const std::string text = FormatEmbedding(response);
  EXPECT_THAT(text, StartsWith("dim 10, 1 vector ("));
  EXPECT_THAT(text, HasSubstr("[0] 0.0-1.0s 0.0000 0.1000"));
  EXPECT_THAT(text, HasSubstr("0.7000 ...\n"));
  EXPECT_THAT(text, Not(HasSubstr("0.8000")));
}

TEST(OutputFormatTest, JsonUsesProtoFieldNamesAndParsesBack) {
  const xmodal::v1::SearchResponse response = SampleResponse();
  ASSERT_OK_AND_ASSIGN(std::string json, FormatJson(response));
  EXPECT_THAT(json, HasSubstr("\"item_id\""));
  EXPECT_THAT(json, HasSubstr("\"source_uri\""));
  EXPECT_THAT(json, HasSubstr("\"MODALITY_IMAGE\""));
  EXPECT_THAT(json, Not(HasSubstr("itemId")));
  // Zero-valued fields are printed too, so scripts see a fixed shape.
  EXPECT_THAT(json, HasSubstr("\"decode_ms\""));

  xmodal::v1::SearchResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, response))
      << parsed.DebugString();
}

TEST(OutputFormatTest, JsonPrintsSixtyFourBitIntegersAsNumbers) {
  xmodal::v1::SearchResponse search = SampleResponse();
  search.set_generation(int64_t{1} << 40);
  ASSERT_OK_AND_ASSIGN(std::string json, FormatJson(search));
  EXPECT_THAT(json, HasSubstr("\"generation\": 1099511627776"));
  EXPECT_THAT(json, Not(HasSubstr("\"1099511627776\"")));

  xmodal::v1::GetInfoResponse info;
  info.set_generation(4);
  xmodal::v1::ModalityInfo* image = info.add_modalities();
  image->set_items(120);
  image->set_vectors(0);
  ASSERT_OK_AND_ASSIGN(json, FormatJson(info));
  EXPECT_THAT(json, AllOf(HasSubstr("\"generation\": 4"), HasSubstr("\"items\": 120"),
                          HasSubstr("\"vectors\": 0")));
  // 32-bit fields and strings that look like numbers are unchanged.
  info.mutable_model()->set_version("12");
  info.mutable_model()->set_dim(8);
  ASSERT_OK_AND_ASSIGN(json, FormatJson(info));
  EXPECT_THAT(json, AllOf(HasSubstr("\"version\": \"12\""), HasSubstr("\"dim\": 8")));

  xmodal::v1::GetInfoResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, info));
}

TEST(OutputFormatTest, JsonOfAnItemWithoutBytesHasNoContentField) {
  xmodal::v1::GetItemResponse response;
  response.mutable_item()->set_item_id("a1b2c3");
  response.mutable_item()->set_size_bytes(48044);
  ASSERT_OK_AND_ASSIGN(std::string json, FormatJson(response));
  EXPECT_THAT(json, Not(HasSubstr("\"content\":")));
  EXPECT_THAT(json, HasSubstr("\"size_bytes\": 48044"));
  EXPECT_THAT(json, HasSubstr("\"item_id\": \"a1b2c3\""));
  // When bytes are there, they are printed (base64, as protobuf does).
  response.set_content("abc");
  ASSERT_OK_AND_ASSIGN(json, FormatJson(response));
  EXPECT_THAT(json, HasSubstr("\"content\": \"YWJj\""));
}

}  // namespace
}  // namespace xmodal::client
