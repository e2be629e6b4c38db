// Test-only: writes the deterministic "colour" model package (toy-rgb) that model, engine,
// server and integration tests load. No Python exists here, so the TorchScript files are
// built in C++ (torch::jit::Module::define + save).
//
// The package: embedding_dim 8, three encoders whose outputs put "red" on axis 0, "green" on
// axis 1 and "blue" on axis 2 (before L2 normalisation by the model):
//  - text  (text.pt):  tokenizer "bytes", context 32, lower-case, max_bytes 256. Output = row
//    of a fixed table at the first byte's id: 'r' -> e0, 'g' -> e1, 'b' -> e2, every other id
//    -> a fixed pseudo-random unit vector in dims 3..7. "red car" ~ e0, "blue sky" ~ e2.
//  - image (image.pt): 16x16, stretch, no crop, mean 0, std 1. Output = [mean R, mean G,
//    mean B, 0, 0, 0, 0, 0.05]. A red image ~ e0.
//  - audio (audio.pt): 16 kHz, 25 ms window, 10 ms hop, n_fft 512, 24 mels 0-8000 Hz,
//    1 s segments every 1 s. Output: e = exp(time-mean of the log-mel) per band; bands 0-7
//    summed -> dim 0, 8-15 -> dim 1, 16-23 -> dim 2, divided by the total; dim 7 = 0.05.
//    A 300 Hz tone ~ e0, 1500 Hz ~ e1, 5000 Hz ~ e2.
#ifndef XMODAL_TESTING_TOY_MODEL_H_
#define XMODAL_TESTING_TOY_MODEL_H_

#include <string>

#include "absl/status/status.h"

namespace xmodal::testing {

struct ToyModelOptions {
  std::string name = "toy-rgb";
  std::string version = "1";
};

// Writes model.json, text.pt, image.pt and audio.pt into `dir` (created if missing).
// INTERNAL with LibTorch's message if building or saving a module fails; file errors as
// WriteFileAtomically / MakeDirectories. Deterministic: the same options give byte-identical
// files, hence the same model pin.
absl::Status WriteToyModelPackage(const std::string& dir, const ToyModelOptions& options = {});

// Writes a TorchScript module with no parameters whose methods are given as TorchScript
// `source` (e.g. "def forward(self, x):\n    return x.sum([1], True)\n") to `path`; lets
// tests build deliberately wrong encoders without including LibTorch. INTERNAL with
// LibTorch's message when the source does not compile or the file cannot be written.
absl::Status WriteTorchScriptModule(const std::string& path, const std::string& source);

}  // namespace xmodal::testing

#endif  // XMODAL_TESTING_TOY_MODEL_H_
