#include "trainer/train/towers.h"

#include <gtest/gtest.h>

#include <cmath>

namespace xmodal::train {
namespace {

Towers TinyTowers(uint64_t seed = 0) {
  torch::manual_seed(seed);
  return Towers(TinyConfig());
}

void ExpectUnitRows(const torch::Tensor& x, int64_t rows, int64_t dim) {
  ASSERT_EQ(x.dim(), 2);
  EXPECT_EQ(x.size(0), rows);
  EXPECT_EQ(x.size(1), dim);
  EXPECT_TRUE(torch::allclose(x.norm(2, {1}), torch::ones({rows}), 1e-5, 1e-5));
}

TEST(TowersTest, EncodersGiveUnitRowsOfDim) {
  Towers towers = TinyTowers();
  const ModelConfig& c = towers->config();
  ExpectUnitRows(
      towers->EncodeText(torch::randint(1, c.buckets + 1, {3, c.context_length}, torch::kLong)), 3,
      c.dim);
  ExpectUnitRows(towers->EncodeImage(torch::randn({2, 3, c.image_size, c.image_size})), 2, c.dim);
  ExpectUnitRows(towers->EncodeAudio(torch::randn({4, c.n_mels, 101})), 4, c.dim);
}

TEST(TowersTest, TextPaddingIsIgnored) {
  Towers towers = TinyTowers();
  const int64_t l = towers->config().context_length;
  torch::Tensor a = torch::zeros({1, l}, torch::kLong);
  torch::Tensor b = torch::zeros({1, l}, torch::kLong);
  a.index_put_({0, torch::indexing::Slice(0, 3)}, torch::tensor({5, 6, 7}, torch::kLong));
  b.index_put_({0, torch::indexing::Slice(0, 3)}, torch::tensor({5, 6, 7}, torch::kLong));
  b.index_put_({0, l - 1}, 0);
  const torch::Tensor ea = towers->EncodeText(a);
  const torch::Tensor eb = towers->EncodeText(b);
  EXPECT_TRUE(torch::allclose(ea, eb));
  // A different text gives a different embedding.
  a.index_put_({0, 1}, 9);
  EXPECT_FALSE(torch::allclose(towers->EncodeText(a), eb));
}

TEST(TowersTest, SameSeedSameWeights) {
  Towers a = TinyTowers(3), b = TinyTowers(3), c = TinyTowers(4);
  const auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  bool any_different = false;
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_TRUE(torch::equal(pa[i], pb[i]));
    any_different |= !torch::equal(pa[i], pc[i]);
  }
  EXPECT_TRUE(any_different);
}

TEST(TowersTest, ParametersAreGroupedByTower) {
  Towers towers = TinyTowers();
  const NamedTensors text = towers->TowerParameters("text");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.front().first, "text_table");
  EXPECT_EQ(text.front().second.size(0), towers->config().buckets + 1);
  size_t total = text.size() + towers->TowerParameters("image").size() +
                 towers->TowerParameters("audio").size();
  EXPECT_EQ(total + 1, towers->parameters().size());  // + the temperature
}

TEST(TowersTest, TemperatureStartsAtCLIPsAndIsClamped) {
  Towers towers = TinyTowers();
  EXPECT_NEAR(1.0 / towers->LogitScale().item<double>(), 0.07, 1e-6);
  {
    torch::NoGradGuard no_grad;
    towers->named_parameters()["log_scale"].fill_(10.0);
  }
  towers->ClampLogitScale();
  EXPECT_NEAR(towers->LogitScale().item<double>(), 100.0, 1e-3);
}

}  // namespace
}  // namespace xmodal::train
