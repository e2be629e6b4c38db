#include <cstdio>
#include <fstream>
#include <span>
#include <string>

#include "core/base/file_util.h"
#include "core/index/vector_index.h"
#include "testing/status_matchers.h"
#include "tests/index/random_vectors.h"

namespace xmodal::index {
namespace {

using ::testing::HasSubstr;
using ::xmodal::index::testing::RandomUnitVectors;
using ::xmodal::index::testing::Rows;
using ::xmodal::index::testing::SpreadIds;
using ::xmodal::testing::StatusIs;

constexpr int kDim = 16;

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class IndexFileTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(dir_, MakeTempDirectory("index_file_test")); }
  std::string dir_;
};

TEST_P(IndexFileTest, SaveLoadRoundTripGivesIdenticalResults) {
  const FloatMatrix base = RandomUnitVectors(1500, kDim, 1);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  ASSERT_OK_AND_ASSIGN(auto index, VectorIndex::Create(kDim, GetParam()));
  ASSERT_OK(index->Train(base));
  ASSERT_OK(index->Add(ids, base));
  const std::string path = dir_ + "/index.faiss";
  ASSERT_OK(index->Save(path));

  ASSERT_OK_AND_ASSIGN(auto loaded, VectorIndex::Load(path));
  EXPECT_EQ(loaded->factory(), GetParam());
  EXPECT_EQ(loaded->dim(), kDim);
  EXPECT_EQ(loaded->size(), 1500);
  EXPECT_TRUE(loaded->is_trained());

  const FloatMatrix queries = RandomUnitVectors(10, kDim, 2);
  std::vector<int64_t> allowed(ids.begin(), ids.begin() + 300);
  for (const bool filtered : {false, true}) {
    SearchOptions options;
    options.nprobe = 4;
    if (filtered) options.allowed_ids = &allowed;
    ASSERT_OK_AND_ASSIGN(auto before, index->Search(queries, 7, options));
    ASSERT_OK_AND_ASSIGN(auto after, loaded->Search(queries, 7, options));
    ASSERT_EQ(before.size(), after.size());
    for (size_t q = 0; q < before.size(); ++q) {
      ASSERT_EQ(before[q].size(), after[q].size());
      for (size_t i = 0; i < before[q].size(); ++i) {
        EXPECT_EQ(before[q][i].id, after[q][i].id);
        EXPECT_EQ(before[q][i].score, after[q][i].score);
      }
    }
  }
  // The loaded id map still knows its ids.
  EXPECT_THAT(loaded->Add(std::vector<int64_t>{ids[5]}, Rows(base, 5, 6)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("already in the index")));
}

INSTANTIATE_TEST_SUITE_P(Factories, IndexFileTest,
                         ::testing::Values("Flat", "IVF16,Flat", "HNSW16", "IVF16,PQ4x4",
                                           "PCA8,IVF16,SQ8"));

// The file size a factory's index adds per vector: one index, saved after 1000 vectors and
// after 2000; (second size - first size) / 1000.
double FileBytesPerAddedVector(const std::string& dir, const std::string& factory) {
  const FloatMatrix base = RandomUnitVectors(2000, kDim, 4);
  const std::vector<int64_t> ids = SpreadIds(base.rows);
  auto index = VectorIndex::Create(kDim, factory);
  EXPECT_OK(index);
  if (!index.ok()) return 0;
  EXPECT_OK((*index)->Train(base));
  double sizes[2] = {0, 0};
  for (int half = 0; half < 2; ++half) {
    const std::span<const int64_t> some(ids.data() + 1000 * half, 1000);
    EXPECT_OK((*index)->Add(some, Rows(base, 1000 * half, 1000 * (half + 1))));
    const std::string path = dir + "/size.faiss";
    EXPECT_OK((*index)->Save(path));
    absl::StatusOr<std::string> bytes = ReadFile(path);
    EXPECT_OK(bytes);
    sizes[half] = bytes.ok() ? static_cast<double>(bytes->size()) : 0;
  }
  return (sizes[1] - sizes[0]) / 1000;
}

