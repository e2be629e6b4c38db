#include "trainer/tools/stamps_manifest.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"
#include "core/base/thread_pool.h"
#include "core/base/threads.h"
#include "trainer/corpus/svg_render.h"

namespace xmodal::tools {
namespace {

namespace fs = std::filesystem;

constexpr char kManifestName[] = "stamps.jsonl";
constexpr char kRenderedDir[] = "rendered";

Json FileLine(const std::string& path, const char* modality, const corpus::Stamp& stamp,
              Json metadata) {
  metadata["stamp"] = stamp.name;
  return Json{
      {"path", path}, {"modality", modality}, {"group", stamp.name}, {"metadata", metadata}};
}

absl::Status ValidateOptions(const StampsManifestOptions& o) {
  if (o.out_dir.empty()) return absl::InvalidArgumentError("--out_dir is required");
  if (o.limit < 0) return absl::InvalidArgumentError(absl::StrCat("--limit ", o.limit, " < 0"));
  if (o.threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat("--threads ", o.threads, " < 0"));
  }
  if (o.svg_side < 1 || o.svg_side > corpus::kMaxSvgSide) {
    return absl::InvalidArgumentError(
        absl::StrCat("--svg_side ", o.svg_side, " is outside [1, ", corpus::kMaxSvgSide, "]"));
  }
  return absl::OkStatus();
}

// Renders `stamp`'s SVG to out_dir/rendered/<name>.png; returns the manifest-relative path.
absl::StatusOr<std::string> RenderToPng(const corpus::Stamp& stamp, const std::string& out_dir,
                                        int svg_side) {
  XM_ASSIGN_OR_RETURN(const media::Image image, corpus::LoadStampImage(stamp, svg_side));
  XM_ASSIGN_OR_RETURN(const std::string png, media::EncodePng(image));
  const std::string rel = absl::StrCat(kRenderedDir, "/", stamp.name, ".png");
  const fs::path path = fs::path(out_dir) / rel;
  XM_RETURN_IF_ERROR(MakeDirectories(path.parent_path().string()));
  XM_RETURN_IF_ERROR(WriteFileAtomically(path.string(), png));
  return rel;
}

}  // namespace

std::vector<std::string> StampManifestLines(const corpus::Stamp& stamp,
                                            const std::string& image_path) {
  std::vector<std::string> lines;
  if (!image_path.empty()) {
    lines.push_back(DumpJson(FileLine(image_path, "image", stamp, {{"kind", "image"}})));
  }
  for (const corpus::Description& d : stamp.descriptions) {
    lines.push_back(DumpJson(
        Json{{"text", d.text},
             {"modality", "text"},
             {"group", stamp.name},
             {"metadata", {{"stamp", stamp.name}, {"lang", d.lang}, {"kind", "description"}}}}));
  }
  if (!stamp.sound_path.empty()) {
    lines.push_back(DumpJson(FileLine(stamp.sound_path, "audio", stamp, {{"kind", "sound"}})));
  }
  for (const corpus::SpokenDescription& s : stamp.localized_sounds) {
    lines.push_back(
        DumpJson(FileLine(s.path, "audio", stamp, {{"lang", s.lang}, {"kind", "sound"}})));
  }
  for (const corpus::SpokenDescription& s : stamp.spoken) {
    lines.push_back(
        DumpJson(FileLine(s.path, "audio", stamp, {{"lang", s.lang}, {"kind", "speech"}})));
  }
  return lines;
}

absl::StatusOr<StampsManifestSummary> WriteStampsManifest(const StampsManifestOptions& options) {
  XM_RETURN_IF_ERROR(ValidateOptions(options));
  std::error_code ec;
  const fs::path root = fs::absolute(options.corpus_dir, ec).lexically_normal();
  XM_ASSIGN_OR_RETURN(corpus::StampCorpus corpus,
                      corpus::ReadStampCorpus(ec ? options.corpus_dir : root.string()));
  if (options.limit > 0 && static_cast<size_t>(options.limit) < corpus.stamps.size()) {
    corpus.stamps.resize(options.limit);
  }
  XM_RETURN_IF_ERROR(MakeDirectories(options.out_dir));

  // Render the SVGs in parallel; each stamp's image path (or render error) lands in its slot.
  const size_t n = corpus.stamps.size();
  std::vector<absl::StatusOr<std::string>> image_paths(n, std::string());
  {
    ThreadPool pool(ResolveThreadCount(options.threads));
    for (size_t i = 0; i < n; ++i) {
      const corpus::Stamp& stamp = corpus.stamps[i];
      if (!stamp.image_is_svg) {
        image_paths[i] = stamp.image_path;
        continue;
      }
      pool.Submit([&, i] {
        image_paths[i] = RenderToPng(corpus.stamps[i], options.out_dir, options.svg_side);
      });
    }
  }

  StampsManifestSummary summary;
  summary.manifest_path = (fs::path(options.out_dir) / kManifestName).string();
  summary.stamps = static_cast<int64_t>(n);
  std::string manifest;
  for (size_t i = 0; i < n; ++i) {
    const corpus::Stamp& stamp = corpus.stamps[i];
    std::string image_path;
    if (image_paths[i].ok()) {
      image_path = *image_paths[i];
      ++summary.images;
      summary.rendered += stamp.image_is_svg;
    } else {
      summary.failures.push_back(
          absl::StrCat(stamp.image_path, ": ", image_paths[i].status().message()));
    }
    for (const std::string& line : StampManifestLines(stamp, image_path)) {
      absl::StrAppend(&manifest, line, "\n");
    }
    summary.texts += static_cast<int64_t>(stamp.descriptions.size());
    summary.sounds +=
        !stamp.sound_path.empty() + static_cast<int64_t>(stamp.localized_sounds.size());
    summary.speech += static_cast<int64_t>(stamp.spoken.size());
  }
  XM_RETURN_IF_ERROR(WriteFileAtomically(summary.manifest_path, manifest));
  return summary;
}

}  // namespace xmodal::tools
