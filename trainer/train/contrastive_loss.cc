#include "trainer/train/contrastive_loss.h"

namespace xmodal::train {

torch::Tensor SymmetricInfoNce(const torch::Tensor& a, const torch::Tensor& b,
                               const torch::Tensor& groups, const torch::Tensor& scale) {
  const int64_t n = a.size(0);
  const torch::Tensor eye = torch::eye(n, torch::kBool);
  const torch::Tensor same_group =
      groups.unsqueeze(1).eq(groups.unsqueeze(0)).logical_and(eye.logical_not());
  const torch::Tensor logits =
      (scale * a.matmul(b.t())).masked_fill(same_group, -std::numeric_limits<float>::infinity());
  const torch::Tensor targets = torch::arange(n, torch::kLong);
  const torch::Tensor a_to_b = torch::nn::functional::cross_entropy(logits, targets);
  const torch::Tensor b_to_a = torch::nn::functional::cross_entropy(logits.t(), targets);
  return (a_to_b + b_to_a) / 2;
}

}  // namespace xmodal::train
