// Progress reporting of an indexing run: an interface the pipeline calls, a terminal
// implementation (a redrawn bar on a TTY, a periodic log line otherwise) and a null sink.
#ifndef XMODAL_INDEXER_PROGRESS_H_
#define XMODAL_INDEXER_PROGRESS_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "core/base/modality.h"
#include "core/base/stopwatch.h"

namespace xmodal::indexer {

struct ProgressState {
  int64_t done = 0;   // work items finished: indexed, unchanged or failed
  int64_t total = 0;  // work items enumerated
  int64_t failed = 0;
  double elapsed_seconds = 0.0;
};

// The pipeline calls these from one thread at a time, in order: Items repeatedly, ItemsDone
// once, then IndexBuild for each index it builds (nothing when it publishes nothing).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void Items(const ProgressState& state) = 0;
  virtual void ItemsDone(const ProgressState& state) = 0;
  // `done` of `total` vectors of `modality` read into the index being built.
  virtual void IndexBuild(Modality modality, int64_t done, int64_t total) = 0;
};

class NullProgress : public ProgressSink {
 public:
  void Items(const ProgressState&) override {}
  void ItemsDone(const ProgressState&) override {}
  void IndexBuild(Modality, int64_t, int64_t) override {}
};

// "[#########...........] 420/960  35.1 items/s  ETA 0:15  failed 2" (`bar_width` cells).
std::string FormatProgressLine(const ProgressState& state, int bar_width = 20);
// "0:15", "12:03", "1:02:03"; "?" for a negative or non-finite value.
std::string FormatEta(double seconds);

// Writes to `out` (not owned; stderr by default). On a TTY it redraws one line at most ten
// times a second; otherwise it writes a plain line at most every `log_interval_seconds`.
// ItemsDone and the last IndexBuild call of an index (done == total) always write, and end
// the redrawn line on a TTY; IndexBuild with total 0 writes nothing. Thread-safe.
class TerminalProgress : public ProgressSink {
 public:
  TerminalProgress(std::FILE* out, bool is_tty, double log_interval_seconds = 5.0);
  // For stderr, with is_tty from isatty(2).
  static std::unique_ptr<TerminalProgress> ForStderr();

  void Items(const ProgressState& state) override;
  void ItemsDone(const ProgressState& state) override;
  void IndexBuild(Modality modality, int64_t done, int64_t total) override;

 private:
  // Writes `line` unless the last write was under the interval ago (`final` writes always
  // and ends the line on a TTY).
  void Emit(const std::string& line, bool final) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::FILE* const out_;
  const bool is_tty_;
  const double interval_seconds_;
  std::mutex mu_;
  Stopwatch since_last_ ABSL_GUARDED_BY(mu_);
  bool emitted_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace xmodal::indexer

#endif  // XMODAL_INDEXER_PROGRESS_H_
