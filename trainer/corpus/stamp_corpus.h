// Reads the Tux Paint stamp corpus (Debian package tuxpaint-stamps-default) into stamps with
// their image, descriptions in many languages, sound effect and spoken descriptions.
// The training corpus of the default model; see docs/default-model.md.
#ifndef XMODAL_TRAINER_CORPUS_STAMP_CORPUS_H_
#define XMODAL_TRAINER_CORPUS_STAMP_CORPUS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/media/image.h"

namespace xmodal::corpus {

inline constexpr char kDefaultStampRoot[] = "/usr/share/tuxpaint/stamps";

struct Description {
  std::string lang;  // "en" for the file's first line; otherwise the LANG of "LANG.utf8=..."
  std::string text;  // trimmed, non-empty
};

struct SpokenDescription {
  std::string lang;  // "en" for NAME_desc.ogg, LANG for NAME_desc_LANG.ogg / .wav
  std::string path;
};

struct Stamp {
  std::string name;  // path relative to the root without extension, "animals/mammals/cats/lion-2"
  std::string image_path;  // NAME.png when present, else NAME.svg
  bool image_is_svg = false;
  std::vector<Description> descriptions;  // English first
  std::string sound_path;                 // NAME.ogg / NAME.wav sound effect, or empty
  std::vector<SpokenDescription> spoken;
  int group = -1;  // stamps whose English descriptions are equal (case, spaces and final
                   // punctuation ignored) share a group: "A lion." == "a lion"
  // Added: NAME_LANG.ogg / .wav, the sound effect localised for LANG (in the corpus: letters
  // and digits spoken in LANG, e.g. symbols/math/0_ko.ogg). Sorted by lang. Not used by
  // xmodal-eval; xmodal-stamps-manifest indexes them as kind "sound" with their lang.
  std::vector<SpokenDescription> localized_sounds;
};

struct StampCorpus {
  std::string root;
  std::vector<Stamp> stamps;  // sorted by name; only stamps with an image and an English text
  int num_groups = 0;
};

// Walks `root`. NOT_FOUND when it does not exist (with a hint to install
// tuxpaint-stamps-default); INVALID_ARGUMENT when it holds no stamps. Unreadable single files
// are skipped with a warning. Deterministic.
// File naming (details in stamp_files.h and description_file.h): a stamp is NAME.png or
// NAME.svg with NAME.txt; spoken descriptions are NAME_desc.ogg ("en") and
// NAME_desc_LANG.ogg / .wav, sorted "en" first then by lang; hidden files and .dat files are
// ignored. Description texts are whitespace-normalised, valid UTF-8 and non-empty. Paths in
// the result are `root` joined with the relative path. Thread-compatible (no shared state).
absl::StatusOr<StampCorpus> ReadStampCorpus(const std::string& root = kDefaultStampRoot);

// The stamp's image as RGB with transparency composited over white; SVGs are rendered with
// librsvg so the longer side is `svg_side` pixels. Errors from decoding / rendering.
absl::StatusOr<media::Image> LoadStampImage(const Stamp& stamp, int svg_side = 256);

}  // namespace xmodal::corpus

#endif  // XMODAL_TRAINER_CORPUS_STAMP_CORPUS_H_
