#include "core/store/item_codec.h"

#include "testing/status_matchers.h"

namespace xmodal::store::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(ItemCodecTest, RoundTripsEveryField) {
  ItemRecord item;
  item.id = "0123456789abcdef0123456789abcdef";
  item.modality = Modality::kAudio;
  item.source_uri = "/music/song.flac";
  item.group_id = "/music/song";
  item.metadata = {{"artist", "Sigur Rós"}, {"year", "1999"}};
  item.size_bytes = 31337;
  item.content_sha256 = std::string(64, 'f');
  item.duration_seconds = 123.25;
  item.vector_ids = {4, 5, 6};
  const std::string encoded = EncodeItem(item);
  ASSERT_OK_AND_ASSIGN(const ItemRecord back, DecodeItem(item.id, encoded));
  EXPECT_EQ(back.id, item.id);
  EXPECT_EQ(back.modality, Modality::kAudio);
  EXPECT_EQ(back.source_uri, item.source_uri);
  EXPECT_EQ(back.group_id, item.group_id);
  EXPECT_EQ(back.text, "");
  EXPECT_EQ(back.metadata, item.metadata);
  EXPECT_EQ(back.size_bytes, 31337);
  EXPECT_EQ(back.content_sha256, item.content_sha256);
  EXPECT_EQ(back.duration_seconds, 123.25);
  EXPECT_THAT(back.vector_ids, ElementsAre(4, 5, 6));

  ItemRecord text;
  text.id = "t";
  text.text = "naïve café – 東京";
  ASSERT_OK_AND_ASSIGN(const ItemRecord text_back, DecodeItem("t", EncodeItem(text)));
  EXPECT_EQ(text_back.text, text.text);
  EXPECT_EQ(text_back.modality, Modality::kText);
}

TEST(ItemCodecTest, NonUtf8PathsAreKeptExactly) {
  ItemRecord item;
  item.id = "x";
  item.source_uri = std::string("/data/\xff\xfe\x00name.jpg", 16);
  item.group_id = "/data/\xc3";
  const std::string encoded = EncodeItem(item);
  EXPECT_THAT(encoded, HasSubstr("source_uri_b64"));
  ASSERT_OK_AND_ASSIGN(const ItemRecord back, DecodeItem("x", encoded));
  EXPECT_EQ(back.source_uri, item.source_uri);
  EXPECT_EQ(back.group_id, item.group_id);
}

TEST(ItemCodecTest, ValidateRejectsWhatCannotBeStored) {
  ItemRecord item;
  item.id = "ok";
  EXPECT_OK(ValidateItem(item));
  item.text = "\xe2\x82";  // truncated 3-byte sequence
  EXPECT_THAT(ValidateItem(item),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("item 'ok': field 'text'")));
  item.text = "";
  item.metadata["k"] = "\xc0\xaf";  // overlong '/'
  EXPECT_THAT(ValidateItem(item),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("field 'metadata'")));
  item.metadata.clear();
  item.id = "";
  EXPECT_THAT(ValidateItem(item),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty id")));
  item.id = std::string(70000, 'a');
  EXPECT_THAT(ValidateItem(item),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("70000 bytes")));
}

TEST(ItemCodecTest, DamagedItemsAreDataLossNamingTheKey) {
  for (const char* value : {"", "{", "[1,2]", "{\"v\":1}", "{\"v\":2,\"modality\":\"text\"}",
                            "{\"v\":1,\"modality\":\"video\"}",
                            "{\"v\":1,\"modality\":\"text\",\"metadata\":{\"k\":3}}",
                            "{\"v\":1,\"modality\":\"text\",\"vector_ids\":[\"x\"]}",
                            "{\"v\":1,\"modality\":\"text\",\"source_uri_b64\":\"!!\"}"}) {
    EXPECT_THAT(DecodeItem("item-key", value),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("item-key")))
        << value;
  }
}

TEST(ItemCodecTest, FailuresRoundTripAndReplaceBadUtf8) {
  const FailureRecord failure{"/data/x.jpg", "cannot decode '/data/\xff.jpg'", 1700000000};
  ASSERT_OK_AND_ASSIGN(const FailureRecord back,
                       DecodeFailure(failure.source_uri, EncodeFailure(failure)));
  EXPECT_EQ(back.source_uri, "/data/x.jpg");
  EXPECT_EQ(back.reason, "cannot decode '/data/\xef\xbf\xbd.jpg'");  // U+FFFD
  EXPECT_EQ(back.unix_seconds, 1700000000);
  EXPECT_THAT(DecodeFailure("/k", "{\"v\":1}"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("/k")));
}

}  // namespace
}  // namespace xmodal::store::internal
