#include "server/work_gate.h"

#include <glog/logging.h>

#include <algorithm>

namespace xmodal::server {

WorkGate::WorkGate(int slots) : slots_(slots) {
  CHECK_GE(slots, 1) << "a WorkGate needs at least one slot";
}

WorkGate::Slot::~Slot() {
  if (gate_ != nullptr) gate_->Release();
}

std::optional<WorkGate::Slot> WorkGate::Acquire(const std::function<bool()>& gave_up,
                                                std::chrono::milliseconds poll) {
  std::unique_lock lock(mu_);
  if (queue_.empty() && running_ < slots_) {
    ++running_;
    peak_running_ = std::max(peak_running_, running_);
    return Slot(this);
  }
  Waiter me;
  const auto it = queue_.insert(queue_.end(), &me);
  while (!me.granted) {
    me.cv.wait_for(lock, poll);
    if (!me.granted && gave_up()) {
      queue_.erase(it);
      return std::nullopt;
    }
  }
  // Release counted us in running_ and took us off the queue when it granted the slot.
  return Slot(this);
}

void WorkGate::Release() {
  std::lock_guard lock(mu_);
  if (queue_.empty()) {
    --running_;
    return;
  }
  Waiter* next = queue_.front();  // the slot passes straight on: running_ is unchanged
  queue_.pop_front();
  next->granted = true;
  next->cv.notify_one();
}

int WorkGate::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

int WorkGate::waiting() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(queue_.size());
}

int WorkGate::peak_running() const {
  std::lock_guard lock(mu_);
  return peak_running_;
}

}  // namespace xmodal::server
