// LibTorch zip archives as CLIP weights: OpenAI's released TorchScript .pt files (their
// parameters and buffers, read with torch::jit::load; the graph itself is never run) and
// state_dict files written by LibTorch's torch::pickle_save (a dict of name -> tensor, read
// with torch::pickle_load). Python's torch.save files are refused with a message saying why:
// LibTorch 1.13 reads their OrderedDict as None (torch_archive.cc). A pickled nn.Module
// (torch.save(model)) needs Python classes and is refused too. The only
// translation unit of the CLIP module besides clip_encoder.cc that includes LibTorch.
#ifndef XMODAL_CORE_MODEL_CLIP_TORCH_ARCHIVE_H_
#define XMODAL_CORE_MODEL_CLIP_TORCH_ARCHIVE_H_

#include <string>

#include "absl/status/statusor.h"
#include "core/model/clip/clip_weights.h"

namespace xmodal::model::clip {

// INVALID_ARGUMENT with LibTorch's messages when the file is neither kind; integer tensors
// are skipped, float ones converted to float32.
absl::StatusOr<TensorMap> ReadTorchArchive(const std::string& path);

}  // namespace xmodal::model::clip

#endif  // XMODAL_CORE_MODEL_CLIP_TORCH_ARCHIVE_H_
