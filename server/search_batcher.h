// Runs Search calls on the WorkPool in batches: a worker that takes up a search also takes the
// searches waiting behind it (oldest first, up to a limit) and answers them together with
// engine::Searcher::SearchBatch, which reads each index from memory once for the whole batch.
//
// Why: under load a plain text query was bound by memory bandwidth: each one scanned the whole
// text index. With 16 clients, the queries waiting for the 2 workers now share those scans. A
// search that finds no other waiting is answered alone, as before, without waiting for company.
//
// Every search is answered: when a worker takes up a search, no older one is still waiting (the
// pool runs its tasks in arrival order, and each task takes the oldest waiting searches), so a
// search's own task takes it unless an earlier batch already did.
//
// Thread-safe.
#ifndef XMODAL_SERVER_SEARCH_BATCHER_H_
#define XMODAL_SERVER_SEARCH_BATCHER_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "core/engine/searcher.h"
#include "server/work_pool.h"

namespace xmodal::server {

class SearchBatcher {
 public:
  // Answers a batch: one result per query, in order (engine::Searcher::SearchBatch's contract).
  using SearchFn = std::function<std::vector<absl::StatusOr<engine::SearchResult>>(
      std::span<const engine::Query* const>, std::span<const engine::CancelCheck>)>;

  // `pool` must outlive the batcher; `max_batch` >= 1 (1: every search alone).
  SearchBatcher(WorkPool& pool, int max_batch, SearchFn search);
  // Waits for the tasks it queued on the pool (each Search leaves one, which may still be
  // queued after the Search returned). No Search may be in progress.
  ~SearchBatcher();

  // Answers `query` on a worker, in a batch with the searches waiting then, and returns as soon
  // as it is answered. `gave_up` is the query's cancel check (polled every 20 ms while it waits,
  // and by the search between its stages); nullopt when it turned true before a worker took the
  // query up. Once taken up, the search runs to its end and this returns its result. If `search`
  // throws, the batch's calls get INTERNAL. `queue_seconds`, when not null, receives the time
  // from the call to a worker taking the query up (or to giving up).
  std::optional<absl::StatusOr<engine::SearchResult>> Search(const engine::Query& query,
                                                             const std::function<bool()>& gave_up,
                                                             double* queue_seconds = nullptr);

  int max_batch() const { return max_batch_; }
  int waiting() const;  // searches not yet taken up by a worker

 private:
  struct Waiting;

  // On a worker: answers the oldest waiting searches, if any.
  void AnswerWaiting();
  void Answer(const std::vector<std::shared_ptr<Waiting>>& batch);

  WorkPool& pool_;
  const int max_batch_;
  const SearchFn search_;
  mutable std::mutex mu_;
  // Shared with the worker that answers them, which wakes them after it let go of mu_ (a
  // caller woken under the lock would at once block on it).
  std::deque<std::shared_ptr<Waiting>> waiting_ ABSL_GUARDED_BY(mu_);
  int queued_tasks_ ABSL_GUARDED_BY(mu_) = 0;  // posted to the pool, not yet run
  std::condition_variable all_ran_;
};

}  // namespace xmodal::server

#endif  // XMODAL_SERVER_SEARCH_BATCHER_H_
