// xmodal-stamps-manifest: writes OUT_DIR/stamps.jsonl, a manifest for xmodal-index covering
// the stamp corpus (images, descriptions, sound effects, spoken descriptions; SVGs rendered to
// OUT_DIR/rendered/). Then: xmodal-index --collection C --model M --manifest OUT_DIR/stamps.jsonl
//   xmodal-stamps-manifest --out_dir DIR [--corpus DIR] [--limit N] [--svg_side 256]
// Flags: cli/program.h (also --help, --version, --flagfile).
// Exit status: 0 on success (render failures are listed on stderr), 1 on errors, 2 for bad flags.
#include <glog/logging.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/program.h"
#include "trainer/tools/stamps_manifest.h"

int main(int argc, char** argv) {
  xmodal::tools::StampsManifestOptions options;
  xmodal::cli::Program program({
      .name = "xmodal-stamps-manifest",
      .description = "Writes OUT_DIR/stamps.jsonl, a manifest of the stamp corpus for "
                     "xmodal-index (SVGs rendered to OUT_DIR/rendered/).",
      .usage = "xmodal-stamps-manifest --out_dir DIR [--corpus DIR] [--limit N] "
               "[--svg_side 256] [--threads N]",
      .footer = "Exit status: 0 on success (render failures are listed on stderr), 1 on "
                "errors, 2 for bad flags.",
  });
  program.Flag("corpus", &options.corpus_dir, "stamp corpus root", {.value_name = "DIR"})
      .Flag("out_dir", &options.out_dir, "output folder for stamps.jsonl and rendered/",
            {.value_name = "DIR", .required = true})
      .Flag("limit", &options.limit, "only the first N stamps (by name); 0: all",
            {.value_name = "N"})
      .Flag("svg_side", &options.svg_side, "longer side of rendered SVG stamps, in pixels",
            {.value_name = "N"})
      .Flag("threads", &options.threads, "SVG rendering threads; 0: one per core",
            {.value_name = "N"});
  if (std::optional<int> exit_code =
          program.Parse(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr)) {
    return *exit_code;
  }
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  const absl::StatusOr<xmodal::tools::StampsManifestSummary> summary =
      xmodal::tools::WriteStampsManifest(options);
  if (!summary.ok()) {
    std::fprintf(stderr, "xmodal-stamps-manifest: %s\n", summary.status().ToString().c_str());
    return summary.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  for (const std::string& failure : summary->failures) {
    std::fprintf(stderr, "xmodal-stamps-manifest: not rendered: %s\n", failure.c_str());
  }
  std::printf(
      "wrote %s: %lld stamps, %lld images (%lld rendered from SVG), %lld descriptions, %lld "
      "sounds, %lld spoken descriptions\n",
      summary->manifest_path.c_str(), static_cast<long long>(summary->stamps),
      static_cast<long long>(summary->images), static_cast<long long>(summary->rendered),
      static_cast<long long>(summary->texts), static_cast<long long>(summary->sounds),
      static_cast<long long>(summary->speech));
  return 0;
}
