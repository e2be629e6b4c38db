#include "indexer/progress.h"

#include <unistd.h>

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace xmodal::indexer {

std::string FormatEta(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const int64_t s = static_cast<int64_t>(std::llround(seconds));
  if (s >= 3600) return absl::StrFormat("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

std::string FormatProgressLine(const ProgressState& state, int bar_width) {
  const double fraction =
      state.total > 0 ? std::min(1.0, static_cast<double>(state.done) / state.total) : 1.0;
  const int filled = static_cast<int>(std::lround(fraction * bar_width));
  const double rate = state.elapsed_seconds > 0 ? state.done / state.elapsed_seconds : 0.0;
  const double eta = rate > 0 ? (state.total - state.done) / rate : -1.0;
  return absl::StrFormat("[%s%s] %d/%d  %.1f items/s  ETA %s  failed %d", std::string(filled, '#'),
                         std::string(bar_width - filled, '.'), state.done, state.total, rate,
                         FormatEta(eta), state.failed);
}

TerminalProgress::TerminalProgress(std::FILE* out, bool is_tty, double log_interval_seconds)
    : out_(out), is_tty_(is_tty), interval_seconds_(is_tty ? 0.1 : log_interval_seconds) {}

std::unique_ptr<TerminalProgress> TerminalProgress::ForStderr() {
  return std::make_unique<TerminalProgress>(stderr, ::isatty(STDERR_FILENO) == 1);
}

void TerminalProgress::Emit(const std::string& line, bool final) {
  if (!final && emitted_ && since_last_.ElapsedSeconds() < interval_seconds_) return;
  since_last_.LapMillis();
  emitted_ = true;
  // TTY: carriage return, the line, then clear what a longer previous line left behind.
  const std::string text =
      is_tty_ ? absl::StrCat("\r", line, "\x1b[K", final ? "\n" : "") : absl::StrCat(line, "\n");
  std::fputs(text.c_str(), out_);
  std::fflush(out_);
}

void TerminalProgress::Items(const ProgressState& state) {
  std::lock_guard<std::mutex> lock(mu_);
  Emit(absl::StrCat(is_tty_ ? "" : "indexing: ", FormatProgressLine(state)), /*final=*/false);
}

void TerminalProgress::ItemsDone(const ProgressState& state) {
  std::lock_guard<std::mutex> lock(mu_);
  Emit(absl::StrCat(is_tty_ ? "" : "indexed: ", FormatProgressLine(state)), /*final=*/true);
}

void TerminalProgress::IndexBuild(Modality modality, int64_t done, int64_t total) {
  if (total <= 0) return;  // a modality without vectors gets no index
  std::lock_guard<std::mutex> lock(mu_);
  Emit(absl::StrCat("building the ", ModalityName(modality), " index: ", done, "/", total,
                    " vectors"),
       /*final=*/done >= total);
}

}  // namespace xmodal::indexer
