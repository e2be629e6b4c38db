// SearchBatcher: a search that finds no other waiting is answered alone; searches waiting for a
// worker are answered together, oldest first, at most max_batch at a time, each caller with its
// own answer; a caller that gives up while waiting is never searched; a search that throws fails
// its batch with INTERNAL.
#include "server/search_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace xmodal::server {
namespace {

template <typename Pred>
void AwaitState(Pred done) {
  while (!done()) std::this_thread::yield();
}

// A fake search that answers query q with q.k as the generation, recording each batch's ks.
class RecordingSearch {
 public:
  SearchBatcher::SearchFn fn() {
    return [this](std::span<const engine::Query* const> queries,
                  std::span<const engine::CancelCheck> cancelled) {
      EXPECT_EQ(cancelled.size(), queries.size());
      std::vector<int> ks;
      std::vector<absl::StatusOr<engine::SearchResult>> answers;
      for (const engine::Query* q : queries) {
        ks.push_back(q->k);
        engine::SearchResult result;
        result.generation = q->k;
        answers.push_back(result);
      }
      std::lock_guard lock(mu_);
      batches_.push_back(ks);
      return answers;
    };
  }
  std::vector<std::vector<int>> batches() {
    std::lock_guard lock(mu_);
    return batches_;
  }

 private:
  std::mutex mu_;
  std::vector<std::vector<int>> batches_;
};

engine::Query QueryWithK(int k) {
  engine::Query q;
  q.k = k;
  return q;
}

// Holds the pool's only worker until released; then `n` searches (k = 1..n) have been queued
// behind it, in that order, each from its own thread.
class QueuedSearches {
 public:
  QueuedSearches(
      WorkPool& pool, SearchBatcher& batcher, int n,
      std::function<bool(int k)> gave_up = [](int) { return false; })
      : gave_up_(std::move(gave_up)), answers_(n) {
    blocker_ = std::thread([&] {
      pool.Run([this] { AwaitState([this] { return go_.load(); }); }, [] { return false; });
    });
    AwaitState([&] { return pool.running() == 1; });
    for (int k = 1; k <= n; ++k) {
      callers_.emplace_back([this, &batcher, k] {
        const engine::Query query = QueryWithK(k);
        const std::function<bool()> gave_up = [this, k] { return gave_up_(k); };
        answers_[k - 1] = batcher.Search(query, gave_up);
      });
      AwaitState([&] { return pool.waiting() == k; });  // queued in order
    }
  }
  // Releases the worker and waits for every caller.
  std::vector<std::optional<absl::StatusOr<engine::SearchResult>>> Finish() {
    go_ = true;
    blocker_.join();
    for (std::thread& t : callers_) t.join();
    return answers_;
  }

 private:
  std::function<bool(int)> gave_up_;
  std::atomic<bool> go_{false};
  std::thread blocker_;
  std::vector<std::thread> callers_;
  std::vector<std::optional<absl::StatusOr<engine::SearchResult>>> answers_;
};

TEST(SearchBatcherTest, ASearchAloneIsAnsweredAlone) {
  WorkPool pool(2);
  RecordingSearch search;
  SearchBatcher batcher(pool, 16, search.fn());
  const auto answer = batcher.Search(QueryWithK(7), [] { return false; });
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok());
  EXPECT_EQ((*answer)->generation, 7);
  EXPECT_EQ(search.batches(), (std::vector<std::vector<int>>{{7}}));
}

// Queues searches k = 1..n behind the busy only worker, releases it, checks that every caller
// got its own answer, and returns the batches the search was given.
std::vector<std::vector<int>> BatchesOfQueuedSearches(int max_batch, int n) {
  WorkPool pool(1);
  RecordingSearch search;
  SearchBatcher batcher(pool, max_batch, search.fn());
  QueuedSearches queued(pool, batcher, n);
  const auto answers = queued.Finish();
  for (int k = 1; k <= n; ++k) {
    EXPECT_TRUE(answers[k - 1].has_value() && answers[k - 1]->ok()) << k;
    if (answers[k - 1].has_value() && answers[k - 1]->ok()) {
      EXPECT_EQ((*answers[k - 1])->generation, k);
    }
  }
  return search.batches();
}

