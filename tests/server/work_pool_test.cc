// WorkPool: at most `workers` tasks at once, all on the pool's own threads, queued work (run or
// posted) served in arrival order, work whose caller gives up before it starts is dropped, and an
// exception reaches the caller.
#include "server/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace xmodal::server {
namespace {

bool Never() { return false; }

// Spins (yielding) until `done` holds; the tests wait for states, never for durations.
template <typename Pred>
void AwaitState(Pred done) {
  while (!done()) std::this_thread::yield();
}

// Occupies one worker until release() is called.
class BlockingTask {
 public:
  explicit BlockingTask(WorkPool& pool)
      : thread_([this, &pool] {
          pool.Run([this] { AwaitState([this] { return go_.load(); }); }, Never);
        }) {}
  ~BlockingTask() {
    release();
    thread_.join();
  }
  void release() { go_ = true; }

 private:
  std::atomic<bool> go_{false};
  std::thread thread_;
};

TEST(WorkPoolTest, NeverMoreTasksThanWorkersAllOnThePoolsOwnThreads) {
  WorkPool pool(2);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> served{0};
  std::mutex mu;
  std::set<std::thread::id> ran_on;
  std::set<std::thread::id> callers;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      {
        std::lock_guard lock(mu);
        callers.insert(std::this_thread::get_id());
      }
      for (int i = 0; i < 50; ++i) {
        const bool ran = pool.Run(
            [&] {
              const int now = ++inside;
              int seen = most.load();
              while (now > seen && !most.compare_exchange_weak(seen, now)) {
              }
              {
                std::lock_guard lock(mu);
                ran_on.insert(std::this_thread::get_id());
              }
              std::this_thread::yield();
              --inside;
            },
            Never);
        ASSERT_TRUE(ran);
        ++served;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(served.load(), 400);
  EXPECT_LE(most.load(), 2);
  EXPECT_LE(pool.peak_running(), 2);
  EXPECT_EQ(pool.running(), 0);
  EXPECT_EQ(pool.waiting(), 0);
  // 400 tasks from 8 callers ran on at most the 2 workers, none on a caller's thread.
  EXPECT_LE(ran_on.size(), 2u);
  for (const std::thread::id& id : ran_on) EXPECT_EQ(callers.count(id), 0u);
}

TEST(WorkPoolTest, QueuedWorkIsServedInArrivalOrder) {
  WorkPool pool(1);
  std::optional<BlockingTask> blocker(std::in_place, pool);
  AwaitState([&] { return pool.running() == 1; });
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      pool.Run(
          [&] {
            std::lock_guard lock(mu);
            order.push_back(t);
          },
          Never);
    });
    AwaitState([&] { return pool.waiting() == t + 1; });  // queued before the next one starts
  }
  blocker.reset();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(pool.running(), 0);
}

TEST(WorkPoolTest, PostedWorkQueuesWithRunWorkInArrivalOrderAndIsCounted) {
  WorkPool pool(1);
  std::optional<BlockingTask> blocker(std::in_place, pool);
  AwaitState([&] { return pool.running() == 1; });
  std::mutex mu;
  std::vector<int> order;
  std::set<std::thread::id> ran_on;
  const auto record = [&](int step) {
    std::lock_guard lock(mu);
    order.push_back(step);
    ran_on.insert(std::this_thread::get_id());
  };
  pool.Post([&] { record(0); });  // returns at once
  EXPECT_EQ(pool.waiting(), 1);
  std::thread caller([&] { pool.Run([&] { record(1); }, Never); });
  AwaitState([&] { return pool.waiting() == 2; });
  pool.Post([&] { record(2); });
  blocker.reset();
  caller.join();
  AwaitState([&] { return pool.waiting() == 0 && pool.running() == 0; });
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(ran_on.count(std::this_thread::get_id()), 0u);
}

TEST(WorkPoolTest, WorkWhoseCallerGivesUpBeforeItStartsIsDropped) {
  WorkPool pool(1);
  std::optional<BlockingTask> blocker(std::in_place, pool);
  AwaitState([&] { return pool.running() == 1; });
  std::atomic<bool> cancelled{false};
  std::atomic<bool> work_ran{false};
  std::optional<bool> ran;
  std::thread caller([&] {
    ran = pool.Run([&] { work_ran = true; }, [&] { return cancelled.load(); },
                   std::chrono::milliseconds(1));
  });
  AwaitState([&] { return pool.waiting() == 1; });
  cancelled = true;
  caller.join();
  ASSERT_TRUE(ran.has_value());
  EXPECT_FALSE(*ran);
  EXPECT_EQ(pool.waiting(), 0);
  blocker.reset();
  EXPECT_TRUE(pool.Run([] {}, Never));  // the pool goes on serving
  EXPECT_FALSE(work_ran.load());
}

TEST(WorkPoolTest, StartedWorkRunsToItsEndEvenIfTheCallerGivesUp) {
  WorkPool pool(1);
  std::atomic<bool> started{false};
  std::atomic<bool> finished{false};
  const bool ran = pool.Run(
      [&] {
        started = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(30));  // several polls
        finished = true;
      },
      [&] { return started.load(); }, std::chrono::milliseconds(1));
  EXPECT_TRUE(ran);
  EXPECT_TRUE(finished.load());
}

TEST(WorkPoolTest, AnExceptionFromTheWorkReachesTheCaller) {
  WorkPool pool(1);
  EXPECT_THROW(pool.Run([] { throw std::runtime_error("boom"); }, Never), std::runtime_error);
  EXPECT_TRUE(pool.Run([] {}, Never));  // the worker survived
}

}  // namespace
}  // namespace xmodal::server
