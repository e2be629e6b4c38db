// What a Searcher accepts from one request: k's default and maximum (defined here and nowhere
// else: server/ maps the API's k = 0 to kDefaultK, and the engine checks the range, query_plan.h)
// and the caps on query media. Plain data.
#ifndef XMODAL_CORE_ENGINE_SEARCH_LIMITS_H_
#define XMODAL_CORE_ENGINE_SEARCH_LIMITS_H_

#include <cstdint>

#include "core/media/audio.h"
#include "core/media/image.h"

namespace xmodal::engine {

// The number of hits when a request does not say.
inline constexpr int kDefaultK = 10;
// SearchLimits::max_k unless configured.
inline constexpr int kDefaultMaxK = 1000;

struct SearchLimits {
  int max_k = kDefaultMaxK;  // k may be 1..max_k
  // Caps on query media: one request's worth, tighter than the indexer's defaults so a small
  // compressed upload cannot make the server decode gigabytes.
  media::ImageLimits image = {.max_bytes = 32 << 20, .max_pixels = 40'000'000};
  media::AudioLimits audio = {
      .max_bytes = 32 << 20, .max_seconds = 300.0, .max_channels = 8, .max_sample_rate = 192'000};
  int64_t max_item_bytes = 256 << 20;  // GetItem with bytes
};

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_SEARCH_LIMITS_H_