TEST(SearchBatcherTest, WaitingSearchesAreAnsweredTogetherEachWithItsOwnAnswer) {
  EXPECT_EQ(BatchesOfQueuedSearches(16, 5), (std::vector<std::vector<int>>{{1, 2, 3, 4, 5}}));
}

TEST(SearchBatcherTest, BatchesHoldAtMostMaxBatchOldestFirst) {
  EXPECT_EQ(BatchesOfQueuedSearches(2, 5), (std::vector<std::vector<int>>{{1, 2}, {3, 4}, {5}}));
}

// A search answered by an earlier task's batch returns at once, although its own task is still
// queued behind other work.
TEST(SearchBatcherTest, ASearchAnsweredByAnEarlierBatchDoesNotWaitForItsOwnTask) {
  WorkPool pool(1);
  RecordingSearch search;
  SearchBatcher batcher(pool, 16, search.fn());
  std::atomic<bool> release_first{false}, release_second{false};
  const auto block_until = [&pool](std::atomic<bool>& go) {
    return std::thread([&pool, &go] {
      pool.Run([&go] { AwaitState([&go] { return go.load(); }); }, [] { return false; });
    });
  };
  std::thread first = block_until(release_first);
  AwaitState([&] { return pool.running() == 1; });
  std::optional<absl::StatusOr<engine::SearchResult>> answers[2];
  const std::function<bool()> never = [] { return false; };
  std::thread one([&] { answers[0] = batcher.Search(QueryWithK(1), never); });
  AwaitState([&] { return pool.waiting() == 1; });
  std::thread second = block_until(release_second);  // queued between the two searches' tasks
  AwaitState([&] { return pool.waiting() == 2; });
  std::thread two([&] { answers[1] = batcher.Search(QueryWithK(2), never); });
  AwaitState([&] { return pool.waiting() == 3; });

  release_first = true;  // the first search's task answers both; then the second blocker runs
  one.join();
  two.join();  // returns while its own task is still queued behind the second blocker
  EXPECT_GE(pool.waiting(), 1);  // its task: behind the second blocker, which never ended
  EXPECT_EQ(search.batches(), (std::vector<std::vector<int>>{{1, 2}}));
  EXPECT_EQ((*answers[1])->generation, 2);
  release_second = true;
  first.join();
  second.join();
}

TEST(SearchBatcherTest, ACallerThatGivesUpWhileWaitingIsNeverSearched) {
  WorkPool pool(1);
  RecordingSearch search;
  SearchBatcher batcher(pool, 16, search.fn());
  std::atomic<bool> third_gave_up{false};
  QueuedSearches queued(pool, batcher, 4, [&](int k) { return k == 3 && third_gave_up.load(); });
  third_gave_up = true;
  AwaitState([&] { return batcher.waiting() == 3; });  // the caller has left
  const auto answers = queued.Finish();
  EXPECT_FALSE(answers[2].has_value());
  EXPECT_EQ(search.batches(), (std::vector<std::vector<int>>{{1, 2, 4}}));
  EXPECT_EQ((*answers[3])->generation, 4);
}

TEST(SearchBatcherTest, ASearchThatThrowsFailsItsBatchWithInternal) {
  WorkPool pool(1);
  SearchBatcher batcher(pool, 16,
                        [](auto, auto) -> std::vector<absl::StatusOr<engine::SearchResult>> {
                          throw std::runtime_error("boom");
                        });
  QueuedSearches queued(pool, batcher, 2);
  for (const auto& answer : queued.Finish()) {
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->status().code(), absl::StatusCode::kInternal);
    EXPECT_NE(answer->status().message().find("boom"), std::string::npos);
  }
}

}  // namespace
}  // namespace xmodal::server
