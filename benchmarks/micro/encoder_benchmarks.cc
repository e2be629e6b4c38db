// encode/* micro-benchmarks (register.h): one forward pass of a model's encoder on a batch of
// prepared inputs (preparation is not timed), for batch sizes 1, 8 and 32.
#include <benchmark/benchmark.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/lib/synthetic_media.h"
#include "benchmarks/micro/register.h"
#include "core/base/file_util.h"
#include "core/model/model.h"
#include "core/model/model_manifest.h"

namespace xmodal::bench {
namespace {

constexpr int kWarmupPasses = 3;

// One input of `modality` for `model`, prepared as the indexer prepares it.
absl::StatusOr<model::ModelInput> OneInput(const model::Model& m, Modality modality) {
  switch (modality) {
    case Modality::kText:
      return m.PrepareText(MakeCaption(0, 1));
    case Modality::kImage:
      return m.PrepareImage(MakePhotoImage(512, 512, 1, 1));
    case Modality::kAudio: {
      absl::StatusOr<std::vector<model::ModelInput>> segments =
          m.PrepareAudio(MakeToneClip(3.0, 16000, 440, 1));
      if (!segments.ok()) return segments.status();
      return segments->front();
    }
  }
  return absl::InternalError("unknown modality");
}

// The loaded model of one package, shared by its benchmarks; loaded on first use.
struct LoadedModel {
  std::string dir;
  std::once_flag once;
  std::unique_ptr<model::Model> model;
  std::string error;

  const model::Model* Get() {
    std::call_once(once, [this] {
      absl::StatusOr<std::unique_ptr<model::Model>> loaded = model::Model::Load(dir);
      if (loaded.ok()) {
        model = *std::move(loaded);
      } else {
        error = loaded.status().ToString();
      }
    });
    return model.get();
  }
};

void RegisterOne(std::shared_ptr<LoadedModel> loaded, const std::string& model_name,
                 Modality modality, int batch) {
  const std::string name =
      absl::StrCat("encode/", model_name, "/", ModalityName(modality), "/batch:", batch);
  benchmark::RegisterBenchmark(
      name.c_str(),
      [loaded, modality, batch](benchmark::State& state) {
        const model::Model* m = loaded->Get();
        if (m == nullptr) {
          state.SkipWithError(loaded->error.c_str());
          return;
        }
        absl::StatusOr<model::ModelInput> input = OneInput(*m, modality);
        if (!input.ok()) {
          state.SkipWithError(input.status().ToString().c_str());
          return;
        }
        const std::vector<model::ModelInput> inputs(static_cast<size_t>(batch), *input);
        std::vector<const model::ModelInput*> ptrs;
        for (const model::ModelInput& in : inputs) ptrs.push_back(&in);
        for (int i = 0; i < kWarmupPasses; ++i) {  // TorchScript optimises on the first calls
          if (!m->Encode(modality, ptrs).ok()) break;
        }
        for (auto _ : state) {
          absl::StatusOr<FloatMatrix> out = m->Encode(modality, ptrs);
          if (!out.ok()) {
            state.SkipWithError(out.status().ToString().c_str());
            return;
          }
          benchmark::DoNotOptimize(out->data.data());
        }
        state.SetItemsProcessed(state.iterations() * batch);
      })
      ->Unit(benchmark::kMillisecond)

      ->UseRealTime();
}

}  // namespace

void RegisterEncoderBenchmarks(const MicroEnv& env) {
  for (const std::string& dir : env.model_dirs) {
    absl::StatusOr<std::string> json = ReadFile(dir + "/model.json");
    if (!json.ok()) continue;
    absl::StatusOr<model::ModelManifest> manifest = model::ModelManifest::Parse(*json);
    if (!manifest.ok()) continue;
    auto loaded = std::make_shared<LoadedModel>();
    loaded->dir = dir;
    OnRelease([loaded] { loaded->model.reset(); });
    for (const Modality modality : kAllModalities) {
      if (!manifest->Supports(modality)) continue;
      for (const int batch : {1, 8, 32}) RegisterOne(loaded, manifest->name, modality, batch);
    }
  }
}

}  // namespace xmodal::bench
