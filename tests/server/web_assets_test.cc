// The embedded search page: the three served paths, their types and ETags, and that the page
// references its script and style sheet by the paths served.
#include "server/web/web_assets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace xmodal::server {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(WebAssetsTest, ServesThePageItsScriptAndItsStyleSheet) {
  const WebAsset* index = FindWebAsset("/");
  const WebAsset* script = FindWebAsset("/app.js");
  const WebAsset* style = FindWebAsset("/style.css");
  ASSERT_NE(index, nullptr);
  ASSERT_NE(script, nullptr);
  ASSERT_NE(style, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(style->content_type, "text/css; charset=utf-8");
  EXPECT_THAT(std::string(index->body), HasSubstr("<!doctype html>"));
  EXPECT_THAT(std::string(script->body), HasSubstr("/v1/search"));
  EXPECT_THAT(std::string(style->body), HasSubstr(".results"));
  // The bodies are the files exactly: no terminator or padding.
  EXPECT_EQ(index->body.back(), '\n');
  EXPECT_EQ(FindWebAsset("/"), index);  // stable storage
}

TEST(WebAssetsTest, IndexReferencesTheServedScriptAndStyleSheet) {
  const std::string html(FindWebAsset("/")->body);
  EXPECT_THAT(html, HasSubstr("src=\"/app.js\""));
  EXPECT_THAT(html, HasSubstr("href=\"/style.css\""));
  // No CDN or external font: everything comes from the server itself.
  EXPECT_THAT(html, ::testing::Not(HasSubstr("http://")));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("https://")));
}

TEST(WebAssetsTest, EtagsAreQuotedHashesThatDifferPerFile) {
  const absl::string_view paths[] = {"/", "/app.js", "/style.css"};
  for (absl::string_view path : paths) {
    EXPECT_THAT(std::string(FindWebAsset(path)->etag), MatchesRegex("\"[0-9a-f]{32}\"")) << path;
  }
  EXPECT_NE(FindWebAsset("/")->etag, FindWebAsset("/app.js")->etag);
  EXPECT_NE(FindWebAsset("/app.js")->etag, FindWebAsset("/style.css")->etag);
}

TEST(WebAssetsTest, OtherPathsAreNotAssets) {
  for (absl::string_view path : {"", "/index.html", "/app.js/", "/APP.JS", "/style.css?x=1",
                                 "/v1/search", "/web_assets_data.cc", "app.js"}) {
    EXPECT_EQ(FindWebAsset(path), nullptr) << path;
  }
}

}  // namespace
}  // namespace xmodal::server
