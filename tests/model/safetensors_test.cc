#include "core/model/weights/safetensors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/base/file_util.h"
#include "core/model/weights/float16.h"
#include "testing/golden.h"
#include "testing/status_matchers.h"

namespace xmodal::model::weights {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

constexpr char kWhat[] = "weights.safetensors";

template <typename T>
std::string BytesOf(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// A file with `header` as its JSON header, followed by `data_size` zero bytes.
std::string RawFile(const std::string& header, size_t data_size) {
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + std::string(data_size, '\0');
}

// A file whose length field says `length`, followed by `rest`.
std::string WithLength(uint64_t length, const std::string& rest) {
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((length >> (8 * i)) & 0xff);
  return out + rest;
}

absl::StatusOr<SafetensorsFile> Parse(const std::string& file) {
  return ParseSafetensors(file, kWhat);
}

// Expects INVALID_ARGUMENT whose message names the file and contains every one of `parts`.
void ExpectInvalid(const std::string& file, std::vector<std::string> parts) {
  std::vector<::testing::Matcher<std::string>> matchers = {HasSubstr(kWhat)};
  for (const std::string& p : parts) matchers.push_back(HasSubstr(p));
  EXPECT_THAT(Parse(file),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::AllOfArray(matchers)));
}

TEST(SafetensorsTest, RoundTripsTensorsAndMetadata) {
  const std::vector<float> f32 = {1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, -7.0f};
  const std::vector<uint16_t> f16 = {FloatToHalf(1.0f), FloatToHalf(-2.5f), FloatToHalf(65504.0f),
                                     FloatToHalf(std::ldexp(1.0f, -24))};
  const std::vector<uint16_t> bf16 = {FloatToBFloat16(1.0f), FloatToBFloat16(-2.5f),
                                      FloatToBFloat16(256.0f), FloatToBFloat16(0.5f)};
  const std::vector<int64_t> i64 = {-1, 0, int64_t{1} << 40};
  const std::string file = EncodeSafetensors({{"w.f32", DType::kF32, {2, 3}, BytesOf(f32)},
                                              {"w.f16", DType::kF16, {4}, BytesOf(f16)},
                                              {"w.bf16", DType::kBF16, {2, 1, 2}, BytesOf(bf16)},
                                              {"ids", DType::kI64, {3}, BytesOf(i64)}},
                                             {{"format", "pt"}, {"note", "quote \" and \xc3\xa9"}});

  uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | static_cast<uint8_t>(file[i]);
  EXPECT_EQ((8 + header_size) % 8, 0u);
  EXPECT_EQ(file.size(), 8 + header_size + 24 + 8 + 8 + 24);

  ASSERT_OK_AND_ASSIGN(const SafetensorsFile parsed, Parse(file));
  EXPECT_THAT(
      parsed.metadata,
      ElementsAre(std::pair<const std::string, std::string>("format", "pt"),
                  std::pair<const std::string, std::string>("note", "quote \" and \xc3\xa9")));
  ASSERT_EQ(parsed.tensors.size(), 4u);
  const TensorView& a = parsed.tensors.at("w.f32");
  EXPECT_EQ(a.dtype, DType::kF32);
  EXPECT_THAT(a.shape, ElementsAre(2, 3));
  EXPECT_EQ(a.NumElements(), 6);
  EXPECT_EQ(a.bytes, BytesOf(f32));
  EXPECT_EQ(a.bytes.data(), file.data() + 8 + header_size);  // laid out in the given order
  ASSERT_OK_AND_ASSIGN(const std::vector<float> a_values, ToFloat32("w.f32", a));
  EXPECT_EQ(a_values, f32);

  const TensorView& h = parsed.tensors.at("w.f16");
  EXPECT_EQ(h.dtype, DType::kF16);
  EXPECT_EQ(h.bytes.data(), a.bytes.data() + 24);
  ASSERT_OK_AND_ASSIGN(const std::vector<float> h_values, ToFloat32("w.f16", h));
  EXPECT_THAT(h_values, ElementsAre(1.0f, -2.5f, 65504.0f, std::ldexp(1.0f, -24)));

  const TensorView& b = parsed.tensors.at("w.bf16");
  EXPECT_EQ(b.dtype, DType::kBF16);
  EXPECT_THAT(b.shape, ElementsAre(2, 1, 2));
  ASSERT_OK_AND_ASSIGN(const std::vector<float> b_values, ToFloat32("w.bf16", b));
  EXPECT_THAT(b_values, ElementsAre(1.0f, -2.5f, 256.0f, 0.5f));

  const TensorView& ids = parsed.tensors.at("ids");
  EXPECT_EQ(ids.dtype, DType::kI64);
  EXPECT_EQ(ids.bytes, BytesOf(i64));
  EXPECT_THAT(ToFloat32("ids", ids), StatusIs(absl::StatusCode::kInvalidArgument,
                                              AllOf(HasSubstr("'ids'"), HasSubstr("I64"))));
}

TEST(SafetensorsTest, DTypeNamesAndSizes) {
  EXPECT_EQ(DTypeName(DType::kBF16), "BF16");
  EXPECT_EQ(DTypeName(DType::kBool), "BOOL");
  EXPECT_EQ(DTypeSize(DType::kF64), 8);
  EXPECT_EQ(DTypeSize(DType::kF16), 2);
  EXPECT_EQ(DTypeSize(DType::kU8), 1);
  for (DType t : {DType::kF64, DType::kI32, DType::kI16, DType::kI8, DType::kU8, DType::kBool}) {
    const std::string file =
        EncodeSafetensors({{"t", t, {2}, std::string(2 * DTypeSize(t), 'x')}}, {});
    ASSERT_OK_AND_ASSIGN(const SafetensorsFile parsed, Parse(file));
    EXPECT_EQ(parsed.tensors.at("t").dtype, t) << DTypeName(t);
  }
}

TEST(SafetensorsTest, EmptyHeaderAndEmptyEncodingAreLegal) {
  ASSERT_OK_AND_ASSIGN(const SafetensorsFile empty, Parse(RawFile("{}", 0)));
  EXPECT_TRUE(empty.tensors.empty());
  EXPECT_TRUE(empty.metadata.empty());
  const std::string encoded = EncodeSafetensors({}, {});
  EXPECT_EQ(encoded.size() % 8, 0u);
  ASSERT_OK_AND_ASSIGN(const SafetensorsFile again, Parse(encoded));
  EXPECT_TRUE(again.tensors.empty());
}

TEST(SafetensorsTest, ZeroElementAndScalarTensorsAreLegal) {
  const std::string file = EncodeSafetensors({{"empty", DType::kF32, {0, 5}, ""},
                                              {"scalar", DType::kF64, {}, BytesOf<double>({2.5})},
                                              {"also_empty", DType::kI8, {3, 0}, ""}},
                                             {});
  ASSERT_OK_AND_ASSIGN(const SafetensorsFile parsed, Parse(file));
  EXPECT_EQ(parsed.tensors.at("empty").NumElements(), 0);
  EXPECT_TRUE(parsed.tensors.at("empty").bytes.empty());
  ASSERT_OK_AND_ASSIGN(const std::vector<float> none,
                       ToFloat32("empty", parsed.tensors.at("empty")));
  EXPECT_TRUE(none.empty());
  const TensorView& scalar = parsed.tensors.at("scalar");
  EXPECT_TRUE(scalar.shape.empty());
  EXPECT_EQ(scalar.NumElements(), 1);
  ASSERT_OK_AND_ASSIGN(const std::vector<float> value, ToFloat32("scalar", scalar));
  EXPECT_THAT(value, ElementsAre(2.5f));
  // A zero dimension makes any other dimension legal (nothing is stored).
  EXPECT_OK(Parse(RawFile(
      R"({"z":{"dtype":"F32","shape":[0,9223372036854775807,4],"data_offsets":[0,0]}})", 0)));
}

TEST(SafetensorsTest, ToFloat32ReadsUnalignedBytes) {
  const std::string storage = "x" + BytesOf<float>({1.0f, -3.0f});
  TensorView view;
  view.dtype = DType::kF32;
  view.shape = {2};
  view.bytes = absl::string_view(storage).substr(1);
  ASSERT_OK_AND_ASSIGN(const std::vector<float> f32_values, ToFloat32("v", view));
  EXPECT_THAT(f32_values, ElementsAre(1.0f, -3.0f));
  const std::string f64 = "abc" + BytesOf<double>({-0.25});
  view.dtype = DType::kF64;
  view.shape = {1};
  view.bytes = absl::string_view(f64).substr(3);
  ASSERT_OK_AND_ASSIGN(const std::vector<float> f64_values, ToFloat32("v", view));
  EXPECT_THAT(f64_values, ElementsAre(-0.25f));
  view.shape = {3};  // a hand-made view whose bytes do not match its shape
  EXPECT_THAT(ToFloat32("v", view), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'v'")));
  view.dtype = DType::kBool;
  EXPECT_THAT(ToFloat32("flags", view), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 AllOf(HasSubstr("'flags'"), HasSubstr("BOOL"))));
}

TEST(SafetensorsTest, RejectsFileShorterThanTheLengthField) {
  ExpectInvalid("", {"0 bytes", "8-byte header length"});
  ExpectInvalid(std::string("\x02\0\0\0", 4), {"4 bytes"});
}

TEST(SafetensorsTest, RejectsHeaderLengthLargerThanTheFile) {
  ExpectInvalid(WithLength(1000, "{}"), {"header length 1000", "larger than the 2 bytes"});
  ExpectInvalid(WithLength(3, "{}"), {"header length 3"});  // just past the end
  ExpectInvalid(WithLength(UINT64_MAX, "{}"), {"header length 18446744073709551615"});
}

TEST(SafetensorsTest, RejectsHeaderOverTheLimit) {
  // An anonymous mapping: the parser must reject the length without touching the pages.
  const uint64_t header_size = (uint64_t{100} << 20) + 1;
  const size_t file_size = 8 + header_size;
  void* mem = mmap(nullptr, file_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(mem, MAP_FAILED);
  char* file = static_cast<char*>(mem);
  for (int i = 0; i < 8; ++i) file[i] = static_cast<char>((header_size >> (8 * i)) & 0xff);
  EXPECT_THAT(ParseSafetensors(absl::string_view(file, file_size), kWhat),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(kWhat), HasSubstr("header length 104857601"),
                             HasSubstr("104857600-byte limit"))));
  munmap(mem, file_size);
}

