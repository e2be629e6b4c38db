// The symmetric InfoNCE loss (CLIP's) between two batches of unit embeddings whose row i of
// `a` and row i of `b` are a positive pair. Rows whose items share a group ("A lion." drawn
// twice) are positives of each other too, so they are masked out of each other's negatives.
// Pure function of its inputs; differentiable in a, b and scale.
#ifndef XMODAL_TRAINER_TRAIN_CONTRASTIVE_LOSS_H_
#define XMODAL_TRAINER_TRAIN_CONTRASTIVE_LOSS_H_

#include <torch/torch.h>

namespace xmodal::train {

// a, b: float [n, d] (n >= 1); groups: int64 [n]; scale: the inverse temperature (scalar).
// Returns the scalar mean of the a->b and b->a cross-entropies of scale * a b^T.
torch::Tensor SymmetricInfoNce(const torch::Tensor& a, const torch::Tensor& b,
                               const torch::Tensor& groups, const torch::Tensor& scale);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_CONTRASTIVE_LOSS_H_
