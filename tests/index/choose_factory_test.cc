#include <cstdint>

#include "core/index/vector_index.h"
#include "testing/status_matchers.h"

namespace xmodal::index {
namespace {

constexpr int64_t kGiB = int64_t{1} << 30;

TEST(ChooseFactoryTest, FlatBelowOneHundredThousand) {
  EXPECT_EQ(ChooseFactory(0, 512, 8 * kGiB), "Flat");
  EXPECT_EQ(ChooseFactory(99'999, 512, 8 * kGiB), "Flat");
  EXPECT_EQ(ChooseFactory(99'999, 512, 0), "Flat");  // flat even when over budget
}

TEST(ChooseFactoryTest, IvfFlatWhenVectorsFitTheBudget) {
  // 4 * sqrt(count), to the nearest power of two.
  EXPECT_EQ(ChooseFactory(100'000, 512, 8 * kGiB), "IVF1024,Flat");    // 1265
  EXPECT_EQ(ChooseFactory(150'000, 512, 8 * kGiB), "IVF2048,Flat");    // 1549
  EXPECT_EQ(ChooseFactory(1'000'000, 512, 8 * kGiB), "IVF4096,Flat");  // 4000
  // 1e6 x 512 x 4 bytes = 2,048,000,000: exactly at the budget still fits.
  EXPECT_EQ(ChooseFactory(1'000'000, 512, 2'048'000'000), "IVF4096,Flat");
}

TEST(ChooseFactoryTest, IvfPqWhenVectorsDoNotFit) {
  // One byte over: PQ with dim / 4 sub-quantizers (dim / 4 bytes per vector).
  EXPECT_EQ(ChooseFactory(1'000'000, 512, 2'047'999'999), "IVF4096,PQ128");
  EXPECT_EQ(ChooseFactory(10'000'000, 512, 8 * kGiB), "IVF16384,PQ128");
  EXPECT_EQ(ChooseFactory(1'000'000, 100, 100'000'000), "IVF4096,PQ25");
  EXPECT_EQ(ChooseFactory(1'000'000, 7, 1'000'000), "IVF4096,PQ1");
  // m must divide dim: 384 / 4 = 96 divides; 300 / 4 = 75 divides; 250 / 4 = 62 -> 50.
  EXPECT_EQ(ChooseFactory(1'000'000, 384, kGiB), "IVF4096,PQ96");
  EXPECT_EQ(ChooseFactory(1'000'000, 250, 100'000'000), "IVF4096,PQ50");
  // Smaller still when dim / 4 bytes per vector would not fit: 8 GiB / 1e8 = 85 bytes.
  EXPECT_EQ(ChooseFactory(100'000'000, 512, 8 * kGiB), "IVF32768,PQ64");
}

TEST(ChooseFactoryTest, ListCountIsClamped) {
  EXPECT_EQ(ChooseFactory(1'000'000'000'000, 8, int64_t{1} << 62), "IVF65536,Flat");
}

TEST(ChooseFactoryTest, ChosenFactoriesAreAcceptedByFaiss) {
  for (const auto& [count, dim, budget] : {std::tuple<int64_t, int, int64_t>{10, 64, kGiB},
                                           {200'000, 64, kGiB},
                                           {200'000, 64, 1'000'000},
                                           {200'000, 250, 1'000'000}}) {
    const std::string factory = ChooseFactory(count, dim, budget);
    EXPECT_OK(VectorIndex::Create(dim, factory));
  }
}

}  // namespace
}  // namespace xmodal::index
