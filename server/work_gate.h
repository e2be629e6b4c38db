// Bounds how many calls do CPU work (media decoding, encoding, search) at once, so that the
// server can accept many more concurrent calls than it has cores: calls beyond the limit wait
// here, first come first served, instead of being refused or oversubscribing the cores. A
// waiting call gives up as soon as its client cancels or its deadline passes.
//
// Thread-safe.
#ifndef XMODAL_SERVER_WORK_GATE_H_
#define XMODAL_SERVER_WORK_GATE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>

#include "absl/base/thread_annotations.h"

namespace xmodal::server {

class WorkGate {
 public:
  // `slots` calls may work at once; CHECK-fails below 1 (a programmer error).
  explicit WorkGate(int slots);
  WorkGate(const WorkGate&) = delete;
  WorkGate& operator=(const WorkGate&) = delete;

  // Frees its slot when destroyed (to the longest-waiting call, if any).
  class Slot {
   public:
    Slot(Slot&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    friend class WorkGate;
    explicit Slot(WorkGate* gate) : gate_(gate) {}
    WorkGate* gate_;
  };

  // Waits for a slot, in arrival order. `gave_up` is polled every `poll` while waiting (it must
  // be cheap and must not use the gate); once it returns true the wait ends and nullopt is
  // returned.
  std::optional<Slot> Acquire(const std::function<bool()>& gave_up,
                              std::chrono::milliseconds poll = std::chrono::milliseconds(20));

  int slots() const { return slots_; }
  int running() const;  // calls holding a slot
  int waiting() const;  // calls waiting for one
  // The most calls that ever held a slot at once (never above slots()).
  int peak_running() const;

 private:
  struct Waiter {
    bool granted = false;
    std::condition_variable cv;
  };
  void Release();

  const int slots_;
  mutable std::mutex mu_;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  int peak_running_ ABSL_GUARDED_BY(mu_) = 0;
  std::list<Waiter*> queue_ ABSL_GUARDED_BY(mu_);  // oldest first
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_WORK_GATE_H_
