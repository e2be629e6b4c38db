#include "benchmarks/micro/micro_env.h"

#include <filesystem>
#include <functional>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/micro/register.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/model/model.h"
#include "testing/toy_model.h"

namespace xmodal::bench {
namespace {

bool HasManifest(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir + "/model.json", ec);
}

std::vector<std::function<void()>>& Releases() {
  static std::vector<std::function<void()>> releases;
  return releases;
}

}  // namespace

void OnRelease(std::function<void()> release) { Releases().push_back(std::move(release)); }

void ReleaseFixtures() {
  for (auto& release : Releases()) release();
  Releases().clear();
}

absl::StatusOr<MicroEnv> ResolveMicroEnv(const MicroFlags& flags) {
  MicroEnv env;
  XM_ASSIGN_OR_RETURN(env.scratch_dir, MakeTempDirectory("xmodal-microbench-"));
  if (!flags.model.empty()) {
    if (!HasManifest(flags.model)) {
      return absl::NotFoundError(
          absl::StrCat("model package '", flags.model, "' has no model.json"));
    }
    env.model_dirs.push_back(flags.model);
    env.notes.push_back(absl::StrCat("encoders: the package at ", flags.model));
  } else {
    const std::string toy = env.scratch_dir + "/toy-model";
    XM_RETURN_IF_ERROR(testing::WriteToyModelPackage(toy));
    env.model_dirs.push_back(toy);
    env.notes.push_back("encoders: the toy-rgb package (testing/toy_model.h)");
    if (!flags.default_dir.empty() && HasManifest(flags.default_dir)) {
      env.model_dirs.push_back(flags.default_dir);
      env.notes.push_back(absl::StrCat("encoders: the default model at ", flags.default_dir));
    } else {
      env.notes.push_back(absl::StrCat("no default model at '", flags.default_dir,
                                       "' yet (issue 3); its encoders are not measured"));
    }
  }
  // The last package is the most relevant one (the default model when it exists).
  for (auto dir = env.model_dirs.rbegin(); dir != env.model_dirs.rend(); ++dir) {
    absl::StatusOr<model::ModelPin> pin = model::ComputeModelPin(*dir);
    if (pin.ok()) {
      env.faiss_dims.push_back(pin->embedding_dim);
      break;
    }
  }
  if (env.faiss_dims.empty() || env.faiss_dims.front() != 512) env.faiss_dims.push_back(512);
  env.faiss_sizes = {flags.tiny ? 1'000 : 10'000};
  env.faiss_build_threads = flags.tiny ? 1 : 0;
  if (flags.big) {
    env.faiss_sizes.push_back(100'000);
    env.faiss_sizes.push_back(1'000'000);
  }
  return env;
}

}  // namespace xmodal::bench
