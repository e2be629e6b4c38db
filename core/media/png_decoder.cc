// PNG decoding with libpng. libpng reports errors by longjmp, so every libpng call happens in
// ReadPngHeader / DecodePngPixels, whose locals are trivially destructible; the C++ objects
// (pixel and row vectors, the Status) live in DecodePng, outside the jump's reach.
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/media/image_internal.h"

namespace xmodal::media::internal {
namespace {

// Cap on one ancillary chunk (and its decompressed form, e.g. iCCP, zTXt), and on how many
// ancillary chunks (text, sPLT, unknown) libpng keeps.
constexpr png_alloc_size_t kMaxChunkBytes = 8 << 20;
constexpr png_uint_32 kMaxAncillaryChunks = 256;
// IHDR is always the first chunk: signature (8), length (4), "IHDR" (4), width (4), height (4).
constexpr size_t kIhdrTypeOffset = 12;
constexpr size_t kIhdrWidthOffset = 16;

struct PngDecodeContext {
  png_structp png;
  png_infop info;
  const unsigned char* data;
  size_t size;
  size_t offset;
  png_uint_32 max_side;
  bool truncated;
  char message[256];
  // From the header.
  png_uint_32 width;
  png_uint_32 height;
  bool has_alpha;
};

class PngDecodeGuard {
 public:
  explicit PngDecodeGuard(PngDecodeContext* ctx) : ctx_(ctx) {}
  ~PngDecodeGuard() { png_destroy_read_struct(&ctx_->png, &ctx_->info, nullptr); }
  PngDecodeGuard(const PngDecodeGuard&) = delete;
  PngDecodeGuard& operator=(const PngDecodeGuard&) = delete;

 private:
  PngDecodeContext* ctx_;
};

[[noreturn]] void PngError(png_structp png, png_const_charp message) {
  auto* ctx = static_cast<PngDecodeContext*>(png_get_error_ptr(png));
  std::snprintf(ctx->message, sizeof(ctx->message), "%s", message);
  png_longjmp(png, 1);
}

void PngWarning(png_structp, png_const_charp) {}

void PngRead(png_structp png, png_bytep out, size_t length) {
  auto* ctx = static_cast<PngDecodeContext*>(png_get_io_ptr(png));
  if (length > ctx->size - ctx->offset) {
    ctx->truncated = true;
    png_error(png, "unexpected end of data");
  }
  std::memcpy(out, ctx->data + ctx->offset, length);
  ctx->offset += length;
}

// Reads the signature and the chunks before the first IDAT. False after an error.
bool ReadPngHeader(PngDecodeContext* ctx) {
  if (setjmp(png_jmpbuf(ctx->png))) return false;
  png_set_read_fn(ctx->png, ctx, PngRead);
  // A backstop: DecodePng has already checked the IHDR dimensions against the same limit.
  png_set_user_limits(ctx->png, ctx->max_side, ctx->max_side);
  png_set_chunk_malloc_max(ctx->png, kMaxChunkBytes);
  png_set_chunk_cache_max(ctx->png, kMaxAncillaryChunks);
  png_read_info(ctx->png, ctx->info);
  ctx->width = png_get_image_width(ctx->png, ctx->info);
  ctx->height = png_get_image_height(ctx->png, ctx->info);
  const png_byte color_type = png_get_color_type(ctx->png, ctx->info);
  ctx->has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0 ||
                   png_get_valid(ctx->png, ctx->info, PNG_INFO_tRNS) != 0;
  return true;
}

// Decodes to 8-bit RGB, or RGBA when the image has alpha, into `rows`, then reads to IEND (so
// that a file cut after the pixel data still counts as truncated). False after an error.
bool DecodePngPixels(PngDecodeContext* ctx, png_bytepp rows) {
  if (setjmp(png_jmpbuf(ctx->png))) return false;
  png_structp png = ctx->png;
  png_set_expand(png);  // Palette to RGB, grey below 8 bits to 8 bits, tRNS to alpha.
  png_set_scale_16(png);
  png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, ctx->info);
  const size_t channels = ctx->has_alpha ? 4 : 3;
  if (png_get_rowbytes(png, ctx->info) != ctx->width * channels) {
    png_error(png, "unexpected row size after colour conversion");
  }
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  return true;
}

uint32_t BigEndian32(absl::string_view bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
  return value;
}

// Checks the IHDR dimensions straight from the bytes, so that an over-limit image is
// RESOURCE_EXHAUSTED with its numbers rather than a libpng "exceeds user limit" error. Bytes
// without a readable IHDR pass here and fail in libpng.
absl::Status CheckIhdrDimensions(absl::string_view bytes, const ImageLimits& limits) {
  if (bytes.size() < kIhdrWidthOffset + 8 || bytes.substr(kIhdrTypeOffset, 4) != "IHDR") {
    return absl::OkStatus();
  }
  const int64_t width = BigEndian32(bytes, kIhdrWidthOffset);
  const int64_t height = BigEndian32(bytes, kIhdrWidthOffset + 4);
  if (width == 0 || height == 0) return absl::OkStatus();  // libpng names the problem.
  return CheckImageDimensions("PNG", width, height, limits);
}

absl::Status PngFailure(const PngDecodeContext& ctx) {
  if (ctx.truncated) {
    return absl::InvalidArgumentError(absl::StrCat("truncated PNG: the data ends after ", ctx.size,
                                                   " bytes, before the IEND chunk"));
  }
  return absl::InvalidArgumentError(absl::StrCat("corrupt PNG: ", ctx.message));
}

}  // namespace

absl::StatusOr<Image> DecodePng(absl::string_view bytes, const ImageLimits& limits) {
  absl::Status status = CheckIhdrDimensions(bytes, limits);
  if (!status.ok()) return status;
  PngDecodeContext ctx{};
  ctx.data = reinterpret_cast<const unsigned char*>(bytes.data());
  ctx.size = bytes.size();
  ctx.max_side = static_cast<png_uint_32>(std::clamp<int64_t>(limits.max_side, 1, PNG_UINT_31_MAX));
  ctx.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, PngError, PngWarning);
  if (ctx.png == nullptr) return absl::InternalError("libpng could not create a reader");
  PngDecodeGuard guard(&ctx);
  ctx.info = png_create_info_struct(ctx.png);
  if (ctx.info == nullptr) return absl::InternalError("libpng could not create an info struct");
  if (!ReadPngHeader(&ctx)) return PngFailure(ctx);
  status = CheckImageDimensions("PNG", ctx.width, ctx.height, limits);
  if (!status.ok()) return status;

  const size_t width = ctx.width, height = ctx.height;
  const size_t channels = ctx.has_alpha ? 4 : 3;
  Image image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.rgb.resize(width * height * channels);
  std::vector<png_bytep> rows(height);
  for (size_t y = 0; y < height; ++y) rows[y] = image.rgb.data() + y * width * channels;
  if (!DecodePngPixels(&ctx, rows.data())) return PngFailure(ctx);
  if (ctx.has_alpha) CompositeRgbaOverWhite(image.rgb);
  return image;
}

}  // namespace xmodal::media::internal
