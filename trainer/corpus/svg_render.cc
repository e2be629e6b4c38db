#include "trainer/corpus/svg_render.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace xmodal::corpus {
namespace {

struct GObjectUnref {
  void operator()(RsvgHandle* h) const { g_object_unref(h); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct ErrorFree {
  void operator()(GError* e) const { g_error_free(e); }
};
using HandlePtr = std::unique_ptr<RsvgHandle, GObjectUnref>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using ErrorPtr = std::unique_ptr<GError, ErrorFree>;

std::string ErrorText(GError* error) {
  return error != nullptr && error->message != nullptr ? error->message : "unknown error";
}

// The document's intrinsic size in pixels: width/height, else the viewBox, else 1 x 1.
void IntrinsicSize(RsvgHandle* handle, double& width, double& height) {
  width = height = 0;
  if (rsvg_handle_get_intrinsic_size_in_pixels(handle, &width, &height) && width > 0 &&
      height > 0) {
    return;
  }
  gboolean has_width = FALSE, has_height = FALSE, has_viewbox = FALSE;
  RsvgLength w, h;
  RsvgRectangle viewbox;
  rsvg_handle_get_intrinsic_dimensions(handle, &has_width, &w, &has_height, &h, &has_viewbox,
                                       &viewbox);
  if (has_viewbox && viewbox.width > 0 && viewbox.height > 0) {
    width = viewbox.width;
    height = viewbox.height;
    return;
  }
  width = height = 1;
}

// Converts premultiplied ARGB32 (native-endian words) to RGB over white. Un-premultiplying
// (c = p * 255 / a) and compositing (c * a / 255 + 255 - a) reduce to p + 255 - a.
media::Image ToRgbOverWhite(cairo_surface_t* surface, int width, int height) {
  media::Image image{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height * 3)};
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  uint8_t* out = image.rgb.data();
  for (int y = 0; y < height; ++y) {
    const unsigned char* row = data + static_cast<size_t>(y) * stride;
    for (int x = 0; x < width; ++x) {
      uint32_t px;
      std::memcpy(&px, row + 4 * x, 4);
      const int a = static_cast<int>(px >> 24);
      const int channels[3] = {static_cast<int>((px >> 16) & 0xFF),
                               static_cast<int>((px >> 8) & 0xFF), static_cast<int>(px & 0xFF)};
      for (int c : channels) *out++ = static_cast<uint8_t>(std::min(255, c + 255 - a));
    }
  }
  return image;
}

}  // namespace

absl::StatusOr<media::Image> RenderSvg(absl::string_view svg, int longer_side) {
  if (longer_side < 1 || longer_side > kMaxSvgSide) {
    return absl::InvalidArgumentError(
        absl::StrCat("SVG render size ", longer_side, " is outside [1, ", kMaxSvgSide, "]"));
  }
  if (svg.empty()) return absl::InvalidArgumentError("SVG document is empty");
  GError* raw_error = nullptr;
  HandlePtr handle(rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()),
                                             svg.size(), &raw_error));
  ErrorPtr error(raw_error);
  if (handle == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("librsvg cannot parse the SVG: ", ErrorText(error.get())));
  }
  double doc_w = 0, doc_h = 0;
  IntrinsicSize(handle.get(), doc_w, doc_h);
  const double scale = longer_side / std::max(doc_w, doc_h);
  const int width = std::clamp(static_cast<int>(std::lround(doc_w * scale)), 1, longer_side);
  const int height = std::clamp(static_cast<int>(std::lround(doc_h * scale)), 1, longer_side);

  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cairo cannot create a ", width, "x", height,
                     " surface: ", cairo_status_to_string(cairo_surface_status(surface.get()))));
  }
  CairoPtr cr(cairo_create(surface.get()));
  const RsvgRectangle viewport = {0, 0, static_cast<double>(width), static_cast<double>(height)};
  raw_error = nullptr;
  const gboolean ok = rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &raw_error);
  error.reset(raw_error);
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("librsvg cannot render the SVG: ", ErrorText(error.get())));
  }
  cairo_surface_flush(surface.get());
  return ToRgbOverWhite(surface.get(), width, height);
}

}  // namespace xmodal::corpus
