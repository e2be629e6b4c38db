// How the files of one stamp folder map to stamps: images, description files, sound effects,
// spoken descriptions and localised sounds, told apart by name alone. Internal to the corpus
// module; pure functions, thread-safe.
#ifndef XMODAL_TRAINER_CORPUS_STAMP_FILES_H_
#define XMODAL_TRAINER_CORPUS_STAMP_FILES_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace xmodal::corpus {

// What an audio file's stem (its name without .ogg / .wav) is, relative to the stamp stems
// of its folder.
struct AudioRole {
  enum Kind { kNone, kSound, kSpoken, kLocalizedSound };
  Kind kind = kNone;
  std::string stamp;  // the stamp's stem
  std::string lang;   // kSpoken: "en" for STAMP_desc, else LANG; kLocalizedSound: LANG
};

// STAMP -> kSound; STAMP_desc -> kSpoken "en"; STAMP_desc_LANG -> kSpoken LANG;
// STAMP_LANG -> kLocalizedSound LANG (LANG per LooksLikeLanguageTag). When several stamps
// match, the longest stamp stem wins. kNone for anything else (e.g. a sound without image).
AudioRole ClassifyAudioStem(absl::string_view stem, const std::set<std::string>& stamps);

// The files of one folder, by stem. Extensions are matched case-insensitively; .dat files
// and anything else are ignored. A doubled audio extension ("x.ogg.ogg") counts once. When
// two audio files share a stem, .ogg wins over .wav, else the first in `file_names` order.
struct FolderFiles {
  struct Stem {
    bool png = false, svg = false, txt = false;
    std::string png_name, svg_name, txt_name;  // file names as found
  };
  std::map<std::string, Stem> stems;               // stems with an image or a .txt
  std::map<std::string, std::string> audio_files;  // audio stem -> file name (.ogg over .wav)
};
FolderFiles SortFolderFiles(const std::vector<std::string>& file_names);

}  // namespace xmodal::corpus

#endif  // XMODAL_TRAINER_CORPUS_STAMP_FILES_H_
