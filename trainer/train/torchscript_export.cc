#include "trainer/train/torchscript_export.h"

#include <glog/logging.h>
#include <torch/script.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::train {
namespace {

std::string Num(double v) { return absl::StrFormat("%.9g", v); }

std::string TextSource(const ModelConfig& c) {
  return absl::StrCat(R"(
def forward(self, ids):
    mask = (ids > 0).float()
    e = self.text_table.index_select(0, ids.reshape([-1])).reshape([ids.size(0), ids.size(1), -1])
    h = (e * mask.unsqueeze(2)).sum([1]) / mask.sum([1], True).clamp_min(1.0)
    h = torch.layer_norm(h, [)",
                      c.text_width, R"(], self.text_ln_w, self.text_ln_b, 1e-05)
    h = (h.matmul(self.text_w1.t()) + self.text_b1).relu()
    out = h.matmul(self.text_w2.t()) + self.text_b2
    return out / out.norm(2, [1], True).clamp_min(1e-06)
)");
}

std::string ImageSource(const ModelConfig& c) {
  std::string s = "\ndef forward(self, x):\n    h = x.float()\n";
  for (size_t i = 0; i < c.image_layers.size(); ++i) {
    const ConvLayer& l = c.image_layers[i];
    absl::StrAppend(&s, "    h = torch.conv2d(h, self.image_c", i, "_w, self.image_c", i, "_b, [",
                    l.stride, ", ", l.stride, "], [", l.kernel / 2, ", ", l.kernel / 2,
                    "]).relu()\n");
    if (c.image_groups > 0) {
      absl::StrAppend(&s, "    h = torch.group_norm(h, ", c.image_groups, ", self.image_g", i,
                      "_w, self.image_g", i, "_b, 1e-05)\n");
    }
  }
  absl::StrAppend(&s, "    h = h.mean([2, 3])\n", "    h = torch.layer_norm(h, [",
                  ImageFeatureWidth(c), "], self.image_ln_w, self.image_ln_b, 1e-05)\n",
                  "    out = h.matmul(self.image_proj_w.t()) + self.image_proj_b\n",
                  "    return out / out.norm(2, [1], True).clamp_min(1e-06)\n");
  return s;
}

bool HasMemory(const SpeechMemory* memory) { return memory != nullptr && memory->size() > 0; }

std::string AudioSource(const ModelConfig& c, const SpeechMemory* memory) {
  std::string s = absl::StrCat("\ndef forward(self, x):\n    h = (x.float() + ",
                               Num(c.audio_offset), ") * ", Num(c.audio_scale), "\n");
  for (size_t i = 0; i < c.audio_layers.size(); ++i) {
    const ConvLayer& l = c.audio_layers[i];
    absl::StrAppend(&s, "    h = torch.conv1d(h, self.audio_c", i, "_w, self.audio_c", i, "_b, [",
                    l.stride, "], [", l.kernel / 2, "]).relu()\n");
    if (c.audio_groups > 0) {
      absl::StrAppend(&s, "    h = torch.group_norm(h, ", c.audio_groups, ", self.audio_g", i,
                      "_w, self.audio_g", i, "_b, 1e-05)\n");
    }
  }
  absl::StrAppend(&s, "    h = torch.cat([h.mean([2]), h.amax([2])], 1)\n",
                  "    h = torch.layer_norm(h, [", AudioFeatureWidth(c),
                  "], self.audio_ln_w, self.audio_ln_b, 1e-05)\n",
                  "    out = h.matmul(self.audio_proj_w.t()) + self.audio_proj_b\n",
                  "    out = out / out.norm(2, [1], True).clamp_min(1e-06)\n");
  if (!HasMemory(memory)) return absl::StrCat(s, "    return out\n");
  // speech_memory.h ApplySpeechMemory.
  absl::StrAppend(&s, "    fp = h.matmul(self.audio_fp_w.t()) + self.audio_fp_b\n",
                  "    fp = fp / fp.norm(2, [1], True).clamp_min(1e-06)\n",
                  "    sims = fp.matmul(self.mem_keys.float().t())\n",
                  "    best = sims.amax([1], True)\n", "    w = torch.softmax(sims * ",
                  Num(memory->sharpness), ", 1)\n", "    recalled = torch.zeros([x.size(0), ",
                  memory->values.size(0),
                  "]).index_add(1, self.mem_stamp, w).matmul(self.mem_values)\n",
                  "    gate = torch.sigmoid((best - ", Num(memory->calibration.threshold), ") * ",
                  Num(memory->gate_slope), ")\n", "    y = out * (1.0 - gate) + recalled * gate\n",
                  "    return y / y.norm(2, [1], True).clamp_min(1e-06)\n");
  return s;
}

}  // namespace

std::string TowerScript(const ModelConfig& config, absl::string_view tower,
                        const SpeechMemory* memory) {
  if (tower == "text") return TextSource(config);
  if (tower == "image") return ImageSource(config);
  CHECK(tower == "audio") << "unknown tower " << tower;
  return AudioSource(config, memory);
}

absl::Status SaveTower(const TowersImpl& towers, absl::string_view tower, const std::string& path,
                       const SpeechMemory* memory) {
  if (tower != "audio") memory = nullptr;
  const std::string tmp = absl::StrCat(path, ".tmp");
  try {
    torch::jit::Module m(absl::StrCat("xmodal_", tower));
    for (const auto& [name, tensor] : towers.TowerParameters(tower)) {
      m.register_parameter(name, tensor.detach().clone(), /*is_buffer=*/false);
    }
    if (HasMemory(memory)) {
      m.register_buffer("mem_keys", memory->keys.to(torch::kHalf).contiguous());
      m.register_buffer("mem_stamp", memory->stamp.contiguous());
      m.register_buffer("mem_values", memory->values.detach().contiguous());
    }
    m.define(TowerScript(towers.config(), tower, memory));
    m.eval();
    m.save(tmp);
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("cannot export the ", tower, " tower to ", path, ": ", e.what()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", tmp, " to ", path, ": ", ec.message()));
  }
  return SyncFile(path);
}

absl::Status WriteModelFiles(const TowersImpl& towers, const std::string& dir,
                             const SpeechMemory* memory) {
  XM_RETURN_IF_ERROR(MakeDirectories(dir));
  const model::ModelManifest manifest = MakeManifest(towers.config());
  XM_RETURN_IF_ERROR(SaveTower(towers, "text", absl::StrCat(dir, "/", manifest.text->file)));
  XM_RETURN_IF_ERROR(SaveTower(towers, "image", absl::StrCat(dir, "/", manifest.image->file)));
  XM_RETURN_IF_ERROR(
      SaveTower(towers, "audio", absl::StrCat(dir, "/", manifest.audio->file), memory));
  XM_RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(dir, "/model.json"), manifest.ToJson()));
  return SyncDirectory(dir);
}

}  // namespace xmodal::train
