// The search page served by xmodal-server at "/", "/app.js" and "/style.css": the files of
// server/web, compiled into the binary at build time (embed_web_assets.cmake), so the server
// needs no files beside it and the page works offline.
//
//   if (const WebAsset* asset = FindWebAsset(request.path)) {
//     if (request.get_header_value("If-None-Match") == asset->etag) -> 304
//     else -> 200 with asset->body, Content-Type asset->content_type, ETag asset->etag
//   }
#ifndef XMODAL_SERVER_WEB_WEB_ASSETS_H_
#define XMODAL_SERVER_WEB_WEB_ASSETS_H_

#include "absl/strings/string_view.h"

namespace xmodal::server {

// One embedded file. The views point at static storage: valid for the life of the process.
struct WebAsset {
  absl::string_view body;          // the file's bytes, exactly
  absl::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  absl::string_view etag;          // a strong ETag, quoted: "\"<32 hex digits of SHA-256>\""
};

// The asset served at the URL path `path` (no query string): "/" (index.html, text/html),
// "/app.js" (text/javascript) and "/style.css" (text/css), each "; charset=utf-8". nullptr for
// any other path (including "/index.html"). Thread-safe.
const WebAsset* FindWebAsset(absl::string_view path);

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_WEB_WEB_ASSETS_H_
