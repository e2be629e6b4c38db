// The pure parts of the HTTP transport: multipart forms to requests (http_form.h), byte ranges
// and entity tags (http_content.h) and the HTTP status of each canonical code
// (rpc/http_status.h).
#include "server/http_form.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "core/media/image.h"
#include "rpc/http_status.h"
#include "server/http_content.h"
#include "testing/status_matchers.h"

namespace xmodal::server {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

std::string TinyPng() {
  absl::StatusOr<std::string> png =
      media::EncodePng({.width = 2, .height = 1, .rgb = {255, 0, 0, 0, 255, 0}});
  return png.ok() ? *png : "";
}

TEST(HttpFormTest, FileFieldsAndRepeatedTargetsMakeASearch) {
  ASSERT_OK_AND_ASSIGN(
      const xmodal::v1::SearchRequest request,
      SearchRequestFromForm({{.name = "file", .filename = "x.png", .content = TinyPng()},
                             {.name = "targets", .content = "image, audio"},
                             {.name = "targets", .content = "MODALITY_TEXT"},
                             {.name = "k", .content = "7"},
                             {.name = "source_prefix", .content = "/pics/"},
                             {.name = "filter", .content = "lang=en"},
                             {.name = "filter", .content = "note=a=b"}}));
  EXPECT_EQ(request.query().image(), TinyPng());
  ASSERT_EQ(request.targets_size(), 3);
  EXPECT_EQ(request.targets(0), xmodal::v1::MODALITY_IMAGE);
  EXPECT_EQ(request.targets(1), xmodal::v1::MODALITY_AUDIO);
  EXPECT_EQ(request.targets(2), xmodal::v1::MODALITY_TEXT);
  EXPECT_EQ(request.k(), 7);
  EXPECT_EQ(request.source_prefix(), "/pics/");
  EXPECT_EQ(request.metadata_filter().at("lang"), "en");
  EXPECT_EQ(request.metadata_filter().at("note"), "a=b");

  ASSERT_OK_AND_ASSIGN(const xmodal::v1::SearchRequest text,
                       SearchRequestFromForm({{.name = "text", .content = "a dog"}}));
  EXPECT_EQ(text.query().text(), "a dog");
  ASSERT_OK_AND_ASSIGN(const xmodal::v1::EmbedRequest embed,
                       EmbedRequestFromForm({{.name = "audio", .content = "RIFF...."}}));
  EXPECT_EQ(embed.query().audio(), "RIFF....");  // decoding is the engine's check
}

TEST(HttpFormTest, EachBadFormIsRefusedNamingThePart) {
  EXPECT_THAT(SearchRequestFromForm({{.name = "k", .content = "3"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("the form has no query")));
  EXPECT_THAT(SearchRequestFromForm(
                  {{.name = "text", .content = "a"}, {.name = "image", .content = TinyPng()}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("second query part 'image'")));
  EXPECT_THAT(SearchRequestFromForm({{.name = "image", .filename = "x.png"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, "form part 'image' is empty"));
  EXPECT_THAT(SearchRequestFromForm({{.name = "file", .filename = "x.gif", .content = "GIF89a.."}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("form part 'file' (x.gif)")));
  EXPECT_THAT(
      SearchRequestFromForm({{.name = "text", .content = "a"}, {.name = "colour"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown form part 'colour'")));
  EXPECT_THAT(SearchRequestFromForm(
                  {{.name = "text", .content = "a"}, {.name = "targets", .content = "video"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'video'")));
  EXPECT_THAT(
      SearchRequestFromForm({{.name = "text", .content = "a"}, {.name = "k", .content = "ten"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'k' must be an integer")));
  EXPECT_THAT(SearchRequestFromForm(
                  {{.name = "text", .content = "a"}, {.name = "filter", .content = "=x"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("key=value")));
  EXPECT_THAT(EmbedRequestFromForm({{.name = "text", .content = "a"}, {.name = "k"}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("an embed form takes")));
}

TEST(HttpFormTest, RandomFormsNeverCrash) {
  std::mt19937 rng(7);
  const std::vector<std::string> names = {"file",          "image",   "audio", "text",
                                          "item_id",       "targets", "k",     "filter",
                                          "source_prefix", "junk",    ""};
  for (int round = 0; round < 2000; ++round) {
    std::vector<FormPart> form(rng() % 5);
    for (FormPart& part : form) {
      part.name = names[rng() % names.size()];
      part.content.resize(rng() % 40);
      for (char& c : part.content) c = static_cast<char>(rng());
      if (rng() % 4 == 0) part.content = TinyPng().substr(0, rng() % 80);
    }
    const auto search = SearchRequestFromForm(form);
    if (!search.ok()) EXPECT_EQ(search.status().code(), absl::StatusCode::kInvalidArgument);
    const auto embed = EmbedRequestFromForm(form);
    if (!embed.ok()) EXPECT_EQ(embed.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(HttpContentTest, RangesResolveLikeRfc9110) {
  using Ranges = std::vector<std::pair<int64_t, int64_t>>;
  const auto resolve = [](const Ranges& ranges, int64_t size) {
    return ResolveByteRange(ranges, size);
  };
  ASSERT_OK_AND_ASSIGN(auto none, resolve({}, 10));
  EXPECT_FALSE(none.has_value());
  ASSERT_OK_AND_ASSIGN(auto several, resolve({{0, 1}, {4, 5}}, 10));
  EXPECT_FALSE(several.has_value());  // served whole
  ASSERT_OK_AND_ASSIGN(auto middle, resolve({{2, 4}}, 10));
  EXPECT_EQ(middle->first, 2);
  EXPECT_EQ(middle->last, 4);
  ASSERT_OK_AND_ASSIGN(auto open, resolve({{5, -1}}, 10));
  EXPECT_EQ(open->first, 5);
  EXPECT_EQ(open->last, 9);
  ASSERT_OK_AND_ASSIGN(auto clipped, resolve({{5, 100}}, 10));
  EXPECT_EQ(clipped->last, 9);
  ASSERT_OK_AND_ASSIGN(auto suffix, resolve({{-1, 3}}, 10));
  EXPECT_EQ(suffix->first, 7);
  ASSERT_OK_AND_ASSIGN(auto long_suffix, resolve({{-1, 30}}, 10));
  EXPECT_EQ(long_suffix->first, 0);
  EXPECT_EQ(long_suffix->length(), 10);

  EXPECT_THAT(resolve({{20, 30}}, 10),
              StatusIs(absl::StatusCode::kOutOfRange,
                       "the requested range bytes=20-30 is outside the content (10 bytes)"));
  EXPECT_THAT(resolve({{10, -1}}, 10), StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("10-")));
  EXPECT_THAT(resolve({{5, 2}}, 10),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("outside the content")));
  EXPECT_THAT(resolve({{-1, 0}}, 10),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("outside the content")));
  EXPECT_THAT(resolve({{0, 0}}, 0),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("outside the content")));
}

TEST(HttpContentTest, IfNoneMatchComparesTagsWeakly) {
  const std::string etag = ContentEtag("abc");
  EXPECT_EQ(etag, "\"abc\"");
  EXPECT_TRUE(IfNoneMatchHits("\"abc\"", etag));
  EXPECT_TRUE(IfNoneMatchHits("\"x\", W/\"abc\"", etag));
  EXPECT_TRUE(IfNoneMatchHits("*", etag));
  EXPECT_FALSE(IfNoneMatchHits("\"abd\"", etag));
  EXPECT_FALSE(IfNoneMatchHits("", etag));
}

TEST(HttpStatusTest, CodesMapToTheirConventionalHttpStatus) {
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kOk), 200);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(rpc::HttpStatusFor(absl::StatusCode::kDataLoss), 500);
  EXPECT_EQ(rpc::HttpStatusFor(static_cast<absl::StatusCode>(99)), 500);
  for (int code = 0; code <= 16; ++code) {  // the one-to-one ones come back
    const auto status_code = static_cast<absl::StatusCode>(code);
    const int http = rpc::HttpStatusFor(status_code);
    if (http == 404 || http == 401 || http == 403 || http == 503 || http == 504 || http == 499) {
      EXPECT_EQ(rpc::StatusCodeForHttp(http), status_code) << code;
    }
  }
  EXPECT_EQ(rpc::StatusCodeForHttp(413), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(rpc::StatusCodeForHttp(416), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(rpc::StatusCodeForHttp(418), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace xmodal::server
