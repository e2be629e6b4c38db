// JPEG decoding with libjpeg-turbo. libjpeg reports errors by longjmp, so every libjpeg call
// happens in ReadJpegHeader / DecodeJpegPixels, whose locals are trivially destructible; the
// C++ objects (the pixel vector, the Status) live in DecodeJpeg, outside the jump's reach.

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/media/image_internal.h"
#include "core/media/jpeg_error.h"
#include "core/media/jpeg_lib.h"

namespace xmodal::media::internal {
namespace {

// As TurboJPEG's TJFLAG_LIMITSCANS: thousands of tiny progressive scans make decoding
// quadratic, a known denial of service; real encoders emit at most a few dozen.
constexpr int kMaxProgressiveScans = 500;

struct JpegDecodeContext {
  jpeg_decompress_struct cinfo;
  JpegErrorManager error;
  jpeg_progress_mgr progress;
};

// Value-initialised before use, so destroying before jpeg_create_decompress is a no-op.
class JpegDecodeGuard {
 public:
  explicit JpegDecodeGuard(JpegDecodeContext* ctx) : ctx_(ctx) {}
  ~JpegDecodeGuard() { jpeg_destroy_decompress(&ctx_->cinfo); }
  JpegDecodeGuard(const JpegDecodeGuard&) = delete;
  JpegDecodeGuard& operator=(const JpegDecodeGuard&) = delete;

 private:
  JpegDecodeContext* ctx_;
};

void LimitScans(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxProgressiveScans) {
    FailJpeg(cinfo, "more than 500 progressive scans");
  }
}

// Converts one row of CMYK to RGB. Adobe (Photoshop) JPEGs store the channels inverted.
void CmykRowToRgb(const JSAMPLE* cmyk, JDIMENSION width, bool adobe_inverted, uint8_t* rgb) {
  for (JDIMENSION x = 0; x < width; ++x) {
    unsigned v[4];
    for (int c = 0; c < 4; ++c) v[c] = adobe_inverted ? cmyk[4 * x + c] : 255u - cmyk[4 * x + c];
    for (int c = 0; c < 3; ++c) rgb[3 * x + c] = static_cast<uint8_t>((v[c] * v[3] + 127u) / 255u);
  }
}

// Creates the decompressor and parses the markers up to the first scan. False after an error.
bool ReadJpegHeader(JpegDecodeContext* ctx, const unsigned char* data, unsigned long size) {
  InstallJpegErrorManager(reinterpret_cast<j_common_ptr>(&ctx->cinfo), &ctx->error);
  if (setjmp(ctx->error.jump)) return false;
  jpeg_create_decompress(&ctx->cinfo);
  ctx->progress.progress_monitor = LimitScans;
  ctx->cinfo.progress = &ctx->progress;
  jpeg_mem_src(&ctx->cinfo, data, size);
  jpeg_read_header(&ctx->cinfo, TRUE);
  return true;
}

// Decodes every scanline into `rgb` (image_width * image_height * 3 bytes) and reads to the
// end-of-image marker. False after an error.
bool DecodeJpegPixels(JpegDecodeContext* ctx, uint8_t* rgb) {
  if (setjmp(ctx->error.jump)) return false;
  j_decompress_ptr cinfo = &ctx->cinfo;
  j_common_ptr common = reinterpret_cast<j_common_ptr>(cinfo);
  jpeg_start_decompress(cinfo);
  if (cinfo->output_width != cinfo->image_width || cinfo->output_height != cinfo->image_height ||
      (cinfo->output_components != 3 && cinfo->output_components != 4)) {
    FailJpeg(common, "unexpected output geometry");
  }
  const JDIMENSION width = cinfo->output_width;
  JSAMPARRAY cmyk = nullptr;
  if (cinfo->output_components == 4) {
    cmyk = (*cinfo->mem->alloc_sarray)(common, JPOOL_IMAGE, width * 4, 1);
  }
  while (cinfo->output_scanline < cinfo->output_height) {
    uint8_t* dst = rgb + static_cast<size_t>(cinfo->output_scanline) * width * 3;
    JSAMPROW row = cmyk != nullptr ? cmyk[0] : dst;
    if (jpeg_read_scanlines(cinfo, &row, 1) != 1) FailJpeg(common, "decoder stalled");
    if (cmyk != nullptr) CmykRowToRgb(cmyk[0], width, cinfo->saw_Adobe_marker, dst);
  }
  jpeg_finish_decompress(cinfo);
  return true;
}

absl::Status JpegFailure(const JpegDecodeContext& ctx, const ImageLimits& limits) {
  switch (ctx.error.code) {
    case JWRN_JPEG_EOF:
      return absl::InvalidArgumentError(
          "truncated JPEG: the data ends before the end-of-image marker");
    case JERR_IMAGE_TOO_BIG: {
      const int64_t width = ctx.cinfo.image_width, height = ctx.cinfo.image_height;
      absl::Status status = CheckImageDimensions("JPEG", width, height, limits);
      if (!status.ok()) return status;
      return absl::InvalidArgumentError(absl::StrCat("image header claims ", width, "x", height,
                                                     " pixels; libjpeg's limit is ",
                                                     JPEG_MAX_DIMENSION, " per side"));
    }
    case JERR_OUT_OF_MEMORY:
      return absl::ResourceExhaustedError(
          absl::StrCat("out of memory decoding JPEG: ", ctx.error.message));
    default:
      return absl::InvalidArgumentError(absl::StrCat("corrupt JPEG: ", ctx.error.message));
  }
}

}  // namespace

absl::StatusOr<Image> DecodeJpeg(absl::string_view bytes, const ImageLimits& limits) {
  JpegDecodeContext ctx{};
  JpegDecodeGuard guard(&ctx);
  if (!ReadJpegHeader(&ctx, reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<unsigned long>(bytes.size()))) {
    return JpegFailure(ctx, limits);
  }
  const int64_t width = ctx.cinfo.image_width, height = ctx.cinfo.image_height;
  absl::Status status = CheckImageDimensions("JPEG", width, height, limits);
  if (!status.ok()) return status;
  const bool cmyk =
      ctx.cinfo.jpeg_color_space == JCS_CMYK || ctx.cinfo.jpeg_color_space == JCS_YCCK;
  ctx.cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;  // Grey expands to RGB in libjpeg.

  Image image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.rgb.resize(static_cast<size_t>(width * height * 3));
  if (!DecodeJpegPixels(&ctx, image.rgb.data())) return JpegFailure(ctx, limits);
  return image;
}

}  // namespace xmodal::media::internal