TEST(SafetensorsTest, RejectsTruncatedFiles) {
  const std::string file = EncodeSafetensors({{"a", DType::kF32, {2}, BytesOf<float>({1, 2})},
                                              {"b", DType::kF32, {2}, BytesOf<float>({3, 4})}},
                                             {});
  // Cut in the data: the last tensor no longer fits.
  ExpectInvalid(file.substr(0, file.size() - 1), {"tensor 'b'", "[8, 16]", "15-byte data buffer"});
  // Cut in the header: the length field points past the end.
  ExpectInvalid(file.substr(0, 20), {"header length", "larger than the 12 bytes"});
}

TEST(SafetensorsTest, RejectsHeadersThatAreNotObjects) {
  ExpectInvalid(RawFile("[1, 2]", 0), {"header is a JSON array, not an object"});
  ExpectInvalid(RawFile("\"F32\"", 0), {"not an object"});
  ExpectInvalid(RawFile("{\"a\": ", 0), {"not valid JSON"});
  ExpectInvalid(RawFile("", 0), {"not valid JSON"});
  ExpectInvalid(RawFile("{} trailing", 0), {"not valid JSON"});
}

TEST(SafetensorsTest, RejectsDeeplyNestedOrLongArrays) {
  ExpectInvalid(RawFile(std::string(100000, '[') + std::string(100000, ']'), 0), {"nests deeper"});
  std::string dims = "1";
  for (int i = 0; i < 5000; ++i) dims += ",1";
  ExpectInvalid(
      RawFile(R"({"t":{"dtype":"F32","shape":[)" + dims + R"(],"data_offsets":[0,4]}})", 4),
      {"array of more than"});
  // Brackets inside strings are not nesting.
  EXPECT_OK(Parse(RawFile(R"({"__metadata__":{"k":")" + std::string(1000, '[') + R"(\"["}})", 0)));
}

