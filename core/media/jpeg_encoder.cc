// EncodeJpeg with libjpeg-turbo (baseline, 4:2:0, libjpeg's standard quality tables). The
// libjpeg calls live in CompressJpeg, whose locals are trivially destructible (see
// jpeg_error.h); the output buffer is malloc'ed by jpeg_mem_dest and freed here.

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/media/image.h"
#include "core/media/image_internal.h"
#include "core/media/jpeg_error.h"
#include "core/media/jpeg_lib.h"

namespace xmodal::media {
namespace {

struct JpegEncodeContext {
  jpeg_compress_struct cinfo;
  internal::JpegErrorManager error;
  unsigned char* output;  // Owned; malloc'ed (and grown) by libjpeg's memory destination.
  unsigned long output_size;
};

class JpegEncodeGuard {
 public:
  explicit JpegEncodeGuard(JpegEncodeContext* ctx) : ctx_(ctx) {}
  ~JpegEncodeGuard() {
    jpeg_destroy_compress(&ctx_->cinfo);
    std::free(ctx_->output);
  }
  JpegEncodeGuard(const JpegEncodeGuard&) = delete;
  JpegEncodeGuard& operator=(const JpegEncodeGuard&) = delete;

 private:
  JpegEncodeContext* ctx_;
};

bool CompressJpeg(JpegEncodeContext* ctx, const uint8_t* rgb, int width, int height, int quality) {
  internal::InstallJpegErrorManager(reinterpret_cast<j_common_ptr>(&ctx->cinfo), &ctx->error);
  if (setjmp(ctx->error.jump)) return false;
  j_compress_ptr cinfo = &ctx->cinfo;
  jpeg_create_compress(cinfo);
  jpeg_mem_dest(cinfo, &ctx->output, &ctx->output_size);
  cinfo->image_width = static_cast<JDIMENSION>(width);
  cinfo->image_height = static_cast<JDIMENSION>(height);
  cinfo->input_components = 3;
  cinfo->in_color_space = JCS_RGB;
  jpeg_set_defaults(cinfo);
  jpeg_set_quality(cinfo, quality, TRUE);
  jpeg_start_compress(cinfo, TRUE);
  const size_t stride = static_cast<size_t>(width) * 3;
  while (cinfo->next_scanline < cinfo->image_height) {
    // libjpeg does not write through the row pointer; its API just is not const-correct.
    JSAMPROW row = const_cast<JSAMPROW>(rgb + cinfo->next_scanline * stride);
    jpeg_write_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_compress(cinfo);
  return true;
}

}  // namespace

absl::StatusOr<std::string> EncodeJpeg(const Image& image, int quality) {
  if (quality < 1 || quality > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("JPEG quality must be in [1, 100]; got ", quality));
  }
  absl::Status status = internal::ValidateImageForEncoding(image, "JPEG", JPEG_MAX_DIMENSION);
  if (!status.ok()) return status;
  JpegEncodeContext ctx{};
  JpegEncodeGuard guard(&ctx);
  if (!CompressJpeg(&ctx, image.rgb.data(), image.width, image.height, quality)) {
    return absl::InternalError(absl::StrCat("JPEG encoding failed: ", ctx.error.message));
  }
  return std::string(reinterpret_cast<const char*>(ctx.output), ctx.output_size);
}

}  // namespace xmodal::media
