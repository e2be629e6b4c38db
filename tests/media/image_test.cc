// Tests for core/media/image.h. Every fixture is generated here: images are encoded with our
// encoders, with libjpeg / libwebp directly (grey, CMYK, WebP), or assembled byte by byte as
// PNG (stored zlib blocks, real CRCs) to reach colour types and headers our encoder never writes.
#include "core/media/image.h"

#include <webp/encode.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "testing/status_matchers.h"

// clang-format off
#include <jpeglib.h>  // After <cstdio>: it uses FILE and size_t.
// clang-format on

namespace xmodal::media {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

// ---- Synthetic pictures. ----

Image Solid(int width, int height, uint8_t r, uint8_t g, uint8_t b) {
  Image image{width, height, {}};
  for (int i = 0; i < width * height; ++i) image.rgb.insert(image.rgb.end(), {r, g, b});
  return image;
}

Image Gradient(int width, int height) {
  Image image{width, height, {}};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      image.rgb.push_back(static_cast<uint8_t>(x * 255 / (width - 1)));
      image.rgb.push_back(static_cast<uint8_t>(y * 255 / (height - 1)));
      image.rgb.push_back(static_cast<uint8_t>(128 + (x - y) / 2));
    }
  }
  return image;
}

double MeanAbsDiff(const Image& a, const Image& b) {
  double sum = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) sum += std::abs(a.rgb[i] - b.rgb[i]);
  return sum / a.rgb.size();
}

// ---- Hand-made PNG files. ----

uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void AppendBigEndian32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

std::string PngChunk(const std::string& type, const std::string& data) {
  std::string chunk;
  AppendBigEndian32(chunk, static_cast<uint32_t>(data.size()));
  chunk += type + data;
  AppendBigEndian32(chunk, Crc32(type + data));
  return chunk;
}

// A zlib stream of stored (uncompressed) deflate blocks.
std::string ZlibStored(const std::string& data) {
  std::string out = "\x78\x01";
  size_t offset = 0;
  do {
    const size_t n = std::min<size_t>(65535, data.size() - offset);
    out.push_back(offset + n == data.size() ? 1 : 0);
    out.push_back(static_cast<char>(n & 0xFF));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(~n & 0xFF));
    out.push_back(static_cast<char>((~n >> 8) & 0xFF));
    out += data.substr(offset, n);
    offset += n;
  } while (offset < data.size());
  uint32_t a = 1, b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  AppendBigEndian32(out, (b << 16) | a);
  return out;
}

// `rows` holds the raw scanlines without filter bytes (filter type 0 is added).
std::string MakePng(uint32_t width, uint32_t height, int bit_depth, int color_type,
                    const std::vector<std::string>& rows, const std::string& extra_chunks = "") {
  std::string ihdr;
  AppendBigEndian32(ihdr, width);
  AppendBigEndian32(ihdr, height);
  ihdr += {static_cast<char>(bit_depth), static_cast<char>(color_type), 0, 0, 0};
  std::string raw;
  for (const std::string& row : rows) raw += std::string(1, '\0') + row;
  return "\x89PNG\r\n\x1A\n" + PngChunk("IHDR", ihdr) + extra_chunks +
         PngChunk("IDAT", ZlibStored(raw)) + PngChunk("IEND", "");
}

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

// ---- JPEG in colour spaces our encoder never writes, with libjpeg directly. ----

std::string EncodeJpegComponents(int width, int height, J_COLOR_SPACE in_space, int components,
                                 J_COLOR_SPACE jpeg_space, const std::vector<uint8_t>& pixels) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);  // Valid input only: the default exit() is acceptable here.
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = width;
  cinfo.image_height = height;
  cinfo.input_components = components;
  cinfo.in_color_space = in_space;
  jpeg_set_defaults(&cinfo);
  jpeg_set_colorspace(&cinfo, jpeg_space);
  jpeg_set_quality(&cinfo, 95, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(pixels.data() + cinfo.next_scanline * width * components);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  std::free(buffer);
  return out;
}

