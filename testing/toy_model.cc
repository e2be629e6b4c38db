// Builds the toy-rgb package (toy_model.h). TorchScript compiled by Module::define from C++
// cannot resolve torch.float32, torch.nn.functional or keyword arguments, so the sources use
// tensor methods and positional arguments only.
#include "testing/toy_model.h"

#include <torch/script.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::testing {
namespace {

constexpr int kDim = 8;

// 257 x 8: ids 'r'+1, 'g'+1, 'b'+1 map to e0, e1, e2; every other id to a pseudo-random unit
// vector in dims 3..7 (fixed seed, portable generator).
at::Tensor TextTable() {
  at::Tensor table = torch::zeros({257, kDim}, at::kFloat);
  auto t = table.accessor<float, 2>();
  std::mt19937 gen(20240607);
  for (int id = 0; id < 257; ++id) {
    double norm = 0;
    for (int d = 3; d < kDim; ++d) {
      t[id][d] = static_cast<float>(gen()) / 4294967296.0f * 2.0f - 1.0f;
      norm += static_cast<double>(t[id][d]) * t[id][d];
    }
    for (int d = 3; d < kDim; ++d) t[id][d] = static_cast<float>(t[id][d] / std::sqrt(norm));
  }
  const int colour_ids[3] = {'r' + 1, 'g' + 1, 'b' + 1};
  for (int axis = 0; axis < 3; ++axis) {
    for (int d = 0; d < kDim; ++d) t[colour_ids[axis]][d] = d == axis ? 1.0f : 0.0f;
  }
  return table;
}

// [kDim] with 0.05 in the last dimension.
at::Tensor Bias() {
  at::Tensor bias = torch::zeros({kDim}, at::kFloat);
  bias[kDim - 1] = 0.05f;
  return bias;
}

// [rows, kDim] summing groups of rows / `group` into dims 0, 1, 2, ...
at::Tensor GroupProjection(int rows, int group) {
  at::Tensor proj = torch::zeros({rows, kDim}, at::kFloat);
  for (int r = 0; r < rows; ++r) proj[r][r / group] = 1.0f;
  return proj;
}

void SaveText(const std::string& path) {
  torch::jit::Module m("ToyText");
  m.register_buffer("table", TextTable());
  m.define(R"(
def forward(self, ids):
    return self.table.index_select(0, ids.select(1, 0))
)");
  m.save(path);
}

void SaveImage(const std::string& path) {
  torch::jit::Module m("ToyImage");
  m.register_buffer("proj", GroupProjection(3, 1));
  m.register_buffer("bias", Bias());
  m.define(R"(
def forward(self, x):
    rgb = x.float().mean([2, 3])
    return rgb.matmul(self.proj) + self.bias
)");
  m.save(path);
}

void SaveAudio(const std::string& path) {
  torch::jit::Module m("ToyAudio");
  m.register_buffer("proj", GroupProjection(24, 8));
  m.register_buffer("bias", Bias());
  m.define(R"(
def forward(self, x):
    e = x.float().mean([2]).exp()
    return e.matmul(self.proj) / e.sum([1], True) + self.bias
)");
  m.save(path);
}

std::string ManifestJson(const ToyModelOptions& options) {
  using J = nlohmann::ordered_json;
  J text = {{"file", "text.pt"},
            {"method", "forward"},
            {"max_bytes", 256},
            {"tokenizer", {{"type", "bytes"}, {"context_length", 32}, {"lowercase", true}}}};
  J image = {{"file", "image.pt"},    {"method", "forward"}, {"size", 16},
             {"resize", "stretch"},   {"crop", "none"},      {"mean", {0.0, 0.0, 0.0}},
             {"std", {1.0, 1.0, 1.0}}};
  J audio = {{"file", "audio.pt"},
             {"method", "forward"},
             {"sample_rate", 16000},
             {"window_seconds", 0.025},
             {"hop_seconds", 0.010},
             {"n_fft", 512},
             {"n_mels", 24},
             {"fmin", 0.0},
             {"fmax", 8000.0},
             {"segment_seconds", 1.0},
             {"segment_hop_seconds", 1.0}};
  J doc = {{"name", options.name},
           {"version", options.version},
           {"license", "Apache-2.0"},
           {"embedding_dim", kDim},
           {"modalities", {{"text", text}, {"image", image}, {"audio", audio}}}};
  return doc.dump(2, ' ', false, J::error_handler_t::replace) + "\n";
}

}  // namespace

absl::Status WriteToyModelPackage(const std::string& dir, const ToyModelOptions& options) {
  XM_RETURN_IF_ERROR(MakeDirectories(dir));
  try {
    SaveText(dir + "/text.pt");
    SaveImage(dir + "/image.pt");
    SaveAudio(dir + "/audio.pt");
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("cannot build the toy model: ", e.what()));
  }
  return WriteFileAtomically(dir + "/model.json", ManifestJson(options));
}

absl::Status WriteTorchScriptModule(const std::string& path, const std::string& source) {
  try {
    torch::jit::Module m("Custom");
    m.define(source);
    m.save(path);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("cannot build a TorchScript module: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace xmodal::testing
