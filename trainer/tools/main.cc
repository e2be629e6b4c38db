// xmodal-stamps-manifest: writes OUT_DIR/stamps.jsonl, a manifest for xmodal-index covering
// the stamp corpus (images, descriptions, sound effects, spoken descriptions; SVGs rendered to
// OUT_DIR/rendered/). Then: xmodal-index --collection C --model M --manifest OUT_DIR/stamps.jsonl
//   xmodal-stamps-manifest --out_dir DIR [--corpus DIR] [--limit N] [--svg_side 256]
// Exit status: 0 on success (render failures are listed on stderr), 1 on errors, 2 for bad flags.
#include <glog/logging.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "trainer/tools/stamps_manifest.h"

ABSL_FLAG(std::string, corpus, xmodal::corpus::kDefaultStampRoot, "Stamp corpus root.");
ABSL_FLAG(std::string, out_dir, "", "Output folder for stamps.jsonl and rendered/ (required).");
ABSL_FLAG(int32_t, limit, 0, "Only the first N stamps (by name); 0: all.");
ABSL_FLAG(int32_t, svg_side, 256, "Longer side of rendered SVG stamps, in pixels.");
ABSL_FLAG(int32_t, threads, 0, "SVG rendering threads; 0: one per core.");

int main(int argc, char** argv) {
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  absl::SetProgramUsageMessage(
      "xmodal-stamps-manifest --out_dir DIR [--corpus DIR] [--limit N] [--svg_side 256]");
  absl::ParseCommandLine(argc, argv);
  xmodal::tools::StampsManifestOptions options;
  options.corpus_dir = absl::GetFlag(FLAGS_corpus);
  options.out_dir = absl::GetFlag(FLAGS_out_dir);
  options.limit = absl::GetFlag(FLAGS_limit);
  options.svg_side = absl::GetFlag(FLAGS_svg_side);
  options.threads = absl::GetFlag(FLAGS_threads);
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
