// The only translation unit of the model module that includes LibTorch. No LibTorch
// exception leaves this file: each is turned into a Status carrying the library's message.
#include "core/model/torch_encoder.h"

#include <ATen/Parallel.h>
#include <glog/logging.h>
#include <torch/script.h>

#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/status_macros.h"
#include "core/model/log_mel.h"

namespace xmodal::model {
namespace {

// One modality's encoder: a (possibly shared) module, the method to call, the input shape
// without the batch dimension and the input dtype.
struct Encoder {
  std::shared_ptr<torch::jit::Module> module;
  std::string file;
  std::string method;
  std::vector<int64_t> item_shape;
  bool int_input = false;
};

std::string LibTorchMessage(const std::exception& e) {
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

std::string ShapeString(const at::Tensor& t) {
  return absl::StrCat(std::string(c10::toString(t.scalar_type())), "[",
                      absl::StrJoin(t.sizes(), ", "), "]");
}

// Runs `enc` on `batch`; `code` is the status code for a wrong output (FAILED_PRECONDITION
// for the load-time probe, INTERNAL afterwards).
absl::StatusOr<FloatMatrix> Forward(const Encoder& enc, Modality modality, at::Tensor batch,
                                    int64_t dim, absl::StatusCode code) {
  const int64_t rows = batch.size(0);
  const std::string who = absl::StrCat("the ", ModalityName(modality), " encoder ('", enc.file,
                                       "', method '", enc.method, "')");
  try {
    c10::InferenceMode guard;
    torch::jit::Method method = enc.module->get_method(enc.method);
    c10::IValue result = method(std::vector<c10::IValue>{std::move(batch)});
    if (!result.isTensor()) {
      return absl::Status(
          code, absl::StrCat(who, " returned a ", result.tagKind(), ", expected a float32 tensor [",
                             rows, ", ", dim, "]"));
    }
    at::Tensor out = result.toTensor();
    if (out.scalar_type() != at::kFloat || out.dim() != 2 || out.size(0) != rows ||
        out.size(1) != dim) {
      return absl::Status(code, absl::StrCat(who, " returned ", ShapeString(out),
                                             ", expected Float[", rows, ", ", dim, "]"));
    }
    out = out.contiguous();
    FloatMatrix m(rows, dim);
    std::memcpy(m.data.data(), out.data_ptr<float>(), m.data.size() * sizeof(float));
    if (code == absl::StatusCode::kInternal) {
      for (float v : m.data) {
        if (!std::isfinite(v)) return absl::InternalError(who + " returned non-finite values");
      }
    }
    return m;
  } catch (const std::exception& e) {
    const absl::StatusCode fail = code == absl::StatusCode::kInternal
                                      ? absl::StatusCode::kInternal
                                      : absl::StatusCode::kFailedPrecondition;
    return absl::Status(fail, absl::StrCat(who, " failed: ", LibTorchMessage(e)));
  }
}

// A batch tensor of zeros, shape [rows, item_shape...].
at::Tensor MakeBatch(const Encoder& enc, int64_t rows) {
  std::vector<int64_t> shape = {rows};
  shape.insert(shape.end(), enc.item_shape.begin(), enc.item_shape.end());
  return torch::zeros(shape, enc.int_input ? at::kLong : at::kFloat);
}

}  // namespace

struct TorchEncoder::Impl {
  int64_t dim = 0;
  std::map<Modality, Encoder> encoders;
};

TorchEncoder::TorchEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TorchEncoder::~TorchEncoder() = default;

absl::StatusOr<std::unique_ptr<TorchEncoder>> TorchEncoder::Load(const std::string& package_dir,
                                                                 const ModelManifest& manifest) {
  auto impl = std::make_unique<Impl>();
  impl->dim = manifest.embedding_dim;
  std::map<Modality, Encoder>& encs = impl->encoders;
  if (manifest.text && !manifest.text->file.empty()) {
    encs[Modality::kText] = {nullptr,
                             manifest.text->file,
                             manifest.text->method,
                             {manifest.text->tokenizer.context_length},
                             true};
  }
  if (manifest.image && !manifest.image->file.empty()) {
    const int s = manifest.image->size;
    encs[Modality::kImage] = {
        nullptr, manifest.image->file, manifest.image->method, {3, s, s}, false};
  }
  if (manifest.audio) {
    encs[Modality::kAudio] = {nullptr,
                              manifest.audio->file,
                              manifest.audio->method,
                              {manifest.audio->n_mels, SegmentFrames(*manifest.audio)},
                              false};
  }
  std::map<std::string, std::shared_ptr<torch::jit::Module>> loaded;
  for (auto& [modality, enc] : encs) {
    const std::string field = absl::StrCat("modalities.", ModalityName(modality));
    auto it = loaded.find(enc.file);
    if (it == loaded.end()) {
      const std::string path = absl::StrCat(package_dir, "/", enc.file);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec)) {
        return absl::NotFoundError(
            absl::StrCat("model file '", path, "' (", field, ".file) does not exist"));
      }
      try {
        auto module = std::make_shared<torch::jit::Module>(torch::jit::load(path));
        module->eval();
        it = loaded.emplace(enc.file, std::move(module)).first;
      } catch (const std::exception& e) {
        return absl::InvalidArgumentError(absl::StrCat(
            "model file '", path, "' is not a TorchScript module: ", LibTorchMessage(e)));
      }
    }
    enc.module = it->second;
    if (!enc.module->find_method(enc.method).has_value()) {
      return absl::InvalidArgumentError(absl::StrCat("model file '", enc.file, "' has no method '",
                                                     enc.method, "' (", field, ".method)"));
    }
    XM_RETURN_IF_ERROR(
        Forward(enc, modality, MakeBatch(enc, 1), impl->dim, absl::StatusCode::kFailedPrecondition)
            .status());
  }
  return std::unique_ptr<TorchEncoder>(new TorchEncoder(std::move(impl)));
}