// ---- Fixtures shared by the robustness tests. ----

std::string SmallPng() { return EncodePng(Gradient(16, 12)).value(); }
std::string SmallJpeg() { return EncodeJpeg(Gradient(16, 12), 90).value(); }
std::string SmallWebp() {
  const Image image = Gradient(16, 12);
  uint8_t* out = nullptr;
  const size_t size = WebPEncodeRGB(image.rgb.data(), 16, 12, 16 * 3, 80, &out);
  std::string webp(reinterpret_cast<char*>(out), size);
  WebPFree(out);
  return webp;
}

TEST(SniffImageFormatTest, RecognisesSupportedFormatsAndNamesOthers) {
  EXPECT_EQ(SniffImageFormat(SmallPng()).value(), ImageFormat::kPng);
  EXPECT_EQ(SniffImageFormat(SmallJpeg()).value(), ImageFormat::kJpeg);
  EXPECT_EQ(SniffImageFormat(SmallWebp()).value(), ImageFormat::kWebp);
  const auto unsupported = [](absl::string_view what) {
    return StatusIs(absl::StatusCode::kInvalidArgument,
                    AllOf(HasSubstr("unsupported image format"), HasSubstr(what)));
  };
  EXPECT_THAT(SniffImageFormat("GIF89a\x10\x00\x10\x00"), unsupported("GIF"));
  EXPECT_THAT(
      SniffImageFormat(std::string("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00", 14)),
      unsupported("BMP"));
  EXPECT_THAT(SniffImageFormat("  <svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
              unsupported("SVG"));
  EXPECT_THAT(SniffImageFormat("<?xml version=\"1.0\"?><svg/>"), unsupported("SVG/XML"));
  EXPECT_THAT(SniffImageFormat(std::string("II*\0\x08\0\0\0", 8)), unsupported("TIFF"));
  EXPECT_THAT(SniffImageFormat(std::string("RIFF\x24\0\0\0WAVEfmt ", 16)),
              unsupported("WAV audio"));
  EXPECT_THAT(SniffImageFormat("hello world"), unsupported("unrecognised bytes"));
  EXPECT_THAT(SniffImageFormat(""), unsupported("empty"));
}

TEST(ImageCodecTest, PngRoundTripIsExact) {
  for (const Image& original : {Solid(7, 5, 200, 10, 30), Gradient(33, 17)}) {
    ASSERT_OK_AND_ASSIGN(std::string png, EncodePng(original));
    ASSERT_OK_AND_ASSIGN(Image decoded, DecodeImage(png));
    EXPECT_EQ(decoded.width, original.width);
    EXPECT_EQ(decoded.height, original.height);
    EXPECT_EQ(decoded.rgb, original.rgb);
  }
}

TEST(ImageCodecTest, JpegRoundTripIsWithinTolerance) {
  const Image solid = Solid(24, 16, 200, 40, 90);
  ASSERT_OK_AND_ASSIGN(std::string jpeg, EncodeJpeg(solid, 95));
  ASSERT_OK_AND_ASSIGN(Image decoded, DecodeImage(jpeg));
  ASSERT_EQ(decoded.width, 24);
  ASSERT_EQ(decoded.height, 16);
  for (size_t i = 0; i < solid.rgb.size(); ++i) {
    ASSERT_NEAR(decoded.rgb[i], solid.rgb[i], 4) << "byte " << i;
  }
  const Image gradient = Gradient(64, 48);
  ASSERT_OK_AND_ASSIGN(jpeg, EncodeJpeg(gradient, 90));
  ASSERT_OK_AND_ASSIGN(decoded, DecodeImage(jpeg));
  ASSERT_EQ(decoded.rgb.size(), gradient.rgb.size());
  EXPECT_LT(MeanAbsDiff(decoded, gradient), 3.0);
}

TEST(ImageDecodeTest, RgbaPngIsCompositedOverWhite) {
  // Opaque red, transparent red, half-transparent blue, quarter-opaque black.
  const std::string png = MakePng(
      4, 1, 8, /*RGBA*/ 6, {Bytes({255, 0, 0, 255, 255, 0, 0, 0, 0, 0, 255, 128, 0, 0, 0, 64})});
  ASSERT_OK_AND_ASSIGN(Image image, DecodeImage(png));
  EXPECT_EQ(image.width, 4);
  EXPECT_EQ(image.height, 1);
  EXPECT_EQ(image.rgb,
            (std::vector<uint8_t>{255, 0, 0, 255, 255, 255, 127, 127, 255, 191, 191, 191}));
}

TEST(ImageDecodeTest, GreyPaletteAndSixteenBitPngsBecomeRgb) {
  ASSERT_OK_AND_ASSIGN(Image grey,
                       DecodeImage(MakePng(3, 1, 8, /*grey*/ 0, {Bytes({0, 100, 255})})));
  EXPECT_EQ(grey.rgb, (std::vector<uint8_t>{0, 0, 0, 100, 100, 100, 255, 255, 255}));

  ASSERT_OK_AND_ASSIGN(Image grey_alpha,
                       DecodeImage(MakePng(2, 1, 8, /*grey+alpha*/ 4, {Bytes({0, 255, 0, 0})})));
  EXPECT_EQ(grey_alpha.rgb, (std::vector<uint8_t>{0, 0, 0, 255, 255, 255}));

  // A 2-bit palette whose second entry is fully transparent (tRNS).
  const std::string palette =
      PngChunk("PLTE", Bytes({10, 20, 30, 40, 50, 60})) + PngChunk("tRNS", Bytes({255, 0}));
  ASSERT_OK_AND_ASSIGN(Image indexed,
                       DecodeImage(MakePng(2, 1, 2, /*palette*/ 3, {Bytes({0x10})}, palette)));
  EXPECT_EQ(indexed.rgb, (std::vector<uint8_t>{10, 20, 30, 255, 255, 255}));

  ASSERT_OK_AND_ASSIGN(Image deep, DecodeImage(MakePng(1, 1, 16, /*RGB*/ 2,
                                                       {Bytes({0xFF, 0xFF, 0x80, 0x00, 0, 0})})));
  EXPECT_EQ(deep.rgb, (std::vector<uint8_t>{255, 128, 0}));
}

TEST(ImageDecodeTest, GreyAndCmykJpegsBecomeRgb) {
  ASSERT_OK_AND_ASSIGN(Image grey,
                       DecodeImage(EncodeJpegComponents(8, 8, JCS_GRAYSCALE, 1, JCS_GRAYSCALE,
                                                        std::vector<uint8_t>(64, 90))));
  ASSERT_EQ(grey.rgb.size(), 8u * 8 * 3);
  for (uint8_t v : grey.rgb) ASSERT_NEAR(v, 90, 2);

  // Adobe-style (inverted) CMYK for pure red: C=0 M=1 Y=1 K=0 stored as 255 0 0 255. libjpeg
  // writes the Adobe marker for CMYK and YCCK.
  std::vector<uint8_t> red_cmyk;
  for (int i = 0; i < 64; ++i) red_cmyk.insert(red_cmyk.end(), {255, 0, 0, 255});
  for (J_COLOR_SPACE space : {JCS_CMYK, JCS_YCCK}) {
    ASSERT_OK_AND_ASSIGN(Image red,
                         DecodeImage(EncodeJpegComponents(8, 8, JCS_CMYK, 4, space, red_cmyk)));
    ASSERT_EQ(red.rgb.size(), 8u * 8 * 3);
    for (size_t i = 0; i < red.rgb.size(); i += 3) {
      ASSERT_GE(red.rgb[i], 250) << "space " << space;
      ASSERT_LE(red.rgb[i + 1], 5) << "space " << space;
      ASSERT_LE(red.rgb[i + 2], 5) << "space " << space;
    }
  }
}

TEST(ImageDecodeTest, DecodesLossyLosslessAndAlphaWebp) {
  const Image gradient = Gradient(20, 10);
  uint8_t* out = nullptr;
  size_t size = WebPEncodeLosslessRGB(gradient.rgb.data(), 20, 10, 60, &out);
  ASSERT_GT(size, 0u);
  ASSERT_OK_AND_ASSIGN(Image lossless,
                       DecodeImage(std::string(reinterpret_cast<char*>(out), size)));
  WebPFree(out);
  EXPECT_EQ(lossless.rgb, gradient.rgb);

  ASSERT_OK_AND_ASSIGN(Image lossy, DecodeImage(SmallWebp()));
  EXPECT_EQ(lossy.width, 16);
  EXPECT_EQ(lossy.height, 12);
  EXPECT_LT(MeanAbsDiff(lossy, Gradient(16, 12)), 8.0);

  const std::vector<uint8_t> rgba = {0, 0, 255, 255, 0, 0, 255, 0};  // Opaque, clear blue.
  size = WebPEncodeLosslessRGBA(rgba.data(), 2, 1, 8, &out);
  ASSERT_GT(size, 0u);
  ASSERT_OK_AND_ASSIGN(Image alpha, DecodeImage(std::string(reinterpret_cast<char*>(out), size)));
  WebPFree(out);
  EXPECT_EQ(alpha.rgb, (std::vector<uint8_t>{0, 0, 255, 255, 255, 255}));
}

TEST(ImageDecodeTest, EveryTruncationIsInvalidArgument) {
  for (const std::string& full : {SmallPng(), SmallJpeg(), SmallWebp()}) {
    ASSERT_OK(DecodeImage(full));
    for (size_t length = 0; length < full.size(); ++length) {
      EXPECT_THAT(DecodeImage(full.substr(0, length)),
                  StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_))
          << "format " << static_cast<int>(SniffImageFormat(full).value()) << " cut to " << length
          << " of " << full.size() << " bytes";
    }
  }
  EXPECT_THAT(DecodeImage(SmallPng().substr(0, 100)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated PNG")));
  const std::string jpeg = SmallJpeg();
  EXPECT_THAT(DecodeImage(jpeg.substr(0, jpeg.size() - 40)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated JPEG")));
  const std::string webp = SmallWebp();
  EXPECT_THAT(DecodeImage(webp.substr(0, webp.size() - 10)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("WebP")));
}

TEST(ImageDecodeTest, CorruptDataNamesTheFormat) {
  std::string png = SmallPng();
  png[png.size() - 20] ^= 0x5A;  // Inside the IDAT payload or its CRC.
  EXPECT_THAT(DecodeImage(png),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrupt PNG")));
  std::string jpeg = SmallJpeg();
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  jpeg[sof + 4] = 7;  // Sample precision: libjpeg-turbo decodes 8 (and 12) bits only.
  EXPECT_THAT(DecodeImage(jpeg),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrupt JPEG")));
}

TEST(ImageDecodeTest, RandomByteFlipsNeverCrash) {
  const std::vector<std::string> inputs = {SmallPng(), SmallJpeg(), SmallWebp()};
  std::mt19937 rng(20240611);
  int decoded_ok = 0;
  for (int iteration = 0; iteration < 600; ++iteration) {
    std::string bytes = inputs[iteration % inputs.size()];
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f)
      bytes[rng() % bytes.size()] ^= static_cast<char>(1 + rng() % 255);
    absl::StatusOr<Image> result = DecodeImage(bytes);
    if (result.ok()) {
      ++decoded_ok;
      ASSERT_EQ(result->rgb.size(), static_cast<size_t>(result->width) * result->height * 3);
    } else {
      ASSERT_TRUE(result.status().code() == absl::StatusCode::kInvalidArgument ||
                  result.status().code() == absl::StatusCode::kResourceExhausted)
          << result.status();
    }
  }
  EXPECT_GT(decoded_ok, 0);  // Flips in pixel data should often still decode.
}

TEST(ImageDecodeTest, HugePngHeaderIsRefusedBeforeDecoding) {
  const std::string png = MakePng(100000, 100000, 8, 2, {Bytes({0, 0, 0})});
  EXPECT_THAT(
      DecodeImage(png),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("image header claims 100000x100000 pixels; the limit is 40000000")));
}

TEST(ImageDecodeTest, HugeJpegHeaderIsRefusedBeforeDecoding) {
  std::string jpeg = SmallJpeg();
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  // SOF0: marker, length (2), precision (1), height (2), width (2).
  for (size_t offset : {sof + 5, sof + 7}) {
    jpeg[offset] = static_cast<char>(60000 >> 8);
    jpeg[offset + 1] = static_cast<char>(60000 & 0xFF);
  }
  EXPECT_THAT(DecodeImage(jpeg),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("image header claims 60000x60000 pixels; the limit is 40000000")));
}

TEST(ImageDecodeTest, SideAndSizeLimits) {
  ImageLimits limits;
  limits.max_side = 10;
  EXPECT_THAT(DecodeImage(SmallPng(), limits),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("10 pixels per side")));
  EXPECT_THAT(DecodeImage(SmallWebp(), limits),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("16x12")));
  limits = ImageLimits();
  limits.max_bytes = 50;
  EXPECT_THAT(DecodeImage(SmallJpeg(), limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("the limit is 50")));
  EXPECT_THAT(DecodeImage(MakePng(0, 1, 8, 2, {})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrupt PNG")));
}

TEST(ImageDecodeTest, UnsupportedAndEmptyInputIsInvalidArgument) {
  EXPECT_THAT(DecodeImage(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  EXPECT_THAT(DecodeImage("GIF89a\x01\x00\x01\x00\x80\x00\x00"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("unsupported image format"), HasSubstr("GIF"))));
  EXPECT_THAT(DecodeImage(std::string("BM\x3A\0\0\0\0\0\0\0\x36\0\0\0", 14)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("unsupported image format"), HasSubstr("BMP"))));
  EXPECT_THAT(DecodeImage("<svg width=\"10\" height=\"10\"></svg>"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("unsupported image format"), HasSubstr("SVG"))));
}

TEST(ImageEncodeTest, RejectsEmptyOrInconsistentImages) {
  EXPECT_THAT(EncodePng(Image{}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty")));
  Image short_buffer = Solid(4, 4, 1, 2, 3);
  short_buffer.rgb.pop_back();
  EXPECT_THAT(EncodePng(short_buffer),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inconsistent image")));
  EXPECT_THAT(EncodeJpeg(short_buffer),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inconsistent image")));
  EXPECT_THAT(EncodeJpeg(Solid(4, 4, 1, 2, 3), 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("quality")));
  EXPECT_THAT(EncodeJpeg(Image{70000, 1, std::vector<uint8_t>(70000 * 3)}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("65500 per side")));
}

TEST(ImageDecodeTest, ConcurrentDecodesAgree) {
  const std::string png = EncodePng(Gradient(40, 30)).value();
  const std::string jpeg = SmallJpeg();
  const Image expected_jpeg = DecodeImage(jpeg).value();
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto a = DecodeImage(png);
        auto b = DecodeImage(jpeg);
        auto c = DecodeImage(jpeg.substr(0, jpeg.size() / 2));
        if (!a.ok() || a->rgb != Gradient(40, 30).rgb) ++failures[t];
        if (!b.ok() || b->rgb != expected_jpeg.rgb) ++failures[t];
        if (c.status().code() != absl::StatusCode::kInvalidArgument) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace xmodal::media
