// ThumbnailCache: one make per key under concurrent callers (single flight), failures handed to
// the waiters and not cached, least-recently-used eviction within the byte bound, an oversize
// thumbnail returned but not kept; and MakeThumbnail: a JPEG that fits the size and keeps the
// aspect ratio, errors for bad input.
#include "server/thumbnail_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/media/image.h"
#include "server/thumbnail.h"
#include "testing/status_matchers.h"

namespace xmodal::server {
namespace {

using ::testing::HasSubstr;
using ::xmodal::testing::StatusIs;

// Spins (yielding) until `done` holds; the tests wait for states, never for durations.
template <typename Pred>
void AwaitState(Pred done) {
  while (!done()) std::this_thread::yield();
}

// A thumbnail whose Cost is `cost` (no content type).
Thumbnail OfCost(int cost, char fill = 'x') { return Thumbnail{std::string(cost, fill), ""}; }

// Looks `key` up in `cache` with a make that gives a thumbnail of `cost` and counts its calls.
// Returns whether it was a hit.
bool Touch(ThumbnailCache& cache, const std::string& key, int cost = 10, int* makes = nullptr) {
  bool hit = false;
  auto result = cache.GetOrMake(
      key, 64,
      [&]() -> absl::StatusOr<Thumbnail> {
        if (makes != nullptr) ++*makes;
        return OfCost(cost);
      },
      &hit);
  EXPECT_OK(result);
  return hit;
}

TEST(ThumbnailCacheTest, MakesOnceThenHits) {
  ThumbnailCache cache(1000);
  int makes = 0;
  EXPECT_FALSE(Touch(cache, "aa", 10, &makes));
  EXPECT_TRUE(Touch(cache, "aa", 10, &makes));
  EXPECT_EQ(makes, 1);
  EXPECT_EQ(cache.entries(), 1);
  EXPECT_EQ(cache.bytes(), 10);

  // The same content at another size is another thumbnail.
  bool hit = true;
  ASSERT_OK_AND_ASSIGN(auto other,
                       cache.GetOrMake(
                           "aa", 128,
                           [] {
                             return absl::StatusOr<Thumbnail>(Thumbnail{"jpeg", "image/jpeg"});
                           },
                           &hit));
  EXPECT_FALSE(hit);
  EXPECT_EQ(other->bytes, "jpeg");
  EXPECT_EQ(other->content_type, "image/jpeg");
  EXPECT_EQ(cache.entries(), 2);
  EXPECT_EQ(cache.bytes(), 10 + 4 + 10);  // bytes and content type count
  EXPECT_EQ(ThumbnailCache::Cost(*other), 14);

  // A null `hit` is fine.
  ASSERT_OK_AND_ASSIGN(auto again, cache.GetOrMake("aa", 128, [] {
    ADD_FAILURE() << "made a cached thumbnail again";
    return absl::StatusOr<Thumbnail>(Thumbnail{});
  }));
  EXPECT_EQ(again, other);  // the very same object
}

// Eight callers ask for one key at once; `max_bytes` 0 keeps nothing, so only the single
// flight (not the cache) can spare the other seven a make.
void ExpectOneMakeForConcurrentCallers(int64_t max_bytes) {
  ThumbnailCache cache(max_bytes);
  constexpr int kCallers = 8;
  std::atomic<int> makes{0};
  std::atomic<int> hits{0};
  std::vector<std::shared_ptr<const Thumbnail>> got(kCallers);
  std::vector<std::thread> threads;
  for (int t = 0; t < kCallers; ++t) {
    threads.emplace_back([&, t] {
      bool hit = false;
      auto result = cache.GetOrMake(
          "same", 256,
          [&]() -> absl::StatusOr<Thumbnail> {
            ++makes;
            // Finish only once every other caller waits for this make.
            AwaitState([&] { return cache.waiting() == kCallers - 1; });
            return Thumbnail{"pixels", "image/jpeg"};
          },
          &hit);
      ASSERT_OK(result);
      got[t] = *result;
      if (hit) ++hits;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(makes, 1);
  EXPECT_EQ(hits, kCallers - 1);  // all but the maker
  for (const auto& thumbnail : got) EXPECT_EQ(thumbnail, got[0]);
  EXPECT_EQ(got[0]->bytes, "pixels");
  EXPECT_EQ(cache.waiting(), 0);
}

TEST(ThumbnailCacheTest, ConcurrentCallersShareOneMake) { ExpectOneMakeForConcurrentCallers(1000); }

TEST(ThumbnailCacheTest, ConcurrentCallersShareOneMakeEvenWhenNothingIsKept) {
  ExpectOneMakeForConcurrentCallers(0);
}

TEST(ThumbnailCacheTest, DifferentKeysAreMadeInParallel) {
  // The make of "a" finishes only after the make of "b" has run: it would deadlock if makes ran
  // under the cache's lock or one at a time.
  ThumbnailCache cache(1000);
  std::atomic<bool> a_started{false};
  std::atomic<bool> b_done{false};
  std::thread a([&] {
    EXPECT_OK(cache.GetOrMake("a", 64, [&]() -> absl::StatusOr<Thumbnail> {
      a_started = true;
      AwaitState([&] { return b_done.load(); });
      return OfCost(1);
    }));
  });
  AwaitState([&] { return a_started.load(); });
  EXPECT_OK(cache.GetOrMake("b", 64, [&]() -> absl::StatusOr<Thumbnail> { return OfCost(1); }));
  b_done = true;
  a.join();
  EXPECT_EQ(cache.entries(), 2);
}

TEST(ThumbnailCacheTest, EvictsLeastRecentlyUsedPastTheByteBound) {
  ThumbnailCache cache(30);
  EXPECT_FALSE(Touch(cache, "a"));
  EXPECT_FALSE(Touch(cache, "b"));
  EXPECT_FALSE(Touch(cache, "c"));
  EXPECT_EQ(cache.bytes(), 30);
  EXPECT_EQ(cache.entries(), 3);
  EXPECT_TRUE(Touch(cache, "a"));  // now b is the least recently used
  EXPECT_FALSE(Touch(cache, "d"));
  EXPECT_EQ(cache.bytes(), 30);
  EXPECT_EQ(cache.entries(), 3);
  EXPECT_TRUE(Touch(cache, "c"));
  EXPECT_TRUE(Touch(cache, "a"));
  EXPECT_TRUE(Touch(cache, "d"));
  // Order now, most recent first: d a c. A 20-byte thumbnail pushes out c and a.
  EXPECT_FALSE(Touch(cache, "big", 20));
  EXPECT_EQ(cache.bytes(), 30);
  EXPECT_EQ(cache.entries(), 2);
  EXPECT_TRUE(Touch(cache, "d"));
  EXPECT_TRUE(Touch(cache, "big", 20));
  EXPECT_FALSE(Touch(cache, "a"));  // gone: made again (and "d" goes)
  EXPECT_FALSE(Touch(cache, "b"));
  EXPECT_LE(cache.bytes(), 30);
}

TEST(ThumbnailCacheTest, AThumbnailLargerThanTheCacheIsReturnedButNotKept) {
  ThumbnailCache cache(30);
  EXPECT_FALSE(Touch(cache, "small"));
  int makes = 0;
  EXPECT_FALSE(Touch(cache, "huge", 31, &makes));
  EXPECT_FALSE(Touch(cache, "huge", 31, &makes));
  EXPECT_EQ(makes, 2);
  // Nothing was evicted for it.
  EXPECT_EQ(cache.entries(), 1);
  EXPECT_EQ(cache.bytes(), 10);
  EXPECT_TRUE(Touch(cache, "small"));
  // Exactly the bound fits.
  EXPECT_FALSE(Touch(cache, "exact", 30));
  EXPECT_TRUE(Touch(cache, "exact", 30));
  EXPECT_EQ(cache.entries(), 1);
}

TEST(ThumbnailCacheTest, AFailedMakeIsNotCached) {
  ThumbnailCache cache(1000);
  int makes = 0;
  auto failing = [&]() -> absl::StatusOr<Thumbnail> {
    ++makes;
    return absl::InvalidArgumentError("corrupt JPEG");
  };
  bool hit = true;
  EXPECT_THAT(cache.GetOrMake("bad", 64, failing, &hit),
              StatusIs(absl::StatusCode::kInvalidArgument, "corrupt JPEG"));
  EXPECT_FALSE(hit);
  EXPECT_THAT(cache.GetOrMake("bad", 64, failing),
              StatusIs(absl::StatusCode::kInvalidArgument, "corrupt JPEG"));
  EXPECT_EQ(makes, 2);
  EXPECT_EQ(cache.entries(), 0);
  EXPECT_EQ(cache.bytes(), 0);
  // A later success is kept.
  EXPECT_FALSE(Touch(cache, "bad"));
  EXPECT_TRUE(Touch(cache, "bad"));
}

TEST(ThumbnailCacheTest, AFailedMakeReachesEveryWaiter) {
  ThumbnailCache cache(1000);
  constexpr int kCallers = 8;
  std::atomic<int> makes{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kCallers; ++t) {
    threads.emplace_back([&] {
      auto result = cache.GetOrMake("bad", 64, [&]() -> absl::StatusOr<Thumbnail> {
        ++makes;
        AwaitState([&] { return cache.waiting() == kCallers - 1; });
        return absl::NotFoundError("no such item");
      });
      if (result.status().code() == absl::StatusCode::kNotFound &&
          result.status().message() == "no such item") {
        ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(makes, 1);
  EXPECT_EQ(failures, kCallers);
  EXPECT_EQ(cache.entries(), 0);
}

TEST(ThumbnailCacheTest, AThrowingMakeRethrowsAndWaitersGetInternal) {
  ThumbnailCache cache(1000);
  std::atomic<bool> waiter_done{false};
  absl::Status waiter_status;
  std::thread waiter;
  EXPECT_THROW(
      cache.GetOrMake(
          "x", 64,
          [&]() -> absl::StatusOr<Thumbnail> {
            waiter = std::thread([&] {
              waiter_status =
                  cache.GetOrMake("x", 64, [] { return absl::StatusOr<Thumbnail>(OfCost(1)); })
                      .status();
              waiter_done = true;
            });
            AwaitState([&] { return cache.waiting() == 1; });
            throw std::runtime_error("boom");
          }),
      std::runtime_error);
  waiter.join();
  EXPECT_THAT(waiter_status, StatusIs(absl::StatusCode::kInternal, HasSubstr("exception")));
  // Nothing is left behind: the next call makes it.
  EXPECT_FALSE(Touch(cache, "x"));
}

// ---- MakeThumbnail. ----

media::Image Gradient(int width, int height) {
  media::Image image{width, height, {}};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      image.rgb.push_back(static_cast<uint8_t>(x * 255 / (width - 1)));
      image.rgb.push_back(static_cast<uint8_t>(y * 255 / (height - 1)));
      image.rgb.push_back(128);
    }
  }
  return image;
}

std::string Png(const media::Image& image) {
  absl::StatusOr<std::string> png = media::EncodePng(image);
  if (!png.ok()) {
    ADD_FAILURE() << "cannot encode the fixture: " << png.status();
    return "";
  }
  return *png;
}

TEST(MakeThumbnailTest, GivesAJpegThatFitsAndKeepsTheAspectRatio) {
  struct Case {
    int width, height, size, want_width, want_height;
  };
  for (const Case& c : std::vector<Case>{
           {400, 300, 100, 100, 75},
           {300, 400, 100, 75, 100},
           {1000, 10, 100, 100, 1},
           {640, 427, 256, 256, 171},
           {50, 40, 100, 50, 40},  // never upscaled
       }) {
    ASSERT_OK_AND_ASSIGN(Thumbnail thumbnail,
                         MakeThumbnail(Png(Gradient(c.width, c.height)), c.size, {}));
    EXPECT_EQ(thumbnail.content_type, "image/jpeg");
    EXPECT_THAT(
        media::SniffImageFormat(thumbnail.bytes),
        ::testing::Property(&absl::StatusOr<media::ImageFormat>::value, media::ImageFormat::kJpeg));
    ASSERT_OK_AND_ASSIGN(media::Image decoded, media::DecodeImage(thumbnail.bytes));
    EXPECT_EQ(decoded.width, c.want_width) << c.width << "x" << c.height;
    EXPECT_EQ(decoded.height, c.want_height) << c.width << "x" << c.height;
  }
}

TEST(MakeThumbnailTest, KeepsTheColours) {
  media::Image solid{120, 80, {}};
  for (int i = 0; i < 120 * 80; ++i) solid.rgb.insert(solid.rgb.end(), {200, 40, 90});
  ASSERT_OK_AND_ASSIGN(Thumbnail thumbnail, MakeThumbnail(Png(solid), 30, {}));
  ASSERT_OK_AND_ASSIGN(media::Image decoded, media::DecodeImage(thumbnail.bytes));
  EXPECT_EQ(decoded.width, 30);
  EXPECT_EQ(decoded.height, 20);
  const int center = (10 * 30 + 15) * 3;
  EXPECT_NEAR(decoded.rgb[center], 200, 6);
  EXPECT_NEAR(decoded.rgb[center + 1], 40, 6);
  EXPECT_NEAR(decoded.rgb[center + 2], 90, 6);
}

TEST(MakeThumbnailTest, RefusesBadInput) {
  EXPECT_THAT(MakeThumbnail("this is not an image", 64, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unsupported image format")));
  EXPECT_THAT(MakeThumbnail("", 64, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  ASSERT_OK_AND_ASSIGN(std::string jpeg, media::EncodeJpeg(Gradient(64, 48)));
  EXPECT_THAT(MakeThumbnail(jpeg.substr(0, jpeg.size() / 3), 32, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  std::string corrupt = Png(Gradient(64, 48));
  corrupt[corrupt.size() / 2] ^= 0x5a;
  EXPECT_THAT(MakeThumbnail(corrupt, 32, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  EXPECT_THAT(MakeThumbnail(jpeg, 0, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least 1")));
  media::ImageLimits small;
  small.max_pixels = 1000;
  EXPECT_THAT(MakeThumbnail(jpeg, 32, small),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
}

}  // namespace
}  // namespace xmodal::server
