#include "trainer/train/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace xmodal::train {
namespace {

TEST(RngTest, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    if (i == 0) {
      EXPECT_NE(x, c.Next());
    }
  }
}

TEST(RngTest, UniformStaysInRange) {
  Rng rng(7);
  for (int i = 0; i < 10000; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const int k = rng.UniformInt(5);
    ASSERT_GE(k, 0);
    ASSERT_LT(k, 5);
    const double v = rng.Uniform(-2.0, 3.0);
    ASSERT_GE(v, -2.0);
    ASSERT_LT(v, 3.0);
  }
}

TEST(RngTest, NormalHasUnitVarianceAndZeroMean) {
  Rng rng(11);
  double sum = 0, sum2 = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double x = rng.Normal();
    sum += x;
    sum2 += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.05);
  EXPECT_NEAR(sum2 / n, 1.0, 0.05);
}

TEST(RngTest, DeriveSeedDependsOnEveryPartAndItsOrder) {
  std::set<uint64_t> seeds = {DeriveSeed({1, 2, 3}), DeriveSeed({1, 2, 4}), DeriveSeed({2, 1, 3}),
                              DeriveSeed({1, 2}), DeriveSeed({0, 2, 3})};
  EXPECT_EQ(seeds.size(), 5u);
  EXPECT_EQ(DeriveSeed({1, 2, 3}), DeriveSeed({1, 2, 3}));
}

}  // namespace
}  // namespace xmodal::train
