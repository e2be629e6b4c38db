// Wall-clock timing of pipeline stages.
#ifndef XMODAL_CORE_BASE_STOPWATCH_H_
#define XMODAL_CORE_BASE_STOPWATCH_H_

#include <chrono>

namespace xmodal {

// Not thread-safe; one per timed activity.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double ElapsedMillis() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }
  double ElapsedSeconds() const { return ElapsedMillis() / 1000.0; }
  // Returns the milliseconds since the last Lap (or construction) and restarts the count.
  double LapMillis() {
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - start_).count();
    start_ = now;
    return ms;
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace xmodal

#endif  // XMODAL_CORE_BASE_STOPWATCH_H_
