#include "server/search_batcher.h"

#include <glog/logging.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"

namespace xmodal::server {

namespace {

// How often a waiting caller checks whether it has given up.
constexpr std::chrono::milliseconds kGiveUpPoll(20);

}  // namespace

// One search from its arrival to its answer. Its fields other than query, gave_up and answered
// are guarded by SearchBatcher::mu_.
struct SearchBatcher::Waiting {
  const engine::Query* query = nullptr;
  const std::function<bool()>* gave_up = nullptr;
  bool taken = false;  // a worker has taken it up: it will be answered
  std::chrono::steady_clock::time_point taken_at;
  std::optional<absl::StatusOr<engine::SearchResult>> answer;
  // Its own, so that answering a batch wakes only the batch's callers.
  std::condition_variable answered;
};

SearchBatcher::SearchBatcher(WorkPool& pool, int max_batch, SearchFn search)
    : pool_(pool), max_batch_(max_batch), search_(std::move(search)) {
  CHECK_GE(max_batch_, 1) << "a SearchBatcher needs a batch size of at least 1";
}

SearchBatcher::~SearchBatcher() {
  std::unique_lock lock(mu_);
  all_ran_.wait(lock, [this] { return queued_tasks_ == 0; });
}

std::optional<absl::StatusOr<engine::SearchResult>> SearchBatcher::Search(
    const engine::Query& query, const std::function<bool()>& gave_up, double* queue_seconds) {
  const auto arrived = std::chrono::steady_clock::now();
  const auto shared = std::make_shared<Waiting>();
  Waiting& waiting = *shared;
  waiting.query = &query;
  waiting.gave_up = &gave_up;
  {
    std::lock_guard lock(mu_);
    waiting_.push_back(shared);
    ++queued_tasks_;
  }
  // The task may answer other searches, and this one may be answered by an earlier task; either
  // way it is taken up by the time this task runs. The caller returns as soon as it is answered,
  // not when its own task comes up.
  pool_.Post([this] { AnswerWaiting(); });
  std::unique_lock lock(mu_);
  while (!waiting.answer.has_value()) {
    if (!waiting.taken && gave_up()) {
      waiting_.erase(std::find(waiting_.begin(), waiting_.end(), shared));
      waiting.taken_at = std::chrono::steady_clock::now();
      break;  // unanswered: nullopt
    }
    // Once taken, the caller's context (which gave_up reads) must outlive the search: it waits
    // for the answer.
    waiting.answered.wait_for(lock, kGiveUpPoll);
  }
  if (queue_seconds != nullptr) {
    *queue_seconds = std::chrono::duration<double>(waiting.taken_at - arrived).count();
  }
  return std::move(waiting.answer);
}

void SearchBatcher::AnswerWaiting() {
  std::vector<std::shared_ptr<Waiting>> batch;
  {
    std::lock_guard lock(mu_);
    while (!waiting_.empty() && static_cast<int>(batch.size()) < max_batch_) {
      batch.push_back(waiting_.front());
      waiting_.pop_front();
      batch.back()->taken = true;
      batch.back()->taken_at = std::chrono::steady_clock::now();
    }
  }
  if (!batch.empty()) Answer(batch);
  std::lock_guard lock(mu_);
  if (--queued_tasks_ == 0) all_ran_.notify_all();
}

void SearchBatcher::Answer(const std::vector<std::shared_ptr<Waiting>>& batch) {
  std::vector<const engine::Query*> queries;
  std::vector<engine::CancelCheck> checks;
  for (const auto& w : batch) {
    queries.push_back(w->query);
    checks.push_back(*w->gave_up);
  }
  std::vector<absl::StatusOr<engine::SearchResult>> answers;
  try {
    answers = search_(queries, checks);
  } catch (const std::exception& e) {
    answers.assign(batch.size(), absl::InternalError(absl::StrCat("search failed: ", e.what())));
  } catch (...) {
    answers.assign(batch.size(), absl::InternalError("search failed unexpectedly"));
  }
  CHECK_EQ(answers.size(), batch.size()) << "a batch search must answer every query";
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->answer = std::move(answers[i]);
  }
  // A caller may have seen its answer and left; `batch` keeps its condition variable alive.
  for (const auto& w : batch) w->answered.notify_one();
}

int SearchBatcher::waiting() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(waiting_.size());
}

}  // namespace xmodal::server