TEST(SafetensorsTest, RejectsTensorEntriesThatAreNotObjects) {
  ExpectInvalid(RawFile(R"({"visual.proj": [1, 2]})", 0),
                {"tensor 'visual.proj'", "not a JSON object"});
}

TEST(SafetensorsTest, RejectsMissingFields) {
  ExpectInvalid(RawFile(R"({"t":{"shape":[1],"data_offsets":[0,4]}})", 4),
                {"tensor 't'", "'dtype'"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"F32","data_offsets":[0,4]}})", 4),
                {"tensor 't'", "'shape'"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"F32","shape":[1]}})", 4),
                {"tensor 't'", "'data_offsets'"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})", 4),
                {"tensor 't'", "'dtype' that is not a string"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"F32","shape":4,"data_offsets":[0,4]}})", 4),
                {"tensor 't'", "'shape' that is not an array"});
}

TEST(SafetensorsTest, RejectsUnknownDTypes) {
  ExpectInvalid(
      RawFile(R"({"visual.proj":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}})", 4),
      {"tensor 'visual.proj'", "unknown dtype 'F8_E4M3'"});
  ExpectInvalid(RawFile(R"({"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", 1),
                {"tensor 'w'", "unknown dtype 'Q4'"});
  ExpectInvalid(RawFile(R"({"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}})", 4),
                {"tensor 'w'", "'f32'"});  // spellings are case-sensitive, as in the format
}

