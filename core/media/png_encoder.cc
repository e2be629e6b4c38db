// EncodePng with libpng (8-bit RGB, no interlace, zlib level 6). The libpng calls live in
// WritePng, whose locals are trivially destructible, because libpng reports errors by longjmp.
#include <png.h>

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/media/image.h"
#include "core/media/image_internal.h"

namespace xmodal::media {
namespace {

struct PngEncodeContext {
  png_structp png;
  png_infop info;
  std::string* output;
  bool out_of_memory;
  char message[256];
};

class PngEncodeGuard {
 public:
  explicit PngEncodeGuard(PngEncodeContext* ctx) : ctx_(ctx) {}
  ~PngEncodeGuard() { png_destroy_write_struct(&ctx_->png, &ctx_->info); }
  PngEncodeGuard(const PngEncodeGuard&) = delete;
  PngEncodeGuard& operator=(const PngEncodeGuard&) = delete;

 private:
  PngEncodeContext* ctx_;
};

[[noreturn]] void PngError(png_structp png, png_const_charp message) {
  auto* ctx = static_cast<PngEncodeContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof(ctx->message), "%s", message);
  png_longjmp(png, 1);
}

void PngWarning(png_structp, png_const_charp) {}

void PngWrite(png_structp png, png_bytep data, size_t length) {
  auto* ctx = static_cast<PngEncodeContext*>(png_get_io_ptr(png));
  try {
    ctx->output->append(reinterpret_cast<const char*>(data), length);
  } catch (const std::bad_alloc&) {
    ctx->out_of_memory = true;
  }
  // Raised outside the catch block: a longjmp must not leave a handler.
  if (ctx->out_of_memory) png_error(png, "out of memory");
}

void PngFlush(png_structp) {}

bool WritePng(PngEncodeContext* ctx, png_bytepp rows, png_uint_32 width, png_uint_32 height) {
  if (setjmp(png_jmpbuf(ctx->png))) return false;
  png_set_write_fn(ctx->png, ctx, PngWrite, PngFlush);
  png_set_compression_level(ctx->png, 6);
  png_set_IHDR(ctx->png, ctx->info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(ctx->png, ctx->info);
  png_write_image(ctx->png, rows);
  png_write_end(ctx->png, nullptr);
  return true;
}

}  // namespace

absl::StatusOr<std::string> EncodePng(const Image& image) {
  absl::Status status = internal::ValidateImageForEncoding(image, "PNG", PNG_UINT_31_MAX);
  if (!status.ok()) return status;
  std::string output;
  PngEncodeContext ctx{};
  ctx.output = &output;
  ctx.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, PngError, PngWarning);
  if (ctx.png == nullptr) return absl::InternalError("libpng could not create a writer");
  PngEncodeGuard guard(&ctx);
  ctx.info = png_create_info_struct(ctx.png);
  if (ctx.info == nullptr) return absl::InternalError("libpng could not create an info struct");
  const size_t stride = static_cast<size_t>(image.width) * 3;
  std::vector<png_bytep> rows(image.height);
  for (size_t y = 0; y < rows.size(); ++y) {
    // libpng does not write through the row pointers; its API just is not const-correct.
    rows[y] = const_cast<png_bytep>(image.rgb.data() + y * stride);
  }
  if (!WritePng(&ctx, rows.data(), image.width, image.height)) {
    if (ctx.out_of_memory) return absl::ResourceExhaustedError("out of memory encoding PNG");
    return absl::InternalError(absl::StrCat("PNG encoding failed: ", ctx.message));
  }
  return output;
}

}  // namespace xmodal::media
