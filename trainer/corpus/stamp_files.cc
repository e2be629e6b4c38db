#include "trainer/corpus/stamp_files.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "trainer/corpus/description_file.h"

namespace xmodal::corpus {
namespace {

constexpr absl::string_view kDesc = "_desc";

// Splits "name.ext" into the stem and the lower-cased extension ("" when there is none).
void SplitExtension(absl::string_view file, std::string& stem, std::string& ext) {
  const size_t dot = file.rfind('.');
  if (dot == absl::string_view::npos || dot == 0) {
    stem = std::string(file);
    ext.clear();
    return;
  }
  stem = std::string(file.substr(0, dot));
  ext = absl::AsciiStrToLower(file.substr(dot + 1));
}

}  // namespace

AudioRole ClassifyAudioStem(absl::string_view stem, const std::set<std::string>& stamps) {
  if (stamps.count(std::string(stem)) > 0) return {AudioRole::kSound, std::string(stem), ""};
  // Spoken descriptions: STAMP_desc or STAMP_desc_LANG, the longest STAMP first.
  for (size_t pos = stem.rfind(kDesc); pos != absl::string_view::npos && pos > 0;
       pos = stem.rfind(kDesc, pos - 1)) {
    const std::string stamp(stem.substr(0, pos));
    if (stamps.count(stamp) == 0) continue;
    const absl::string_view rest = stem.substr(pos + kDesc.size());
    if (rest.empty()) return {AudioRole::kSpoken, stamp, "en"};
    if (rest[0] == '_' && LooksLikeLanguageTag(rest.substr(1))) {
      return {AudioRole::kSpoken, stamp, std::string(rest.substr(1))};
    }
  }
  // Localised sound effects: STAMP_LANG, the longest STAMP first.
  for (size_t pos = stem.rfind('_'); pos != absl::string_view::npos && pos > 0;
       pos = stem.rfind('_', pos - 1)) {
    const std::string stamp(stem.substr(0, pos));
    const absl::string_view lang = stem.substr(pos + 1);
    if (stamps.count(stamp) > 0 && LooksLikeLanguageTag(lang)) {
      return {AudioRole::kLocalizedSound, stamp, std::string(lang)};
    }
  }
  return {};
}

FolderFiles SortFolderFiles(const std::vector<std::string>& file_names) {
  FolderFiles out;
  std::string stem, ext;
  for (const std::string& name : file_names) {
    SplitExtension(name, stem, ext);
    if (ext == "png" || ext == "svg" || ext == "txt") {
      FolderFiles::Stem& s = out.stems[stem];
      if (ext == "png") {
        s.png = true;
        s.png_name = name;
      } else if (ext == "svg") {
        s.svg = true;
        s.svg_name = name;
      } else {
        s.txt = true;
        s.txt_name = name;
      }
    } else if (ext == "ogg" || ext == "wav") {
      // A doubled extension ("x_desc_da.ogg.ogg", found in the corpus) names stem "x_desc_da".
      std::string inner_stem, inner_ext;
      SplitExtension(stem, inner_stem, inner_ext);
      if (inner_ext == "ogg" || inner_ext == "wav") stem = inner_stem;
      auto [it, inserted] = out.audio_files.emplace(stem, name);
      if (!inserted && ext == "ogg" && absl::EndsWithIgnoreCase(it->second, ".wav")) {
        it->second = name;  // .ogg over .wav; otherwise the first name in the given order
      }
    }
  }
  return out;
}

}  // namespace xmodal::corpus
