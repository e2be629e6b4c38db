#include "client/cli_requests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/file_util.h"
#include "testing/status_matchers.h"

namespace xmodal::client {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::StartsWith;
using ::xmodal::testing::StatusIs;

TEST(CliRequestsTest, BuildsASearchRequest) {
  ASSERT_OK_AND_ASSIGN(CliArgs args,
                       ParseCliArgs({"search", "--text", "red", "--to", "audio,image", "-k", "3",
                                     "--filter", "kind=car", "--source", "/photos/"}));
  ASSERT_OK_AND_ASSIGN(xmodal::v1::SearchRequest request, BuildSearchRequest(args));
  EXPECT_EQ(request.query().text(), "red");
  EXPECT_THAT(request.targets(),
              ElementsAre(xmodal::v1::MODALITY_AUDIO, xmodal::v1::MODALITY_IMAGE));
  EXPECT_EQ(request.k(), 3);
  EXPECT_THAT(request.metadata_filter(), ElementsAre(Pair("kind", "car")));
  EXPECT_EQ(request.source_prefix(), "/photos/");
}

TEST(CliRequestsTest, ReadsImageAndAudioFiles) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("cli_requests_test"));
  const std::string image_path = dir + "/tiny.png";
  const std::string audio_path = dir + "/tiny.wav";
  ASSERT_OK(WriteFileAtomically(image_path, std::string("\x89PNG\r\n\x1a\n\0\0", 10)));
  ASSERT_OK(WriteFileAtomically(audio_path, "RIFF....WAVEfmt "));

  ASSERT_OK_AND_ASSIGN(CliArgs image_args, ParseCliArgs({"search", "--image", image_path}));
  ASSERT_OK_AND_ASSIGN(xmodal::v1::SearchRequest search, BuildSearchRequest(image_args));
  EXPECT_EQ(search.query().image(), std::string("\x89PNG\r\n\x1a\n\0\0", 10));

  ASSERT_OK_AND_ASSIGN(CliArgs audio_args, ParseCliArgs({"embed", "--audio", audio_path}));
  ASSERT_OK_AND_ASSIGN(xmodal::v1::EmbedRequest embed, BuildEmbedRequest(audio_args));
  EXPECT_EQ(embed.query().audio(), "RIFF....WAVEfmt ");
}

TEST(CliRequestsTest, MissingFileIsNotFoundNamingWhatItIsAndThePath) {
  ASSERT_OK_AND_ASSIGN(CliArgs args, ParseCliArgs({"search", "--image", "/no/such/cat.jpg"}));
  EXPECT_THAT(BuildSearchRequest(args),
              StatusIs(absl::StatusCode::kNotFound,
                       "cannot read image file '/no/such/cat.jpg': No such file or directory"));
}

TEST(CliRequestsTest, ADirectoryIsNotAnAudioFile) {
  ASSERT_OK_AND_ASSIGN(std::string dir, MakeTempDirectory("cli_requests_test"));
  ASSERT_OK_AND_ASSIGN(CliArgs args, ParseCliArgs({"embed", "--audio", dir}));
  EXPECT_THAT(BuildEmbedRequest(args),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(StartsWith("cannot read audio file '" + dir + "': "),
                             HasSubstr("it is a directory"))));
}

TEST(CliRequestsTest, ItemQueriesAndGetRequests) {
  ASSERT_OK_AND_ASSIGN(CliArgs embed_args, ParseCliArgs({"embed", "--item", "abc"}));
  ASSERT_OK_AND_ASSIGN(xmodal::v1::EmbedRequest embed, BuildEmbedRequest(embed_args));
  EXPECT_EQ(embed.query().item_id(), "abc");

  ASSERT_OK_AND_ASSIGN(CliArgs plain, ParseCliArgs({"get", "abc"}));
  EXPECT_EQ(BuildGetItemRequest(plain).item_id(), "abc");
  EXPECT_FALSE(BuildGetItemRequest(plain).include_bytes());
  ASSERT_OK_AND_ASSIGN(CliArgs with_bytes, ParseCliArgs({"get", "abc", "--bytes", "out.bin"}));
  EXPECT_TRUE(BuildGetItemRequest(with_bytes).include_bytes());
}

TEST(CliRequestsTest, NoInputIsInvalid) {
  EXPECT_THAT(BuildQuery(CliArgs()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "no query input: give --text, --image, --audio or --item"));
}

}  // namespace
}  // namespace xmodal::client
