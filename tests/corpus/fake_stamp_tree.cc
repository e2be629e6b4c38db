#include "tests/corpus/fake_stamp_tree.h"

#include <cmath>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"

namespace xmodal::testing {

media::Image SolidImage(int width, int height, uint8_t r, uint8_t g, uint8_t b) {
  media::Image image{width, height, {}};
  image.rgb.reserve(static_cast<size_t>(width) * height * 3);
  for (int i = 0; i < width * height; ++i) image.rgb.insert(image.rgb.end(), {r, g, b});
  return image;
}

media::Audio Tone(double hz, double seconds, int sample_rate) {
  media::Audio audio;
  audio.sample_rate = sample_rate;
  const int n = static_cast<int>(seconds * sample_rate);
  audio.samples.resize(n);
  for (int i = 0; i < n; ++i) {
    audio.samples[i] = 0.5f * static_cast<float>(std::sin(2 * M_PI * hz * i / sample_rate));
  }
  return audio;
}

absl::Status WriteFileAt(const std::string& root, absl::string_view rel, absl::string_view bytes) {
  const std::filesystem::path path = std::filesystem::path(root) / std::string(rel);
  XM_RETURN_IF_ERROR(MakeDirectories(path.parent_path().string()));
  return WriteFileAtomically(path.string(), bytes);
}

absl::Status WritePngAt(const std::string& root, absl::string_view rel, const media::Image& image) {
  XM_ASSIGN_OR_RETURN(const std::string png, media::EncodePng(image));
  return WriteFileAt(root, rel, png);
}

absl::Status WriteAudioAt(const std::string& root, absl::string_view rel,
                          const media::Audio& audio) {
  const media::AudioContainer container =
      absl::EndsWith(rel, ".wav") ? media::AudioContainer::kWav : media::AudioContainer::kOgg;
  XM_ASSIGN_OR_RETURN(const std::string bytes, media::EncodeAudio(audio, container));
  return WriteFileAt(root, rel, bytes);
}

std::string RedRectSvg() {
  return R"(<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">)"
         R"(<rect x="50" y="25" width="100" height="50" fill="#ff0000"/></svg>)";
}

absl::Status WriteExampleStampTree(const std::string& root) {
  const media::Audio tone = Tone(300, 3.0);
  const media::Audio speech = Tone(600, 1.0);
  XM_RETURN_IF_ERROR(WritePngAt(root, "animals/lion.png", SolidImage(40, 20, 255, 0, 0)));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "animals/lion.txt",
                                 "A lion.\nko.utf8=사자\nsr@latin.utf8=Lav.\nfr.utf8=Un lion.\n"
                                 "pt_BR.utf8=Um leão.\nde.utf8=   \n"));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "animals/lion.ogg", tone));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "animals/lion_desc.ogg", speech));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "animals/lion_desc_fr.ogg", speech));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "animals/lion.dat", "nomirror\n"));
  XM_RETURN_IF_ERROR(WritePngAt(root, "animals/lion-2.png", SolidImage(20, 20, 255, 128, 0)));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "animals/lion-2.txt", "a lion\n"));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "animals/lion-2_desc_pt_BR.wav", speech));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "animals/lion-2_desc_da.ogg.ogg", speech));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "animals/cat.svg", RedRectSvg()));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "animals/cat.txt", "A cat.\nko.utf8=고양이\n"));
  XM_RETURN_IF_ERROR(WritePngAt(root, "animals/both.png", SolidImage(10, 10, 0, 0, 255)));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "animals/both.svg", RedRectSvg()));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "animals/both.txt", "Both.\n"));
  XM_RETURN_IF_ERROR(WritePngAt(root, "symbols/0.png", SolidImage(8, 8, 0, 0, 0)));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "symbols/0.txt", "Zero.\n"));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "symbols/0.ogg", speech));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "symbols/0_ko.ogg", speech));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "symbols/0_en_GB.ogg", speech));
  XM_RETURN_IF_ERROR(WritePngAt(root, "symbols/empty.png", SolidImage(8, 8, 9, 9, 9)));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "symbols/empty.txt", "\nfr.utf8=Vide\n"));
  XM_RETURN_IF_ERROR(WriteFileAt(root, "symbols/gift.txt", "A gift.\n"));
  XM_RETURN_IF_ERROR(WriteAudioAt(root, "symbols/mosquito.ogg", tone));
  XM_RETURN_IF_ERROR(WritePngAt(root, "symbols/measure_mirror.png", SolidImage(8, 8, 1, 2, 3)));
  XM_RETURN_IF_ERROR(WritePngAt(root, ".hidden/ghost.png", SolidImage(8, 8, 1, 2, 3)));
  return WriteFileAt(root, ".hidden/ghost.txt", "A ghost.\n");
}

}  // namespace xmodal::testing
