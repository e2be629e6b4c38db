// Rasterises SVG documents with librsvg (the only place in xmodal that uses it).
#ifndef XMODAL_TRAINER_CORPUS_SVG_RENDER_H_
#define XMODAL_TRAINER_CORPUS_SVG_RENDER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/media/image.h"

namespace xmodal::corpus {

inline constexpr int kMaxSvgSide = 8192;

// Renders the SVG document `svg` so that its longer side is `longer_side` pixels (the other
// side keeps the document's aspect ratio, at least 1 pixel), composited over white, as RGB.
// The size comes from the document's width/height, else its viewBox, else it is square.
// INVALID_ARGUMENT when `longer_side` is outside [1, kMaxSvgSide], when `svg` is empty or
// librsvg cannot parse or render it (librsvg's message included). Thread-safe (each call
// has its own librsvg handle and cairo surface); never throws.
absl::StatusOr<media::Image> RenderSvg(absl::string_view svg, int longer_side);

}  // namespace xmodal::corpus

#endif  // XMODAL_TRAINER_CORPUS_SVG_RENDER_H_
