#include "rpc/modality_mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace xmodal::rpc {
namespace {

using ::xmodal::testing::StatusIs;

TEST(ModalityMappingTest, RoundTripsEveryModality) {
  for (Modality m : kAllModalities) {
    ASSERT_OK_AND_ASSIGN(Modality back, FromProtoModality(ToProtoModality(m), "targets[0]"));
    EXPECT_EQ(back, m);
  }
  EXPECT_EQ(ToProtoModality(Modality::kText), xmodal::v1::MODALITY_TEXT);
  EXPECT_EQ(ToProtoModality(Modality::kImage), xmodal::v1::MODALITY_IMAGE);
  EXPECT_EQ(ToProtoModality(Modality::kAudio), xmodal::v1::MODALITY_AUDIO);
}

TEST(ModalityMappingTest, RejectsUnspecifiedNamingTheField) {
  EXPECT_THAT(FromProtoModality(xmodal::v1::MODALITY_UNSPECIFIED, "targets[2]"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "targets[2] is MODALITY_UNSPECIFIED; use MODALITY_TEXT, MODALITY_IMAGE or "
                       "MODALITY_AUDIO"));
}

TEST(ModalityMappingTest, RejectsUnknownNumbersNamingTheField) {
  EXPECT_THAT(FromProtoModality(7, "targets[1]"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "targets[1] has unknown modality 7; use MODALITY_TEXT, MODALITY_IMAGE or "
                       "MODALITY_AUDIO"));
  EXPECT_THAT(FromProtoModality(-1, "modality"),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("-1")));
}

TEST(ModalityMappingTest, NamesForDisplay) {
  EXPECT_EQ(ProtoModalityName(xmodal::v1::MODALITY_TEXT), "text");
  EXPECT_EQ(ProtoModalityName(xmodal::v1::MODALITY_IMAGE), "image");
  EXPECT_EQ(ProtoModalityName(xmodal::v1::MODALITY_AUDIO), "audio");
  EXPECT_EQ(ProtoModalityName(xmodal::v1::MODALITY_UNSPECIFIED), "unspecified");
  EXPECT_EQ(ProtoModalityName(9), "unknown(9)");
}

}  // namespace
}  // namespace xmodal::rpc
