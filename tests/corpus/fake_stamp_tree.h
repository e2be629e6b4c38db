// Test-only: writes small stamp trees in the layout of the Tux Paint corpus, with every image
// and sound generated in code (PNG via media::EncodePng, Ogg / WAV via media::EncodeAudio).
#ifndef XMODAL_TESTS_CORPUS_FAKE_STAMP_TREE_H_
#define XMODAL_TESTS_CORPUS_FAKE_STAMP_TREE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/media/audio.h"
#include "core/media/image.h"

namespace xmodal::testing {

media::Image SolidImage(int width, int height, uint8_t r, uint8_t g, uint8_t b);
// A sine tone at half amplitude.
media::Audio Tone(double hz, double seconds, int sample_rate = 22050);

// Writes `bytes` to root/rel, creating the parent folders.
absl::Status WriteFileAt(const std::string& root, absl::string_view rel, absl::string_view bytes);
absl::Status WritePngAt(const std::string& root, absl::string_view rel, const media::Image& image);
// The container follows the extension of `rel` (.ogg or .wav).
absl::Status WriteAudioAt(const std::string& root, absl::string_view rel,
                          const media::Audio& audio);

// A 200x100 SVG: white-transparent background with a red rectangle over its middle
// (x 50..150, y 25..75).
std::string RedRectSvg();

// Writes this tree under `root`:
//   animals/lion.png (40x20 red) lion.txt ("A lion." + ko, sr@latin, fr, pt_BR, an empty de)
//     lion.ogg (3 s, 300 Hz) lion_desc.ogg lion_desc_fr.ogg lion.dat
//   animals/lion-2.png (20x20 orange) lion-2.txt ("a lion") lion-2_desc_pt_BR.wav
//     lion-2_desc_da.ogg.ogg (a doubled extension)
//   animals/cat.svg (RedRectSvg) cat.txt ("A cat." + "ko.utf8=고양이")
//   animals/both.png (10x10 blue) both.svg both.txt ("Both.")
//   symbols/0.png 0.txt ("Zero.") 0.ogg 0_ko.ogg 0_en_GB.ogg
//   symbols/empty.png empty.txt (first line empty: skipped)
//   orphans: symbols/gift.txt, symbols/mosquito.ogg, symbols/measure_mirror.png
//   .hidden/ghost.png .hidden/ghost.txt (hidden: skipped)
// So: 5 stamps (animals/both, animals/cat, animals/lion, animals/lion-2, symbols/0), 4 groups.
absl::Status WriteExampleStampTree(const std::string& root);

}  // namespace xmodal::testing

#endif  // XMODAL_TESTS_CORPUS_FAKE_STAMP_TREE_H_