TEST(SafetensorsTest, RejectsOffsetsOutOfRange) {
  EXPECT_THAT(
      Parse(
          RawFile(R"({"visual.proj":{"dtype":"F32","shape":[1],"data_offsets":[10,5000]}})", 4000)),
      StatusIs(absl::StatusCode::kInvalidArgument,
               "weights.safetensors: tensor 'visual.proj' has offsets [10, 5000] beyond the "
               "4000-byte data buffer"));
  ExpectInvalid(RawFile(R"({"t":{"dtype":"U8","shape":[0],"data_offsets":[9,9]}})", 8),
                {"tensor 't'", "[9, 9]", "8-byte data buffer"});
  ExpectInvalid(
      RawFile(R"({"t":{"dtype":"U8","shape":[1],"data_offsets":[0,18446744073709551615]}})", 8),
      {"tensor 't'", "beyond"});
}

TEST(SafetensorsTest, RejectsMalformedOffsets) {
  ExpectInvalid(RawFile(R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[4,0]}})", 4),
                {"tensor 't'", "reversed offsets [4, 0]"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[-1,3]}})", 4),
                {"tensor 't'", "two non-negative integers"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[0]}})", 4),
                {"tensor 't'", "two non-negative integers"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"U8","shape":[4],"data_offsets":[0,4.0]}})", 4),
                {"tensor 't'", "two non-negative integers"});
}

TEST(SafetensorsTest, RejectsOverlappingTensors) {
  ExpectInvalid(RawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
                            "b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                        12),
                {"tensor 'b' at offsets [4, 12] overlaps tensor 'a' at [0, 8]"});
  ExpectInvalid(RawFile(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
                            "y":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                        8),
                {"overlaps tensor 'x'", "tensor 'y'"});
}

TEST(SafetensorsTest, RejectsDataNotCoveredByTensors) {
  ExpectInvalid(RawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
                            "b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                        12),
                {"data bytes [4, 8) before tensor 'b'", "no holes", "covered"});
  ExpectInvalid(RawFile(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 6),
                {"data bytes [4, 6) after tensor 'a'", "holes"});
  ExpectInvalid(RawFile("{}", 3), {"data bytes [0, 3)", "holes"});
}

TEST(SafetensorsTest, RejectsShapeContradictingByteCount) {
  ExpectInvalid(
      RawFile(R"({"visual.proj":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", 24),
      {"tensor 'visual.proj'", "shape [2, 3]", "24 bytes", "[0, 20] span 20 bytes"});
  ExpectInvalid(RawFile(R"({"h":{"dtype":"F16","shape":[3],"data_offsets":[0,3]}})", 8),
                {"tensor 'h'", "shape [3]", "6 bytes"});
}

