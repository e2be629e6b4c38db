#include "server/work_pool.h"

#include <glog/logging.h>
#include <pthread.h>

#include <algorithm>
#include <exception>
#include <utility>

namespace xmodal::server {

// One Run's work; it lives on the caller's stack until the caller returns.
struct WorkPool::Task {
  explicit Task(absl::FunctionRef<void()> work) : work(work) {}
  absl::FunctionRef<void()> work;
  bool started = false;  // guarded by mu_
  bool done = false;     // guarded by mu_
  std::exception_ptr error;
  std::condition_variable finished;
};

WorkPool::WorkPool(int workers) {
  CHECK_GE(workers, 1) << "a WorkPool needs at least one worker";
  threads_.reserve(workers);
  for (int i = 0; i < workers; ++i) {
    threads_.emplace_back([this] { WorkLoop(); });
    pthread_setname_np(threads_.back().native_handle(), "xmodal-work");
  }
}

WorkPool::~WorkPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_queued_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

bool WorkPool::Run(absl::FunctionRef<void()> work, const std::function<bool()>& gave_up,
                   std::chrono::milliseconds poll) {
  Task task(work);
  std::unique_lock lock(mu_);
  const auto it = queue_.insert(queue_.end(), &task);
  work_queued_.notify_one();
  while (!task.done) {
    task.finished.wait_for(lock, poll);
    if (!task.started && gave_up()) {
      queue_.erase(it);
      return false;
    }
  }
  if (task.error) std::rethrow_exception(task.error);
  return true;
}

void WorkPool::WorkLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    work_queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing is left to run
    Task* task = queue_.front();
    queue_.pop_front();
    task->started = true;
    ++running_;
    peak_running_ = std::max(peak_running_, running_);
    lock.unlock();
    std::exception_ptr error;
    try {
      task->work();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    --running_;
    task->error = std::move(error);
    task->done = true;
    task->finished.notify_one();  // under the lock: the caller cannot leave before it is sent
  }
}

int WorkPool::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

int WorkPool::waiting() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(queue_.size());
}

int WorkPool::peak_running() const {
  std::lock_guard lock(mu_);
  return peak_running_;
}

}  // namespace xmodal::server
