#include "core/index/index_threads.h"

#include <omp.h>

#include <atomic>

#include "core/index/vector_index.h"

namespace xmodal::index {
namespace {

std::atomic<int> g_index_threads{0};  // 0: never set, OpenMP's default applies

}  // namespace

void SetIndexThreads(int threads) {
  if (threads < 1) threads = 1;
  g_index_threads.store(threads, std::memory_order_relaxed);
  omp_set_num_threads(threads);
}

namespace internal {

void ApplyIndexThreads() {
  const int threads = g_index_threads.load(std::memory_order_relaxed);
  if (threads > 0 && omp_get_max_threads() != threads) omp_set_num_threads(threads);
}

}  // namespace internal
}  // namespace xmodal::index
