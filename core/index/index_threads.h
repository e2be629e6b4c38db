// The process-wide FAISS thread budget (SetIndexThreads in vector_index.h). Internal.
//
// OpenMP keeps its thread count per calling thread: omp_set_num_threads in main() does not
// reach the gRPC handler threads that later run searches (they would use every core). So the
// budget is remembered here and applied on the calling thread before each FAISS call.
#ifndef XMODAL_CORE_INDEX_INDEX_THREADS_H_
#define XMODAL_CORE_INDEX_INDEX_THREADS_H_

namespace xmodal::index::internal {

// Sets the calling thread's OpenMP thread count to the budget, if one was set. Thread-safe.
void ApplyIndexThreads();

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_INDEX_THREADS_H_
