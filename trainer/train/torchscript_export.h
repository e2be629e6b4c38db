// Writes trained towers as a model package (docs/model-package.md): text.pt, image.pt and
// audio.pt (TorchScript modules built in C++ with torch::jit::Module: the trained tensors as
// parameters, forward() defined from the sources below) and model.json (MakeManifest).
// The sources compute exactly what TowersImpl::Encode* computes (the audio tower followed by
// ApplySpeechMemory when a speech memory is given). Not thread-safe with
// respect to concurrent training of the same towers.
#ifndef XMODAL_TRAINER_TRAIN_TORCHSCRIPT_EXPORT_H_
#define XMODAL_TRAINER_TRAIN_TORCHSCRIPT_EXPORT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "trainer/train/recipe.h"
#include "trainer/train/speech_memory.h"
#include "trainer/train/towers.h"

namespace xmodal::train {

// The TorchScript source of a tower's forward ("text", "image" or "audio"; CHECKed). A
// non-empty `memory` adds the speech memory to the audio tower (buffers mem_keys, mem_stamp,
// mem_values; its constants are written into the source).
std::string TowerScript(const ModelConfig& config, absl::string_view tower,
                        const SpeechMemory* memory = nullptr);

// Saves one tower as a TorchScript file (written to a temporary name, then renamed); `memory`
// as for TowerScript (audio only; keys stored in half precision). INTERNAL with LibTorch's
// message when the module cannot be built or saved.
absl::Status SaveTower(const TowersImpl& towers, absl::string_view tower, const std::string& path,
                       const SpeechMemory* memory = nullptr);

// Creates `dir` if needed and writes model.json and the three encoder files (the audio one
// with `memory` when it is given and not empty). Errors of SaveTower, MakeDirectories and
// WriteFileAtomically.
absl::Status WriteModelFiles(const TowersImpl& towers, const std::string& dir,
                             const SpeechMemory* memory = nullptr);

}  // namespace xmodal::train

#endif  // XMODAL_TRAINER_TRAIN_TORCHSCRIPT_EXPORT_H_
