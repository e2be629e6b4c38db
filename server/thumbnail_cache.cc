#include "server/thumbnail_cache.h"

#include <glog/logging.h>

#include <condition_variable>
#include <exception>
#include <optional>

#include "absl/status/status.h"

namespace xmodal::server {

// Shared by the maker and its waiters (which may hold it after it leaves flights_). Guarded by
// ThumbnailCache::mu_.
struct ThumbnailCache::Flight {
  std::optional<absl::StatusOr<std::shared_ptr<const Thumbnail>>> result;  // set when done
  std::condition_variable done;
};

namespace {

int64_t NonNegative(int64_t max_bytes) {
  CHECK_GE(max_bytes, 0) << "a ThumbnailCache cannot hold a negative number of bytes";
  return max_bytes;
}

}  // namespace

ThumbnailCache::ThumbnailCache(int64_t max_bytes) : max_bytes_(NonNegative(max_bytes)) {}

int64_t ThumbnailCache::Cost(const Thumbnail& thumbnail) {
  return static_cast<int64_t>(thumbnail.bytes.size() + thumbnail.content_type.size());
}

absl::StatusOr<std::shared_ptr<const Thumbnail>> ThumbnailCache::GetOrMake(
    absl::string_view content_sha256, int size, absl::FunctionRef<absl::StatusOr<Thumbnail>()> make,
    bool* hit) {
  Key key(std::string(content_sha256), size);
  std::shared_ptr<Flight> flight;
  {
    std::unique_lock lock(mu_);
    if (auto cached = index_.find(key); cached != index_.end()) {
      lru_.splice(lru_.begin(), lru_, cached->second);
      if (hit != nullptr) *hit = true;
      return cached->second->thumbnail;
    }
    if (auto running = flights_.find(key); running != flights_.end()) {
      std::shared_ptr<Flight> other = running->second;
      ++waiting_;
      other->done.wait(lock, [&] { return other->result.has_value(); });
      --waiting_;
      if (hit != nullptr) *hit = true;
      return *other->result;
    }
    flight = std::make_shared<Flight>();
    flights_.emplace(key, flight);
  }
  if (hit != nullptr) *hit = false;

  absl::StatusOr<std::shared_ptr<const Thumbnail>> result;
  try {
    absl::StatusOr<Thumbnail> made = make();
    if (made.ok()) {
      result = std::make_shared<const Thumbnail>(std::move(*made));
    } else {
      result = made.status();
    }
  } catch (...) {
    std::lock_guard lock(mu_);
    FinishLocked(key, *flight,
                 absl::InternalError("making the thumbnail failed with an exception"));
    throw;
  }
  std::lock_guard lock(mu_);
  FinishLocked(key, *flight, result);
  return result;
}

void ThumbnailCache::FinishLocked(const Key& key, Flight& flight,
                                  const absl::StatusOr<std::shared_ptr<const Thumbnail>>& result) {
  if (result.ok()) {
    const int64_t cost = Cost(**result);
    if (cost <= max_bytes_) {
      lru_.push_front(Entry{key, *result, cost});
      index_.emplace(key, lru_.begin());
      bytes_ += cost;
      while (bytes_ > max_bytes_) {
        const Entry& oldest = lru_.back();
        bytes_ -= oldest.cost;
        index_.erase(oldest.key);
        lru_.pop_back();
      }
    }
  }
  flight.result = result;
  flight.done.notify_all();
  flights_.erase(key);
}

int64_t ThumbnailCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

int64_t ThumbnailCache::entries() const {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(lru_.size());
}

int64_t ThumbnailCache::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace xmodal::server
