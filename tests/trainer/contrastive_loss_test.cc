#include "trainer/train/contrastive_loss.h"

#include <gtest/gtest.h>

#include <cmath>

namespace xmodal::train {
namespace {

torch::Tensor Unit(torch::Tensor x) { return x / x.norm(2, {1}, true); }

TEST(ContrastiveLossTest, UniformLogitsGiveLogN) {
  const torch::Tensor a = torch::zeros({4, 3});
  const torch::Tensor groups = torch::arange(4, torch::kLong);
  const double loss = SymmetricInfoNce(a, a, groups, torch::full({}, 10.0)).item<double>();
  EXPECT_NEAR(loss, std::log(4.0), 1e-6);
}

TEST(ContrastiveLossTest, AlignedPairsGiveASmallLossAndShuffledALargeOne) {
  torch::manual_seed(0);
  const torch::Tensor a = Unit(torch::randn({8, 16}));
  const torch::Tensor groups = torch::arange(8, torch::kLong);
  const torch::Tensor scale = torch::full({}, 50.0);
  const double aligned = SymmetricInfoNce(a, a, groups, scale).item<double>();
  const double shuffled = SymmetricInfoNce(a, a.roll(1, 0), groups, scale).item<double>();
  EXPECT_LT(aligned, 0.1);
  EXPECT_GT(shuffled, 5.0);
}

TEST(ContrastiveLossTest, SameGroupRowsAreNotNegatives) {
  // Rows 0 and 1 are the same item twice (same group): without the mask each would be
  // confused with the other and the loss would be about log 2.
  torch::Tensor a = torch::tensor({{1.0f, 0.0f}, {1.0f, 0.0f}, {0.0f, 1.0f}});
  const torch::Tensor scale = torch::full({}, 100.0);
  const double masked =
      SymmetricInfoNce(a, a, torch::tensor({0, 0, 1}, torch::kLong), scale).item<double>();
  const double unmasked =
      SymmetricInfoNce(a, a, torch::tensor({0, 1, 2}, torch::kLong), scale).item<double>();
  EXPECT_LT(masked, 1e-6);
  EXPECT_NEAR(unmasked, 2.0 / 3.0 * std::log(2.0), 1e-4);
}

TEST(ContrastiveLossTest, IsSymmetricAndDifferentiable) {
  torch::manual_seed(1);
  const torch::Tensor a = Unit(torch::randn({5, 4})).requires_grad_();
  const torch::Tensor b = Unit(torch::randn({5, 4}));
  const torch::Tensor groups = torch::tensor({0, 1, 1, 2, 3}, torch::kLong);
  const torch::Tensor scale = torch::full({}, 14.0, torch::requires_grad());
  const torch::Tensor ab = SymmetricInfoNce(a, b, groups, scale);
  const torch::Tensor ba = SymmetricInfoNce(b, a, groups, scale);
  EXPECT_NEAR(ab.item<double>(), ba.item<double>(), 1e-5);
  ab.backward();
  EXPECT_TRUE(a.grad().isfinite().all().item<bool>());
  EXPECT_TRUE(std::isfinite(scale.grad().item<double>()));
}

}  // namespace
}  // namespace xmodal::train
