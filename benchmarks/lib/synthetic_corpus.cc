#include "benchmarks/lib/synthetic_corpus.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmarks/lib/synthetic_media.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/media/audio.h"
#include "core/media/image.h"

namespace xmodal::bench {
namespace {

constexpr int kAudioRate = 22050;

absl::StatusOr<std::string> EncodedImage(int i, int side, uint64_t seed, bool jpeg) {
  const media::Image image = MakePhotoImage(side, side, i, seed);
  return jpeg ? media::EncodeJpeg(image, 90) : media::EncodePng(image);
}

absl::StatusOr<std::string> EncodedClip(int i, double seconds, uint64_t seed) {
  const double hz = 200.0 * std::pow(1.25, i % 16);  // 200 Hz .. ~5.7 kHz
  return media::EncodeAudio(MakeToneClip(seconds, kAudioRate, hz, seed),
                            media::AudioContainer::kOgg);
}

}  // namespace

absl::Status WriteSyntheticCorpus(const std::string& corpus_dir, const std::string& queries_dir,
                                  const SyntheticCorpusOptions& o) {
  if (o.images < 0 || o.audio_clips < 0 || o.texts < 0 || o.query_texts < 0 || o.query_images < 0 ||
      o.query_audio < 0) {
    return absl::InvalidArgumentError("synthetic corpus counts must not be negative");
  }
  if (o.image_side < 8 || o.image_side > 4096) {
    return absl::InvalidArgumentError(
        absl::StrCat("synthetic image side ", o.image_side, " is outside 8..4096"));
  }
  if (!(o.audio_seconds > 0 && o.audio_seconds <= 600)) {
    return absl::InvalidArgumentError(
        absl::StrCat("synthetic clip length ", o.audio_seconds, " s is outside (0, 600]"));
  }
  for (const char* sub : {"/images", "/audio", "/text"}) {
    XM_RETURN_IF_ERROR(MakeDirectories(corpus_dir + sub));
  }
  XM_RETURN_IF_ERROR(MakeDirectories(queries_dir));
  for (int i = 0; i < o.images; ++i) {
    const bool jpeg = i % 2 == 1;
    XM_ASSIGN_OR_RETURN(std::string bytes, EncodedImage(i, o.image_side, o.seed * 7919 + i, jpeg));
    XM_RETURN_IF_ERROR(WriteFileAtomically(
        absl::StrFormat("%s/images/img-%05d.%s", corpus_dir, i, jpeg ? "jpg" : "png"), bytes));
  }
  for (int i = 0; i < o.audio_clips; ++i) {
    XM_ASSIGN_OR_RETURN(std::string bytes, EncodedClip(i, o.audio_seconds, o.seed * 104729 + i));
    XM_RETURN_IF_ERROR(
        WriteFileAtomically(absl::StrFormat("%s/audio/clip-%05d.ogg", corpus_dir, i), bytes));
  }
  for (int i = 0; i < o.texts; ++i) {
    XM_RETURN_IF_ERROR(WriteFileAtomically(absl::StrFormat("%s/text/text-%05d.txt", corpus_dir, i),
                                           MakeCaption(i, o.seed * 31 + i) + "\n"));
  }
  std::string texts;
  for (int i = 0; i < o.query_texts; ++i) {
    absl::StrAppend(&texts, MakeCaption(i, o.seed * 977 + 100000 + i), "\n");
  }
  if (o.query_texts > 0) {
    XM_RETURN_IF_ERROR(WriteFileAtomically(queries_dir + "/texts.txt", texts));
  }
  for (int i = 0; i < o.query_images; ++i) {
    const bool jpeg = i % 2 == 1;
    XM_ASSIGN_OR_RETURN(std::string bytes,
                        EncodedImage(i, o.image_side, o.seed * 7919 + 500000 + i, jpeg));
    XM_RETURN_IF_ERROR(WriteFileAtomically(
        absl::StrFormat("%s/query-%03d.%s", queries_dir, i, jpeg ? "jpg" : "png"), bytes));
  }
  for (int i = 0; i < o.query_audio; ++i) {
    XM_ASSIGN_OR_RETURN(std::string bytes,
                        EncodedClip(i + 3, o.audio_seconds, o.seed * 104729 + 500000 + i));
    XM_RETURN_IF_ERROR(
        WriteFileAtomically(absl::StrFormat("%s/query-%03d.ogg", queries_dir, i), bytes));
  }
  return absl::OkStatus();
}

}  // namespace xmodal::bench
