// An in-memory cache of thumbnails (thumbnail.h), keyed by the original's content SHA-256 and
// the thumbnail size, bounded by the bytes it holds, that makes each thumbnail once.
//
// Single flight: when several calls want the same missing thumbnail at once, one of them runs
// its `make` and the others wait for that result instead of decoding the same original again.
// A failed make is handed to the callers waiting for it and is not cached: the next call for the
// key tries again. Past max_bytes the least recently used thumbnails are dropped.
//
// Thread-safe. `make` runs without the cache's lock held, so different keys are made in
// parallel; callers waiting for a key wait as long as its make takes (no deadline).
#ifndef XMODAL_SERVER_THUMBNAIL_CACHE_H_
#define XMODAL_SERVER_THUMBNAIL_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/thumbnail.h"

namespace xmodal::server {

class ThumbnailCache {
 public:
  // Holds thumbnails of at most `max_bytes` in total (see bytes()); 0 keeps none, so that every
  // call makes its thumbnail (concurrent calls for one key still share one make). CHECK-fails
  // when max_bytes < 0 (a programmer error).
  explicit ThumbnailCache(int64_t max_bytes);

  ThumbnailCache(const ThumbnailCache&) = delete;
  ThumbnailCache& operator=(const ThumbnailCache&) = delete;

  // Returns the thumbnail of `size` for the original whose SHA-256 is `content_sha256` (any
  // string identifying the content works; it is only compared), calling `make` when it is
  // neither cached nor being made by another call; in that last case it waits for that call's
  // result. A made thumbnail is kept, as the most recently used, unless it alone is larger than
  // max_bytes (then it is returned and dropped); a hit makes the entry the most recently used.
  //
  // `*hit` (when not null) is set on every return: true when this call did not run `make` (the
  // thumbnail was cached, or another call made it or failed to), false when it did. Servers
  // count hits and misses with it.
  //
  // Errors: exactly `make`'s, given to this call and to every call that waited for it. If `make`
  // throws, the exception propagates from this call and the waiting calls get INTERNAL.
  absl::StatusOr<std::shared_ptr<const Thumbnail>> GetOrMake(
      absl::string_view content_sha256, int size,
      absl::FunctionRef<absl::StatusOr<Thumbnail>()> make, bool* hit = nullptr);

  // What a thumbnail counts against max_bytes: its bytes and its content type.
  static int64_t Cost(const Thumbnail& thumbnail);

  int64_t max_bytes() const { return max_bytes_; }
  int64_t bytes() const;    // the Cost of the thumbnails held now
  int64_t entries() const;  // thumbnails held now (not counting ones being made)
  int64_t waiting() const;  // calls waiting now for another call's make

 private:
  using Key = std::pair<std::string, int>;  // (content_sha256, size)
  struct Flight;                            // a make in progress and its waiters
  struct Entry {
    Key key;
    std::shared_ptr<const Thumbnail> thumbnail;
    int64_t cost;
  };
  using Lru = std::list<Entry>;  // most recently used first

  // Publishes a finished make: caches `result` if it is a thumbnail that fits, evicts past
  // max_bytes, wakes the flight's waiters and forgets the flight.
  void FinishLocked(const Key& key, Flight& flight,
                    const absl::StatusOr<std::shared_ptr<const Thumbnail>>& result)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t max_bytes_;
  mutable std::mutex mu_;
  Lru lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<Key, Lru::iterator> index_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<Key, std::shared_ptr<Flight>> flights_ ABSL_GUARDED_BY(mu_);
  int64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t waiting_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_THUMBNAIL_CACHE_H_
