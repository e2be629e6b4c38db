// xmodal-stamps-manifest as a library: writes a JSONL manifest for xmodal-index (format in
// docs/indexer.md) that covers the whole stamp corpus in all three modalities, every item of
// a stamp sharing the group "<stamp name>". SVG stamps are rendered to PNG files first, since
// the indexer decodes raster images only.
#ifndef XMODAL_TRAINER_TOOLS_STAMPS_MANIFEST_H_
#define XMODAL_TRAINER_TOOLS_STAMPS_MANIFEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trainer/corpus/stamp_corpus.h"

namespace xmodal::tools {

struct StampsManifestOptions {
  std::string corpus_dir = corpus::kDefaultStampRoot;
  std::string out_dir;  // required; receives stamps.jsonl and rendered/
  int limit = 0;        // > 0: only the first `limit` stamps (by name)
  int svg_side = 256;   // longer side of rendered SVGs, in pixels
  int threads = 0;      // SVG rendering threads; 0: the hardware threads
};

struct StampsManifestSummary {
  std::string manifest_path;  // out_dir/stamps.jsonl
  int64_t stamps = 0;
  int64_t images = 0;    // image lines (PNG stamps + rendered SVGs)
  int64_t rendered = 0;  // SVGs rendered to out_dir/rendered/<name>.png
  int64_t texts = 0;     // description lines, one per language
  int64_t sounds = 0;    // sound effect lines (NAME.ogg and the localised NAME_LANG.ogg)
  int64_t speech = 0;    // spoken description lines
  std::vector<std::string> failures;  // "path: reason" of SVGs that did not render
};

// The manifest lines of one stamp, in this order: its image (path `image_path`; metadata
// {"stamp", "kind": "image"}), its descriptions (inline text; {"stamp", "lang", "kind":
// "description"}), its sound effect ({"stamp", "kind": "sound"}), its localised sounds
// ({"stamp", "lang", "kind": "sound"}) and its spoken descriptions ({"stamp", "lang",
// "kind": "speech"}). Every line has "group": stamp.name and an explicit "modality". An
// empty `image_path` leaves the image line out. Pure; thread-safe.
std::vector<std::string> StampManifestLines(const corpus::Stamp& stamp,
                                            const std::string& image_path);

// Reads the corpus (its root made absolute, so the manifest's paths are absolute), renders
// the SVG stamps to out_dir/rendered/<name>.png (written atomically; referenced by a path
// relative to the manifest) and writes out_dir/stamps.jsonl atomically, stamps in name order.
// An SVG that does not render is listed in `failures` and its stamp keeps its other lines.
// INVALID_ARGUMENT for bad options; errors of ReadStampCorpus and of writing files.
absl::StatusOr<StampsManifestSummary> WriteStampsManifest(const StampsManifestOptions& options);

}  // namespace xmodal::tools

#endif  // XMODAL_TRAINER_TOOLS_STAMPS_MANIFEST_H_
