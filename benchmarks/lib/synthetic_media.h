// Deterministic synthetic media for benchmarks: photo-like images (smooth gradients, shapes
// and grain, so that JPEG and PNG sizes are realistic rather than trivially compressible),
// tonal audio clips, and short captions. Used by the micro-benchmarks and the generated corpus.
#ifndef XMODAL_BENCHMARKS_LIB_SYNTHETIC_MEDIA_H_
#define XMODAL_BENCHMARKS_LIB_SYNTHETIC_MEDIA_H_

#include <cstdint>
#include <string>

#include "core/media/audio.h"
#include "core/media/image.h"

namespace xmodal::bench {

// A width x height RGB image dominated by `palette_index`'s colour (red, green, blue, yellow,
// ... cycling through 8), with gradients, a few discs and per-pixel grain from `seed`.
// Preconditions: width, height >= 1.
media::Image MakePhotoImage(int width, int height, int palette_index, uint64_t seed);

// A mono clip of `seconds` at `sample_rate`: a tone at `hz` with two harmonics, a slow
// amplitude envelope and low noise from `seed`. Preconditions: seconds > 0, sample_rate > 0.
media::Audio MakeToneClip(double seconds, int sample_rate, double hz, uint64_t seed);

// "red car by the river" style captions (the colour word first); `palette_index` picks the colour
// word (the same 8 as MakePhotoImage), `seed` the rest.
std::string MakeCaption(int palette_index, uint64_t seed);

// The colour name of a palette index ("red", "green", ...).
std::string PaletteName(int palette_index);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_SYNTHETIC_MEDIA_H_
