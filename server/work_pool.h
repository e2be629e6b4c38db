// Runs the calls' CPU work (media decoding, encoding, search) on a fixed set of worker threads,
// so that the server can hold many more concurrent calls than it has cores: work beyond the
// workers waits here, first come first served, instead of being refused or oversubscribing the
// cores. Work waiting for a worker is dropped as soon as its client cancels or its deadline
// passes.
//
// Why a pool and not just a limit on the calls' own threads: gRPC's synchronous server starts
// and ends threads as load changes, and every new thread that runs a model sets up LibTorch's
// and OpenMP's per-thread state again (LibTorch 1.13 rebuilds its thread pool from each new
// thread's first parallel operator). Under 16 concurrent text queries that setup, not the
// queries, took two thirds of the CPU. The workers here live as long as the pool.
//
// Thread-safe.
#ifndef XMODAL_SERVER_WORK_POOL_H_
#define XMODAL_SERVER_WORK_POOL_H_

#include <chrono>
#include <functional>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "core/base/thread_pool.h"

namespace xmodal::server {

class WorkPool {
 public:
  // Starts `workers` threads; CHECK-fails below 1 (a programmer error). The destructor waits for
  // the work running then; no Run may be in progress or start by then.
  explicit WorkPool(int workers);

  // Runs `work` on a worker, after the work queued before it, and returns true once it has run.
  // If `gave_up` (polled every `poll`; cheap, must not use the pool) returns true before a
  // worker takes the work, the work is dropped and false is returned; work that has started
  // runs to its end (it should watch for the same condition itself). An exception thrown by
  // `work` is rethrown here, on the caller's thread.
  bool Run(absl::FunctionRef<void()> work, const std::function<bool()>& gave_up,
           std::chrono::milliseconds poll = std::chrono::milliseconds(20));

  // Queues `work` for a worker, after the work queued before it, and returns at once. `work` runs
  // however long its submitter has gone, so it must own what it uses, and must not throw
  // (CHECK-fails if it does). For callers that wait on their own terms (search_batcher.h).
  void Post(std::function<void()> work);

  int workers() const { return threads_.size(); }
  int running() const;  // work running now
  int waiting() const;  // work queued for a worker
  // The most work that ever ran at once (never above workers()).
  int peak_running() const;

 private:
  struct Task;

  // Counts a queued piece of work as begun on a worker.
  void StartLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable std::mutex mu_;
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
  int running_ ABSL_GUARDED_BY(mu_) = 0;
  int peak_running_ ABSL_GUARDED_BY(mu_) = 0;
  // Last, so that it goes first: its destructor drains the queue (dropped work only, by then),
  // which uses mu_.
  ThreadPool threads_;
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_WORK_POOL_H_
