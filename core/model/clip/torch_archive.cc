#include "core/model/clip/torch_archive.h"

#include <torch/script.h>
#include <torch/serialize.h>

#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"

namespace xmodal::model::clip {
namespace {

std::string LibTorchMessage(const std::exception& e) {
  if (const auto* c10 = dynamic_cast<const c10::Error*>(&e)) return c10->what_without_backtrace();
  return e.what();
}

// Float tensors become float32 host tensors; integer ones (counters, ids) are skipped.
void Add(const std::string& name, const at::Tensor& tensor, TensorMap& out) {
  if (!tensor.is_floating_point()) return;
  HostTensor t;
  t.shape.assign(tensor.sizes().begin(), tensor.sizes().end());
  switch (tensor.scalar_type()) {
    case at::kHalf:
      t.stored = weights::DType::kF16;
      break;
    case at::kBFloat16:
      t.stored = weights::DType::kBF16;
      break;
    case at::kDouble:
      t.stored = weights::DType::kF64;
      break;
    default:
      t.stored = weights::DType::kF32;
  }
  const at::Tensor f = tensor.detach().to(at::kCPU).to(at::kFloat).contiguous();
  t.values.resize(static_cast<size_t>(f.numel()));
  if (!t.values.empty()) std::memcpy(t.values.data(), f.data_ptr<float>(), t.values.size() * 4);
  out[name] = std::move(t);
}

absl::StatusOr<TensorMap> FromTorchScript(const std::string& path, std::string& error) {
  try {
    torch::jit::Module module = torch::jit::load(path, at::kCPU);
    TensorMap out;
    for (const auto& p : module.named_parameters(/*recurse=*/true)) Add(p.name, p.value, out);
    for (const auto& b : module.named_buffers(/*recurse=*/true)) Add(b.name, b.value, out);
    return out;
  } catch (const std::exception& e) {
    error = LibTorchMessage(e);
    return absl::InvalidArgumentError(error);
  }
}

// Python's torch.save of a state_dict pickles a collections.OrderedDict, which LibTorch 1.13's
// unpickler replaces with None (unpickler.cpp: OrderedDicts are only expected as a tensor's
// empty backward hooks), so loading fails (the items land on None, or a one-item dict's
// SETITEM is an unknown opcode). LibTorch's own pickle_save never writes that GLOBAL, so its
// bytes tell such a file. Removable when LibTorch's unpickler reads OrderedDict as a dict.
constexpr char kPythonStateDict[] =
    "it is a torch.save state_dict written by Python: LibTorch 1.13 reads its "
    "collections.OrderedDict as None, so it cannot be loaded without Python; use the "
    "checkpoint's safetensors file (OpenCLIP's open_clip_model.safetensors, Hugging Face's "
    "model.safetensors) or OpenAI's TorchScript .pt";

// `python_pickle`: set when the file is one of Python's (kPythonStateDict is then `error`).
absl::StatusOr<TensorMap> FromStateDict(const std::string& path, std::string& error,
                                        bool& python_pickle) {
  absl::StatusOr<std::string> bytes = ReadFile(path, kMaxWeightsFileBytes);
  if (!bytes.ok()) return bytes.status();
  try {
    const c10::IValue value = torch::pickle_load(std::vector<char>(bytes->begin(), bytes->end()));
    if (!value.isGenericDict()) {
      error = absl::StrCat("it holds a ", value.tagKind(), ", not a dict of tensors");
      return absl::InvalidArgumentError(error);
    }
    TensorMap out;
    for (const auto& entry : value.toGenericDict()) {
      if (!entry.key().isString() || !entry.value().isTensor()) continue;
      Add(entry.key().toStringRef(), entry.value().toTensor(), out);
    }
    return out;
  } catch (const std::exception& e) {
    error = LibTorchMessage(e);
    if (absl::StrContains(*bytes, "ccollections\nOrderedDict\n")) {  // the pickle's GLOBAL
      python_pickle = true;
      error = kPythonStateDict;
    }
    return absl::InvalidArgumentError(error);
  }
}

}  // namespace

absl::StatusOr<TensorMap> ReadTorchArchive(const std::string& path) {
  std::string jit_error, pickle_error;
  absl::StatusOr<TensorMap> jit = FromTorchScript(path, jit_error);
  if (jit.ok()) return jit;
  bool python_pickle = false;
  absl::StatusOr<TensorMap> dict = FromStateDict(path, pickle_error, python_pickle);
  if (python_pickle) {
    return absl::InvalidArgumentError(absl::StrCat("weights file '", path, "': ", pickle_error));
  }
  if (dict.ok() || !absl::IsInvalidArgument(dict.status())) return dict;
  const auto first_line = [](const std::string& s) { return s.substr(0, s.find('\n')); };
  return absl::InvalidArgumentError(absl::StrCat(
      "weights file '", path,
      "' is a zip archive but neither a TorchScript module nor a torch.save state_dict that "
      "LibTorch can read (a pickled nn.Module needs Python); as TorchScript: ",
      first_line(jit_error), "; as a state_dict: ", first_line(pickle_error)));
}

}  // namespace xmodal::model::clip