TEST(SafetensorsTest, RejectsBadShapes) {
  ExpectInvalid(RawFile(R"({"t":{"dtype":"F32","shape":[-1,4],"data_offsets":[0,16]}})", 16),
                {"tensor 't'", "dimension -1", "non-negative"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4),
                {"tensor 't'", "dimension 1.5"});
  ExpectInvalid(
      RawFile(R"({"t":{"dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,4]}})", 4),
      {"tensor 't'", "dimension 18446744073709551615"});
  // Products that overflow int64, or merely exceed the data buffer, are caught before
  // multiplying out.
  ExpectInvalid(RawFile(R"({"t":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904,4],
                                   "data_offsets":[0,16]}})",
                        16),
                {"tensor 't'", "more elements than the 16-byte data buffer holds as F32"});
  ExpectInvalid(
      RawFile(R"({"t":{"dtype":"F64","shape":[9223372036854775807,2],"data_offsets":[0,16]}})", 16),
      {"tensor 't'", "more elements than"});
  ExpectInvalid(RawFile(R"({"t":{"dtype":"F32","shape":[5],"data_offsets":[0,16]}})", 16),
                {"tensor 't'", "more elements than the 16-byte data buffer"});
}

TEST(SafetensorsTest, RejectsBadMetadata) {
  ExpectInvalid(RawFile(R"({"__metadata__":{"format":"pt","epoch":3}})", 0),
                {"'__metadata__' value 'epoch' is not a string"});
  ExpectInvalid(RawFile(R"({"__metadata__":["pt"]})", 0), {"'__metadata__' must be an object"});
  EXPECT_OK(Parse(RawFile(R"({"__metadata__":null})", 0)));  // as the reference reader allows
}

TEST(SafetensorsTest, ToleratesHeaderPaddingAndExtraEntryFields) {
  ASSERT_OK_AND_ASSIGN(
      const SafetensorsFile parsed,
      Parse(RawFile(R"({"t":{"dtype":"U8","shape":[2],"data_offsets":[0,2],"x":1}}     )", 2)));
  EXPECT_EQ(parsed.tensors.at("t").bytes.size(), 2u);
}

TEST(SafetensorsDeathTest, EncodeChecksByteCounts) {
  EXPECT_DEATH(EncodeSafetensors({{"t", DType::kF32, {3}, std::string(8, '\0')}}, {}),
               "bytes do not match");
  EXPECT_DEATH(EncodeSafetensors({{"t", DType::kU8, {1}, "a"}, {"t", DType::kU8, {1}, "b"}}, {}),
               "duplicate tensor name");
}

TEST(SafetensorsTest, ReadsTheGoldenTinyClip) {
  const std::string dir = xmodal::testing::GoldenDir("clip");
  if (dir.empty()) GTEST_SKIP() << xmodal::testing::GoldenMissing("clip");
  ASSERT_OK_AND_ASSIGN(const std::string bytes, ReadFile(dir + "/tiny_vit_clip.safetensors"));
  ASSERT_OK_AND_ASSIGN(const SafetensorsFile file,
                       ParseSafetensors(bytes, "tiny_vit_clip.safetensors"));
  EXPECT_EQ(file.tensors.size(), 62u);
  for (const auto& [name, view] : file.tensors) EXPECT_EQ(view.dtype, DType::kF32) << name;
  EXPECT_THAT(file.tensors.at("visual.conv1.weight").shape, ElementsAre(64, 3, 8, 8));
  EXPECT_THAT(file.tensors.at("token_embedding.weight").shape, ElementsAre(49408, 32));
  const TensorView& scale = file.tensors.at("logit_scale");
  EXPECT_TRUE(scale.shape.empty());
  ASSERT_OK_AND_ASSIGN(const std::vector<float> value, ToFloat32("logit_scale", scale));
  ASSERT_EQ(value.size(), 1u);
  EXPECT_TRUE(std::isfinite(value[0]));
  ASSERT_OK_AND_ASSIGN(const std::vector<float> conv,
                       ToFloat32("visual.conv1.weight", file.tensors.at("visual.conv1.weight")));
  EXPECT_EQ(conv.size(), 64u * 3 * 8 * 8);
}

}  // namespace
}  // namespace xmodal::model::weights
