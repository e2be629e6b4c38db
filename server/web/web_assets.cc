#include "server/web/web_assets.h"

#include <cstddef>

namespace xmodal::server {

// Defined in the generated web_assets_data.cc (embed_web_assets.cmake).
namespace web_data {
extern const unsigned char k_index_html[];
extern const std::size_t k_index_html_size;
extern const char k_index_html_etag[];
extern const unsigned char k_app_js[];
extern const std::size_t k_app_js_size;
extern const char k_app_js_etag[];
extern const unsigned char k_style_css[];
extern const std::size_t k_style_css_size;
extern const char k_style_css_etag[];
}  // namespace web_data

namespace {

absl::string_view Bytes(const unsigned char* data, std::size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

struct Route {
  absl::string_view path;
  WebAsset asset;
};

// Built on first use: the generated sizes are not constant expressions in this file.
const Route* Routes(std::size_t* count) {
  static const Route routes[] = {
      {"/",
       {Bytes(web_data::k_index_html, web_data::k_index_html_size), "text/html; charset=utf-8",
        web_data::k_index_html_etag}},
      {"/app.js",
       {Bytes(web_data::k_app_js, web_data::k_app_js_size), "text/javascript; charset=utf-8",
        web_data::k_app_js_etag}},
      {"/style.css",
       {Bytes(web_data::k_style_css, web_data::k_style_css_size), "text/css; charset=utf-8",
        web_data::k_style_css_etag}},
  };
  *count = sizeof(routes) / sizeof(routes[0]);
  return routes;
}

}  // namespace

const WebAsset* FindWebAsset(absl::string_view path) {
  std::size_t count = 0;
  const Route* routes = Routes(&count);
  for (std::size_t i = 0; i < count; ++i) {
    if (routes[i].path == path) return &routes[i].asset;
  }
  return nullptr;
}

}  // namespace xmodal::server
