// xmodal-model: model packages from the command line (docs/model-package.md).
//   xmodal-model import-clip WEIGHTS --vocab FILE --out DIR [--name --version --license ...]
//   xmodal-model inspect DIR
//   xmodal-model embed DIR (--text TEXT | --image FILE)
// Exit status: 0 on success, 1 when the operation fails, 2 for a usage error.
#include <glog/logging.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/program.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/media/image.h"
#include "core/model/model.h"
#include "modeltool/import_clip.h"
#include "modeltool/inspect.h"

namespace xmodal::modeltool {
namespace {

int Fail(const absl::Status& status) {
  std::cerr << "xmodal-model: " << status.message() << "\n";
  return 1;
}

// One L2-normalised vector of `dir`'s model, as a JSON array on one line.
absl::StatusOr<std::string> Embed(const std::string& dir, const std::string& text,
                                  const std::string& image_path) {
  XM_ASSIGN_OR_RETURN(std::unique_ptr<model::Model> model, model::Model::Load(dir));
  model::ModelInput input;
  if (!image_path.empty()) {
    XM_ASSIGN_OR_RETURN(std::string bytes, ReadFile(image_path, 256 << 20));
    XM_ASSIGN_OR_RETURN(media::Image image, media::DecodeImage(bytes));
    XM_ASSIGN_OR_RETURN(input, model->PrepareImage(image));
  } else {
    XM_ASSIGN_OR_RETURN(input, model->PrepareText(text));
  }
  const model::ModelInput* batch[] = {&input};
  XM_ASSIGN_OR_RETURN(FloatMatrix out, model->Encode(input.modality, batch));
  return absl::StrCat("[", absl::StrJoin(out.row(0), ", "), "]\n");
}

int Main(int argc, char** argv) {
  ImportClipOptions import;
  std::string dir, text, image;
  cli::Program program({
      .name = "xmodal-model",
      .description = "Model packages: import CLIP weights, inspect a package, embed one input "
                     "(docs/model-package.md).",
      .usage = "xmodal-model COMMAND [OPTIONS] (import-clip, inspect, embed)",
      .footer = "Exit status: 0 on success, 1 when the operation fails, 2 for a usage error.",
  });
  program.RequireSubcommand();
  cli::Command& import_cmd = program.Subcommand(
      "import-clip",
      "Write a model package from CLIP weights: safetensors (OpenAI/OpenCLIP or Hugging Face "
      "naming; F32, F16, BF16) or OpenAI's .pt archives (docs/model-package.md).",
      "xmodal-model import-clip WEIGHTS --vocab FILE --out DIR [--name N] [--version V] "
      "[--license L] [--vision_heads N] [--text_heads N] [--activation quick_gelu|gelu] "
      "[--compute float32|bfloat16] "
      "[--dtype auto|f32|f16|bf16] [--truncate]");
  import_cmd.Positional("WEIGHTS", &import.weights, "the weights file", /*required=*/true)
      .Flag("vocab", &import.vocab, "CLIP's BPE merges, bpe_simple_vocab_16e6.txt.gz",
            {.value_name = "FILE", .required = true})
      .Flag("out", &import.out_dir, "the package directory to create (new or empty)",
            {.value_name = "DIR", .required = true})
      .Flag("name", &import.name, "model name (default: the weights file's name)")
      .Flag("version", &import.version, "model version")
      .Flag("license", &import.license,
            "licence of the weights, e.g. MIT for OpenAI's; default: unknown")
      .Flag("vision_heads", &import.vision_heads, "image tower attention heads; 0: width / 64")
      .Flag("text_heads", &import.text_heads, "text tower attention heads; 0: width / 64")
      .Flag("compute", &import.compute,
            "the towers' arithmetic: float32 (exact) or bfloat16 (about 2x faster with "
            "AVX512-BF16)")
      .Flag("activation", &import.activation,
            "MLP activation: quick_gelu (OpenAI's weights) or gelu (most OpenCLIP LAION ones)")
      .Flag("dtype", &import.dtype, "stored weights: auto (as the source), f32, f16 or bf16")
      .Flag("truncate", &import.truncate,
            "cut texts over the context (CLIP's truncate=True) instead of refusing them")
      .Flag("max_bytes", &import.max_bytes, "longest text accepted, in bytes");
  cli::Command& inspect_cmd =
      program.Subcommand("inspect",
                         "Print what a package is: model, licence, architecture, "
                         "parameters, dims and preprocessing.",
                         "xmodal-model inspect DIR");
  inspect_cmd.Positional("DIR", &dir, "the package directory", /*required=*/true);
  cli::Command& embed_cmd = program.Subcommand(
      "embed", "Print the L2-normalised vector of one text or image, as a JSON array.",
      "xmodal-model embed DIR (--text TEXT | --image FILE)");
  embed_cmd.Positional("DIR", &dir, "the package directory", /*required=*/true)
      .Flag("text", &text, "the text to embed")
      .Flag("image", &image, "the image file to embed", {.value_name = "FILE"});
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  const cli::Command* command = program.outcome().command;
  if (command == &import_cmd) {
    absl::StatusOr<ImportClipReport> report = ImportClip(import);
    if (!report.ok()) return Fail(report.status());
    std::cout << "wrote " << report->out_dir << ": " << report->summary << "\n";
    if (!report->ignored_tensors.empty()) {
      std::cout << "ignored " << report->ignored_tensors.size()
                << " tensors the architecture does not read: "
                << absl::StrJoin(report->ignored_tensors, ", ") << "\n";
    }
    if (import.license.empty()) {
      std::cout << "licence: unknown (give --license to record it)\n";
    }
    return 0;
  }
  if (command == &inspect_cmd) {
    absl::StatusOr<std::string> text_out = InspectPackage(dir);
    if (!text_out.ok()) return Fail(text_out.status());
    std::cout << *text_out;
    return 0;
  }
  if (text.empty() == image.empty()) {
    std::cerr << program.UsageError("embed needs exactly one of --text and --image");
    return cli::kExitUsage;
  }
  absl::StatusOr<std::string> vector = Embed(dir, text, image);
  if (!vector.ok()) return Fail(vector.status());
  std::cout << *vector;
  return 0;
}

}  // namespace
}  // namespace xmodal::modeltool

int main(int argc, char** argv) { return xmodal::modeltool::Main(argc, argv); }
