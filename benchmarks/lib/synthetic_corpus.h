// A generated corpus for runs without the stamp corpus (and for tests): images (PNG and
// JPEG), Ogg/Vorbis clips and captions in one folder per item kind, plus a query directory
// in the layout `xmodal-bench load --queries` reads.
#ifndef XMODAL_BENCHMARKS_LIB_SYNTHETIC_CORPUS_H_
#define XMODAL_BENCHMARKS_LIB_SYNTHETIC_CORPUS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace xmodal::bench {

struct SyntheticCorpusOptions {
  int images = 64;  // half PNG, half JPEG
  int image_side = 256;
  int audio_clips = 32;  // Ogg/Vorbis at 22.05 kHz (the indexer resamples)
  double audio_seconds = 3.0;
  int texts = 64;        // one caption per .txt file
  int query_texts = 32;  // lines of queries/texts.txt
  int query_images = 8;
  int query_audio = 4;
  uint64_t seed = 1;
};

// Writes <corpus_dir>/{images,audio,text}/... and <queries_dir>/{texts.txt, *.png, *.jpg,
// *.ogg} (directories created). Deterministic for the options. INVALID_ARGUMENT for negative
// counts, an image side outside 8..4096 or a clip length outside (0, 600] s; file errors as
// WriteFileAtomically; encoder errors as media::Encode*.
absl::Status WriteSyntheticCorpus(const std::string& corpus_dir, const std::string& queries_dir,
                                  const SyntheticCorpusOptions& options);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_SYNTHETIC_CORPUS_H_
