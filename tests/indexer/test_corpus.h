// Generated corpora for the indexer's pipeline and command-line tests: solid-colour PNGs,
// tone WAV/Ogg clips and .txt files that the toy-rgb model (testing/toy_model.h) maps
// onto its red/green/blue axes.
#ifndef XMODAL_TESTS_INDEXER_TEST_CORPUS_H_
#define XMODAL_TESTS_INDEXER_TEST_CORPUS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "core/media/audio.h"

namespace xmodal::indexer::testing {

// PNG bytes of a `size` x `size` image of one colour.
std::string SolidPng(uint8_t r, uint8_t g, uint8_t b, int size = 24);

// Encoded mono sine tone at 16 kHz.
std::string Tone(double hz, double seconds, media::AudioContainer container);

// Writes into `dir`:
//   red.png red.txt ("  red   car\n") red.wav (300 Hz, 2.5 s: 3 segments)
//   green.png green.txt ("green field")
//   blue.png blue.txt ("blue sky") blue.ogg (5000 Hz, 2 s: 2 segments)
//   notes.md (ignored), .hidden.png (skipped)
// 3 images, 3 texts, 2 audio clips, 5 audio vectors.
void WriteColourCorpus(const std::string& dir);

// Writes broken.png (a PNG cut in half) and broken.wav (a WAV cut in half) into `dir`.
void WriteBrokenFiles(const std::string& dir);

}  // namespace xmodal::indexer::testing

#endif  // XMODAL_TESTS_INDEXER_TEST_CORPUS_H_
