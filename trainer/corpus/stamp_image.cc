// LoadStampImage (stamp_corpus.h): PNGs through the hardened media decoder, SVGs through
// librsvg.
#include <string>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "trainer/corpus/stamp_corpus.h"
#include "trainer/corpus/svg_render.h"

namespace xmodal::corpus {

namespace {
constexpr int64_t kMaxImageFileBytes = 64 << 20;
}  // namespace

absl::StatusOr<media::Image> LoadStampImage(const Stamp& stamp, int svg_side) {
  XM_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(stamp.image_path, kMaxImageFileBytes));
  absl::StatusOr<media::Image> image =
      stamp.image_is_svg ? RenderSvg(bytes, svg_side) : media::DecodeImage(bytes);
  if (!image.ok()) {
    return absl::Status(image.status().code(),
                        absl::StrCat(stamp.image_path, ": ", image.status().message()));
  }
  return image;
}

}  // namespace xmodal::corpus
