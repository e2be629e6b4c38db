#include "core/store/vector_codec.h"

#include <limits>

#include "core/store/keys.h"
#include "testing/status_matchers.h"

namespace xmodal::store::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

TEST(VectorCodecTest, RoundTrips) {
  VectorRecord vector;
  vector.id = 300;
  vector.item_id = "abc";
  vector.modality = Modality::kAudio;
  vector.start_seconds = 10.0;
  vector.end_seconds = 20.5;
  vector.values = {0.5f, -1.0f, std::numeric_limits<float>::denorm_min(), 3.25f};
  const std::string key = VectorKey(Modality::kAudio, 300);
  const std::string value = EncodeVector(vector);
  EXPECT_EQ(value.size(), 1u + 2 + 3 + 8 + 8 + 4 + 4 * 4);
  ASSERT_OK_AND_ASSIGN(const VectorRecord back, DecodeVector(key, value));
  EXPECT_EQ(back.id, 300);
  EXPECT_EQ(back.modality, Modality::kAudio);
  EXPECT_EQ(back.item_id, "abc");
  EXPECT_EQ(back.start_seconds, 10.0);
  EXPECT_EQ(back.end_seconds, 20.5);
  EXPECT_EQ(back.values, vector.values);
}

TEST(VectorCodecTest, DamagedValuesAreDataLossNamingTheKey) {
  VectorRecord vector;
  vector.item_id = "abc";
  vector.values = {1.0f, 2.0f};
  const std::string good = EncodeVector(vector);
  const std::string key = VectorKey(Modality::kImage, 42);
  for (const std::string& bad : {std::string(), std::string("\x02") + good.substr(1),
                                 good.substr(0, good.size() - 1), good + "x", good.substr(0, 4)}) {
    EXPECT_THAT(DecodeVector(key, bad),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("key image/42")));
  }
  EXPECT_THAT(DecodeVector("short", good),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed key")));
}

TEST(KeysTest, VectorKeysSortByModalityThenId) {
  EXPECT_LT(VectorKey(Modality::kText, 255), VectorKey(Modality::kText, 256));
  EXPECT_LT(VectorKey(Modality::kText, 1), VectorKey(Modality::kText, int64_t{1} << 40));
  EXPECT_LT(VectorKey(Modality::kText, int64_t{1} << 40), VectorKey(Modality::kImage, 0));
  EXPECT_LT(VectorKey(Modality::kImage, 0), VectorKey(Modality::kAudio, 0));
  EXPECT_GE(VectorKey(Modality::kImage, 5), VectorPrefix(Modality::kImage));
  EXPECT_LT(VectorKey(Modality::kImage, INT64_MAX), VectorPrefixEnd(Modality::kImage));
  const auto parts = ParseVectorKey(VectorKey(Modality::kAudio, 123456789));
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->modality, Modality::kAudio);
  EXPECT_EQ(parts->id, 123456789);
  EXPECT_FALSE(ParseVectorKey(std::string(9, '\x07')).has_value());
  EXPECT_EQ(DescribeVectorKey(VectorKey(Modality::kText, 9)), "text/9");
}

TEST(KeysTest, CountersRoundTripAndRejectDamage) {
  ASSERT_OK_AND_ASSIGN(int64_t v, DecodeCounter("k", EncodeCounter(1234567890123)));
  EXPECT_EQ(v, 1234567890123);
  EXPECT_THAT(DecodeCounter(NextVectorIdKey(), "1234"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("next_vector_id")));
  EXPECT_TRUE(IsReservedMetaKey(NextVectorIdKey()));
  EXPECT_FALSE(IsReservedMetaKey("model_pin"));
  EXPECT_FALSE(IsReservedMetaKey(""));
}

}  // namespace
}  // namespace xmodal::store::internal
