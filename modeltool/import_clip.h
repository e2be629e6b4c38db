// `xmodal-model import-clip`: turns a CLIP weights file into a complete model package (one
// directory): model.json with the architecture read off the tensor shapes, weights.safetensors
// (OpenAI naming, whatever naming and format came in), the BPE vocabulary, and a model card
// stub that states the licence the user gave. Thread-compatible (one import at a time per
// output directory).
#ifndef XMODAL_MODELTOOL_IMPORT_CLIP_H_
#define XMODAL_MODELTOOL_IMPORT_CLIP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace xmodal::modeltool {

struct ImportClipOptions {
  std::string weights;  // safetensors or OpenAI .pt (TorchScript); torch_archive.h says which
  std::string vocab;    // bpe_simple_vocab_16e6.txt.gz
  std::string out_dir;  // must not exist, or be an empty directory
  std::string name;     // default: the weights file's name without its extension
  std::string version = "1";
  std::string license;                    // empty: unknown (inspect and the server say so)
  int vision_heads = 0;                   // 0: vision width / 64
  int text_heads = 0;                     // 0: text width / 64
  std::string activation = "quick_gelu";  // OpenAI's weights; most OpenCLIP LAION ones: "gelu"
  std::string compute = "float32";        // or "bfloat16" (ArchitectureSpec::compute)
  std::string dtype =
      "auto";             // stored weights: "auto" (F16 if the source was half), f32, f16, bf16
  bool truncate = false;  // texts over the context: cut (CLIP's truncate=True) or refuse
  int max_bytes = 2048;   // longest text accepted, in bytes
};

struct ImportClipReport {
  std::string out_dir;
  std::string summary;                       // architecture and sizes, for the terminal
  std::vector<std::string> ignored_tensors;  // in the file but not read by the architecture
};

// Reads, checks and converts; writes the package into a temporary sibling directory and renames
// it into place only after Model::Load has loaded it back. INVALID_ARGUMENT for bad options,
// a bad weights or vocabulary file (naming the problem and the tensor), NOT_FOUND for a missing
// input, FAILED_PRECONDITION when out_dir exists and is not empty.
absl::StatusOr<ImportClipReport> ImportClip(const ImportClipOptions& options);

}  // namespace xmodal::modeltool

#endif  // XMODAL_MODELTOOL_IMPORT_CLIP_H_