// IVF indexes keep our ids in their lists: a vector costs its code and an 8-byte id, not the
// 8 more of an id map (whose hash map, rebuilt on load, costs another ~40 bytes in memory).
TEST(IndexFileSizeTest, IvfKeepsIdsInItsListsWithoutAnIdMap) {
  SetIndexThreads(1);  // small trainings: OpenMP threads would only contend
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("index_file_size"));
  EXPECT_DOUBLE_EQ(FileBytesPerAddedVector(dir, "IVF16,PQ4"), 4 + 8);
  EXPECT_DOUBLE_EQ(FileBytesPerAddedVector(dir, "IVF16,SQ8"), kDim + 8);
  EXPECT_DOUBLE_EQ(FileBytesPerAddedVector(dir, "IVF16,Flat"), 4 * kDim + 8);
  EXPECT_DOUBLE_EQ(FileBytesPerAddedVector(dir, "SQ8"), kDim + 8);  // no lists: an id map
}

TEST(IndexFileErrorsTest, GarbageTruncatedAndMissingFiles) {
  ASSERT_OK_AND_ASSIGN(const std::string dir, MakeTempDirectory("index_file_errors"));
  const std::string garbage = dir + "/garbage.faiss";
  WriteBytes(garbage, "this is certainly not an index file, just some text");
  EXPECT_THAT(VectorIndex::Load(garbage),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'" + garbage + "' is not an xmodal index file")));
  const std::string empty = dir + "/empty.faiss";
  WriteBytes(empty, "");
  EXPECT_THAT(VectorIndex::Load(empty), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 HasSubstr("is not an xmodal index file")));

  // Our header, then garbage where FAISS's data should be.
  const std::string factory = "Flat";
  std::string header = "XMIDX001";
  const uint32_t size = static_cast<uint32_t>(factory.size());
  header.append(reinterpret_cast<const char*>(&size), sizeof(size));
  header += factory;
  const int32_t dim = kDim;
  header.append(reinterpret_cast<const char*>(&dim), sizeof(dim));
  const std::string bad_body = dir + "/bad_body.faiss";
  WriteBytes(bad_body, header + "garbage garbage garbage garbage");
  EXPECT_THAT(VectorIndex::Load(bad_body),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrupt index file")));
  const std::string huge_factory = dir + "/huge_factory.faiss";
  WriteBytes(huge_factory, std::string("XMIDX001") + std::string("\xff\xff\xff\x7f", 4));
  EXPECT_THAT(VectorIndex::Load(huge_factory),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrupt index file")));

  // A real file cut short, and one with bytes appended.
  ASSERT_OK_AND_ASSIGN(auto index, VectorIndex::Create(kDim, "Flat"));
  const FloatMatrix base = RandomUnitVectors(100, kDim, 3);
  ASSERT_OK(index->Add(SpreadIds(base.rows), base));
  const std::string good = dir + "/good.faiss";
  ASSERT_OK(index->Save(good));
  ASSERT_OK_AND_ASSIGN(const std::string bytes, ReadFile(good));
  const std::string truncated = dir + "/truncated.faiss";
  WriteBytes(truncated, bytes.substr(0, bytes.size() / 2));
  EXPECT_THAT(VectorIndex::Load(truncated),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("corrupt index file")));
  const std::string trailing = dir + "/trailing.faiss";
  WriteBytes(trailing, bytes + "x");
  EXPECT_THAT(VectorIndex::Load(trailing),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("trailing bytes")));

  EXPECT_THAT(VectorIndex::Load(dir + "/missing.faiss"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing.faiss")));
  EXPECT_THAT(index->Save(dir + "/no/such/dir/x.faiss"),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("cannot write index file")));
}

}  // namespace
}  // namespace xmodal::index