absl::StatusOr<FloatMatrix> TorchEncoder::Run(Modality modality,
                                              std::span<const ModelInput* const> inputs) const {
  auto it = impl_->encoders.find(modality);
  CHECK(it != impl_->encoders.end()) << "Run for a modality the model lacks";
  const Encoder& enc = it->second;
  const auto rows = static_cast<int64_t>(inputs.size());
  at::Tensor batch;
  try {
    batch = MakeBatch(enc, rows);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("cannot allocate a batch of ", rows, " ",
                                            ModalityName(modality),
                                            " inputs: ", LibTorchMessage(e)));
  }
  const int64_t row_size = batch.numel() / std::max<int64_t>(rows, 1);
  for (int64_t i = 0; i < rows; ++i) {
    const ModelInput& in = *inputs[i];
    if (enc.int_input) {
      CHECK_EQ(static_cast<int64_t>(in.ids.size()), row_size);
      std::memcpy(batch.data_ptr<int64_t>() + i * row_size, in.ids.data(),
                  row_size * sizeof(int64_t));
    } else {
      CHECK_EQ(static_cast<int64_t>(in.features.size()), row_size);
      std::memcpy(batch.data_ptr<float>() + i * row_size, in.features.data(),
                  row_size * sizeof(float));
    }
  }
  return Forward(enc, modality, std::move(batch), impl_->dim, absl::StatusCode::kInternal);
}

void SetEncoderThreads(int threads) {
  threads = std::max(threads, 1);
  try {
    at::set_num_threads(threads);
  } catch (const std::exception& e) {
    LOG(WARNING) << "cannot set LibTorch intra-op threads to " << threads << ": "
                 << LibTorchMessage(e);
  }
  static std::once_flag interop_once;
  std::call_once(interop_once, [] {
    try {
      at::set_num_interop_threads(1);
    } catch (const std::exception& e) {
      LOG(WARNING) << "cannot set LibTorch inter-op threads: " << LibTorchMessage(e);
    }
  });
}

}  // namespace xmodal::model
