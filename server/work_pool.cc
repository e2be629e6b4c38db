#include "server/work_pool.h"

#include <glog/logging.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>

namespace xmodal::server {

// One Run's state, shared by the caller and the queued closure (which may outlive a caller
// that gave up). Guarded by WorkPool::mu_.
struct WorkPool::Task {
  bool started = false;
  bool dropped = false;  // the caller gave up before it started: the worker skips it
  bool done = false;
  std::exception_ptr error;
  std::condition_variable finished;
};

namespace {

int AtLeastOne(int workers) {
  CHECK_GE(workers, 1) << "a WorkPool needs at least one worker";
  return workers;
}

}  // namespace

WorkPool::WorkPool(int workers) : threads_(AtLeastOne(workers)) {}

bool WorkPool::Run(absl::FunctionRef<void()> work, const std::function<bool()>& gave_up,
                   std::chrono::milliseconds poll) {
  auto task = std::make_shared<Task>();
  {
    std::lock_guard lock(mu_);
    ++waiting_;
  }
  // `work` refers to the caller's callable: it is only called while the caller waits below.
  threads_.Submit([this, task, work] {
    {
      std::lock_guard lock(mu_);
      if (task->dropped) return;
      task->started = true;
      StartLocked();
    }
    std::exception_ptr error;
    try {
      work();
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard lock(mu_);
    --running_;
    task->error = error;
    task->done = true;
    task->finished.notify_one();  // under the lock: the caller cannot leave before it is sent
  });
  std::unique_lock lock(mu_);
  while (!task->done) {
    task->finished.wait_for(lock, poll);
    if (!task->started && gave_up()) {
      task->dropped = true;
      --waiting_;
      return false;
    }
  }
  if (task->error) std::rethrow_exception(task->error);
  return true;
}

void WorkPool::Post(std::function<void()> work) {
  {
    std::lock_guard lock(mu_);
    ++waiting_;
  }
  threads_.Submit([this, work = std::move(work)] {
    {
      std::lock_guard lock(mu_);
      StartLocked();
    }
    try {
      work();
    } catch (...) {
      LOG(FATAL) << "work posted to a WorkPool threw";
    }
    std::lock_guard lock(mu_);
    --running_;
  });
}

void WorkPool::StartLocked() {
  --waiting_;
  peak_running_ = std::max(peak_running_, ++running_);
}

int WorkPool::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

int WorkPool::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

int WorkPool::peak_running() const {
  std::lock_guard lock(mu_);
  return peak_running_;
}

}  // namespace xmodal::server
