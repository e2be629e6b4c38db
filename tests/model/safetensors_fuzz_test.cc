// Deterministic fuzz-style test of ParseSafetensors: thousands of mutants of a small valid file
// (byte flips, bad length fields, truncations, JSON-level edits) must each either parse into
// views that lie inside the buffer with the right sizes, or fail with INVALID_ARGUMENT.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/base/json.h"
#include "core/model/weights/safetensors.h"
#include "testing/status_matchers.h"

namespace xmodal::model::weights {
namespace {

constexpr char kWhat[] = "fuzz.safetensors";

struct Tally {
  int ok = 0;
  int invalid = 0;
};

std::string LengthField(uint64_t length) {
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((length >> (8 * i)) & 0xff);
  return out;
}

uint64_t HeaderLength(const std::string& file) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(file[i]);
  return n;
}

std::string SmallFile() {
  std::string f32(24, '\0');
  for (size_t i = 0; i < f32.size(); ++i) f32[i] = static_cast<char>(i * 7);
  return EncodeSafetensors({{"a", DType::kF32, {2, 3}, f32},
                            {"b", DType::kF16, {4}, std::string(8, '\x3c')},
                            {"c", DType::kI64, {}, std::string(8, '\x01')},
                            {"d", DType::kU8, {0}, ""},
                            {"e", DType::kBF16, {1, 2}, std::string("\x80\x3f\x00\xc0", 4)}},
                           {{"format", "pt"}});
}

// Parses `file` and checks the invariants; returns false (after recording a failure) when one
// does not hold so that the caller can stop early.
bool Check(const std::string& file, const std::string& mutation, Tally* tally) {
  const absl::StatusOr<SafetensorsFile> result = ParseSafetensors(file, kWhat);
  if (!result.ok()) {
    ++tally->invalid;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument)
        << mutation << ": " << result.status();
    EXPECT_THAT(std::string(result.status().message()), ::testing::HasSubstr(kWhat)) << mutation;
    return result.status().code() == absl::StatusCode::kInvalidArgument;
  }
  ++tally->ok;
  const char* begin = file.data();
  const char* end = file.data() + file.size();
  const uint64_t data_size = file.size() - 8 - HeaderLength(file);
  uint64_t covered = 0;
  bool good = true;
  for (const auto& [name, view] : result->tensors) {
    const int64_t n = view.NumElements();
    const bool inside = view.bytes.data() >= begin + 8 && view.bytes.data() <= end &&
                        view.bytes.size() <= static_cast<size_t>(end - view.bytes.data());
    const bool sized =
        n >= 0 && view.bytes.size() == static_cast<uint64_t>(n) * DTypeSize(view.dtype);
    EXPECT_TRUE(inside) << mutation << ": tensor " << name << " lies outside the buffer";
    EXPECT_TRUE(sized) << mutation << ": tensor " << name << " has " << view.bytes.size()
                       << " bytes for " << n << " elements";
    good = good && inside && sized;
    covered += view.bytes.size();
    const bool is_float = view.dtype == DType::kF32 || view.dtype == DType::kF16 ||
                          view.dtype == DType::kBF16 || view.dtype == DType::kF64;
    if (is_float && good) {
      const absl::StatusOr<std::vector<float>> values = ToFloat32(name, view);
      EXPECT_TRUE(values.ok() && values->size() == static_cast<size_t>(n)) << mutation;
    }
  }
  EXPECT_EQ(covered, data_size) << mutation << ": tensors must tile the data buffer";
  return good && covered == data_size;
}

class SafetensorsFuzzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = SmallFile();
    header_size_ = HeaderLength(file_);
    header_ = file_.substr(8, header_size_);
    data_ = file_.substr(8 + header_size_);
    ASSERT_OK(ParseSafetensors(file_, kWhat));
  }

  uint64_t Uniform(uint64_t lo, uint64_t hi) {
    return std::uniform_int_distribution<uint64_t>(lo, hi)(rng_);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(0, v.size() - 1)];
  }

  // A replacement for a number in the header.
  Json WeirdNumber() {
    switch (Uniform(0, 9)) {
      case 0:
        return -1;
      case 1:
        return std::numeric_limits<int64_t>::max();
      case 2:
        return std::numeric_limits<uint64_t>::max();
      case 3:
        return uint64_t{1} << 62;
      case 4:
        return 0;
      case 5:
        return 1.5;
      case 6:
        return Uniform(0, data_.size() + 4);
      case 7:
        return std::numeric_limits<int64_t>::min();
      case 8:
        return "4";
      default:
        return Uniform(0, 64);
    }
  }

  Json WeirdShape() {
    switch (Uniform(0, 5)) {
      case 0:
        return Json::array({uint64_t{1} << 62, uint64_t{1} << 62});
      case 1:
        return Json::array({std::numeric_limits<int64_t>::max()});
      case 2:
        return Json::array();
      case 3:
        return Json::array({3, 0, std::numeric_limits<int64_t>::max()});
      case 4:
        return Json::array({2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2});
      default: {
        Json s = Json::array();
        const uint64_t rank = Uniform(0, 4);
        for (uint64_t i = 0; i < rank; ++i) s.push_back(WeirdNumber());
        return s;
      }
    }
  }

  // One JSON-level edit of `root`.
  std::string MutateJson(Json& root) {
    std::vector<std::string> names;
    for (auto it = root.begin(); it != root.end(); ++it) names.push_back(it.key());
    const std::string& name = Pick(names);
    Json& entry = root[name];
    if (name == "__metadata__") {
      const std::vector<Json> values = {7,
                                        Json::array({"pt"}),
                                        Json::object({{"k", 1}}),
                                        nullptr,
                                        Json::object({{"k", Json::object()}}),
                                        Json::object()};
      entry = Pick(values);
      return "metadata";
    }
    if (!entry.is_object()) {
      root.erase(name);
      return "removed entry " + name;
    }
    // The field as an array of at least `size` elements (nlohmann would throw otherwise).
    auto array_field = [&entry](const char* key, size_t size) -> Json& {
      Json& f = entry[key];
      if (!f.is_array()) f = Json::array();
      while (f.size() < size) f.push_back(0);
      return f;
    };
    switch (Uniform(0, 8)) {
      case 0: {
        const std::vector<Json> dtypes = {"F8_E4M3", "Q4", "", "F32",   "F64", "BF16", "I8",
                                          "BOOL",    "U8", 5,  nullptr, "f16", "I64"};
        entry["dtype"] = Pick(dtypes);
        return "dtype of " + name;
      }
      case 1:
        entry["shape"] = WeirdShape();
        return "shape of " + name;
      case 2:
        array_field("shape", 1)[0] = WeirdNumber();
        return "dimension of " + name;
      case 3:
        array_field("data_offsets", 2)[Uniform(0, 1)] = WeirdNumber();
        return "offset of " + name;
      case 4: {
        Json& o = array_field("data_offsets", 2);
        std::swap(o[0], o[1]);
        return "swapped offsets of " + name;
      }
      case 5: {
        const Json& other = root[Pick(names)];
        if (other.is_object() && other.contains("data_offsets")) {
          entry["data_offsets"] = Json(other["data_offsets"]);
        }
        return "borrowed offsets of " + name;
      }
      case 6: {
        const std::vector<std::string> fields = {"dtype", "shape", "data_offsets"};
        entry.erase(Pick(fields));
        return "removed field of " + name;
      }
      case 7: {
        const std::vector<Json> entries = {1, Json::array({1, 2}), "F32", nullptr, Json::object()};
        entry = Pick(entries);
        return "replaced entry " + name;
      }
      default:
        root.erase(name);
        return "removed tensor " + name;
    }
  }

  std::mt19937_64 rng_{20240517};
  std::string file_;
  uint64_t header_size_ = 0;
  std::string header_;
  std::string data_;
  Tally tally_;
};

TEST_F(SafetensorsFuzzTest, ByteFlipsInTheHeader) {
  for (int i = 0; i < 1500; ++i) {
    std::string m = file_;
    const uint64_t flips = Uniform(1, 4);
    for (uint64_t k = 0; k < flips; ++k) {
      const uint64_t pos = Uniform(8, 8 + header_size_ - 1);
      m[pos] = Uniform(0, 1) == 0 ? static_cast<char>(m[pos] ^ (1 << Uniform(0, 7)))
                                  : static_cast<char>(Uniform(0, 255));
    }
    if (!Check(m, absl::StrCat("byte flips #", i), &tally_)) return;
  }
  EXPECT_GT(tally_.invalid, 0);
}

TEST_F(SafetensorsFuzzTest, HeaderLengthValues) {
  const uint64_t rest = file_.size() - 8;
  std::vector<uint64_t> lengths = {0,
                                   1,
                                   2,
                                   header_size_ - 1,
                                   header_size_ + 1,
                                   rest,
                                   rest + 1,
                                   rest + 8,
                                   (uint64_t{100} << 20) + 1,
                                   uint64_t{1} << 32,
                                   uint64_t{1} << 63,
                                   std::numeric_limits<uint64_t>::max(),
                                   std::numeric_limits<uint64_t>::max() - 7};
  for (int i = 0; i < 300; ++i) lengths.push_back(Uniform(0, rest + 16));
  for (int i = 0; i < 100; ++i) lengths.push_back(rng_());
  for (uint64_t length : lengths) {
    const std::string m = LengthField(length) + file_.substr(8);
    if (!Check(m, absl::StrCat("header length ", length), &tally_)) return;
  }
  EXPECT_GT(tally_.invalid, 0);
}

TEST_F(SafetensorsFuzzTest, TruncationsAtEveryLength) {
  for (size_t n = 0; n < file_.size(); ++n) {
    if (!Check(file_.substr(0, n), absl::StrCat("truncated to ", n), &tally_)) return;
  }
  EXPECT_EQ(tally_.ok, 0);  // the data must be fully covered, so no prefix is a valid file
  // Extra trailing bytes are a hole too.
  EXPECT_FALSE(ParseSafetensors(file_ + "x", kWhat).ok());
}

TEST_F(SafetensorsFuzzTest, JsonLevelMutations) {
  for (int i = 0; i < 2500; ++i) {
    Json root = Json::parse(header_);
    std::string mutation;
    const uint64_t edits = Uniform(1, 3);
    for (uint64_t k = 0; k < edits && root.is_object() && !root.empty(); ++k) {
      mutation += MutateJson(root) + "; ";
    }
    std::string header = DumpJson(root);
    header.append(Uniform(0, 7), ' ');
    std::string data = data_;
    if (Uniform(0, 7) == 0) data.resize(Uniform(0, data.size() + 8), '\0');
    std::string m = LengthField(header.size()) + header + data;
    if (Uniform(0, 9) == 0) {  // and a byte flip on top
      const uint64_t pos = Uniform(8, 8 + header.size() - 1);
      m[pos] = static_cast<char>(Uniform(0, 255));
      mutation += "byte flip";
    }
    if (!Check(m, absl::StrCat("#", i, " ", mutation), &tally_)) return;
  }
  EXPECT_GT(tally_.ok, 0);
  EXPECT_GT(tally_.invalid, 1000);
}

}  // namespace
}  // namespace xmodal::model::weights
