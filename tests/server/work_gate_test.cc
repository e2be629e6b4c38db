// WorkGate: at most `slots` holders at once, waiters served in arrival order, and a waiter that
// gives up leaves the queue without taking a slot.
#include "server/work_gate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <optional>
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

TEST(WorkGateTest, NeverMoreHoldersThanSlotsAndEveryoneGetsThrough) {
  WorkGate gate(2);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> served{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        std::optional<WorkGate::Slot> slot = gate.Acquire(Never);
        ASSERT_TRUE(slot.has_value());
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
        ++served;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(served.load(), 400);
  EXPECT_LE(most.load(), 2);
  EXPECT_LE(gate.peak_running(), 2);
  EXPECT_EQ(gate.running(), 0);
  EXPECT_EQ(gate.waiting(), 0);
}

TEST(WorkGateTest, WaitersAreServedInArrivalOrder) {
  WorkGate gate(1);
  std::optional<WorkGate::Slot> held = gate.Acquire(Never);
  ASSERT_TRUE(held.has_value());
  std::mutex mu;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::optional<WorkGate::Slot> slot = gate.Acquire(Never);
      std::lock_guard lock(mu);
      order.push_back(t);
    });
    AwaitState([&] { return gate.waiting() == t + 1; });  // queued before the next one starts
  }
  EXPECT_EQ(gate.running(), 1);
  held.reset();
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(gate.running(), 0);
}

TEST(WorkGateTest, AWaiterThatGivesUpLeavesWithoutASlot) {
  WorkGate gate(1);
  std::optional<WorkGate::Slot> held = gate.Acquire(Never);
  std::atomic<bool> cancelled{false};
  std::optional<bool> got_slot;
  std::thread waiter([&] {
    got_slot =
        gate.Acquire([&] { return cancelled.load(); }, std::chrono::milliseconds(1)).has_value();
  });
  AwaitState([&] { return gate.waiting() == 1; });
  cancelled = true;
  waiter.join();
  ASSERT_TRUE(got_slot.has_value());
  EXPECT_FALSE(*got_slot);
  EXPECT_EQ(gate.waiting(), 0);
  EXPECT_EQ(gate.running(), 1);
  held.reset();
  EXPECT_EQ(gate.running(), 0);  // the slot was not handed to the one who left
  EXPECT_TRUE(gate.Acquire(Never).has_value());
}

}  // namespace
}  // namespace xmodal::server
