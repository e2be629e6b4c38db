#include "core/index/compat/hnsw_ef_gate.h"

#include <glog/logging.h>

namespace xmodal::index::internal {

HnswEfGate::HnswEfGate(faiss::HNSW* hnsw) : hnsw_(hnsw), current_(hnsw->efSearch) {
  CHECK(hnsw_ != nullptr);
}

HnswEfGate::Pass::~Pass() {
  if (gate_ != nullptr) gate_->Leave();
}

HnswEfGate::Pass HnswEfGate::Enter(std::optional<int> ef) {
  std::unique_lock lock(mu_);
  const int want = ef.value_or(current_);
  if (waiting_.empty() && (active_ == 0 || current_ == want)) {
    if (active_ == 0 && current_ != want) {
      current_ = want;
      hnsw_->efSearch = want;  // nobody is inside: no search reads it now
    }
    ++active_;
    return Pass(this);
  }
  const auto me = waiting_.insert(waiting_.end(), Waiter{want, epoch_});
  // Admitted by the switch to our value that happened after we began waiting (Leave sets it).
  switched_.wait(lock, [&] { return epoch_ > me->epoch && current_ == me->ef; });
  waiting_.erase(me);
  ++active_;
  return Pass(this);
}

void HnswEfGate::Leave() {
  std::lock_guard lock(mu_);
  if (--active_ > 0 || waiting_.empty()) return;
  // The last one out switches to the longest-waiting value and admits all who want it. Until
  // they have entered, newcomers queue (waiting_ is not empty), so the value cannot change.
  current_ = waiting_.front().ef;
  hnsw_->efSearch = current_;
  ++epoch_;
  switched_.notify_all();
}

int HnswEfGate::current() const {
  std::lock_guard lock(mu_);
  return current_;
}

}  // namespace xmodal::index::internal
