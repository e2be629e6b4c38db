#include "indexer/embed_loop.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>

#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/base/thread_pool.h"
#include "indexer/batch_committer.h"

namespace xmodal::indexer {
namespace {

// Results of the workers, by position in the work list.
class ResultBuffer {
 public:
  void Put(size_t position, PreparedItem item) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_.emplace(position, std::move(item));
    }
    cv_.notify_all();
  }
  PreparedItem Take(size_t position) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_.count(position) > 0; });
    auto node = done_.extract(position);
    return std::move(node.mapped());
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<size_t, PreparedItem> done_;
};

}  // namespace

absl::Status EmbedAll(const std::vector<WorkItem>& items, const model::Model& model,
                      store::Store& store, const EmbedOptions& options, IndexSummary& summary,
                      ProgressSink& progress) {
  ResultBuffer results;
  BatchCommitter committer(model, store, options.batch_size, summary);
  std::unordered_set<std::string> seen;  // item ids met in this run
  Stopwatch elapsed;
  // Prepared items waiting for the consumer are held in memory: bound how many run ahead.
  const size_t window =
      static_cast<size_t>(std::max(options.batch_size, 4 * std::max(1, options.threads)));
  ProgressState state{.total = static_cast<int64_t>(items.size())};
  {
    // Declared after `results`: on an early return the pool finishes its tasks first.
    ThreadPool pool(options.threads);
    size_t next_submit = 0;
    for (size_t next = 0; next < items.size(); ++next) {
      for (; next_submit < items.size() && next_submit < next + window; ++next_submit) {
        pool.Submit([&, position = next_submit] {
          results.Put(position, PrepareWorkItem(items[position], model, store, options.prep));
        });
      }
      PreparedItem item = results.Take(next);
      XM_RETURN_IF_ERROR(item.fatal);
      summary.stages.prepare += item.seconds;
      const Modality modality = item.record.modality;
      switch (item.outcome) {
        case PreparedItem::Outcome::kFailed:
          XM_RETURN_IF_ERROR(
              RecordFailure(store, summary, modality, item.record.source_uri, item.reason));
          break;
        case PreparedItem::Outcome::kUnchanged:
          seen.insert(item.record.id);
          ++summary.modalities[modality].unchanged;
          break;
        case PreparedItem::Outcome::kReady:
          if (!seen.insert(item.record.id).second) {
            ++summary.modalities[modality].unchanged;
          } else {
            XM_RETURN_IF_ERROR(committer.Add(std::move(item)));
          }
          break;
      }
      state.done = static_cast<int64_t>(next + 1);
      state.failed = summary.failed_total;
      state.elapsed_seconds = elapsed.ElapsedSeconds();
      progress.Items(state);
    }
  }
  XM_RETURN_IF_ERROR(committer.FlushAll());
  state.failed = summary.failed_total;
  state.elapsed_seconds = elapsed.ElapsedSeconds();
  progress.ItemsDone(state);
  return absl::OkStatus();
}

}  // namespace xmodal::indexer
