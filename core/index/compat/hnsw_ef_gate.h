// Makes a per-call efSearch take effect on a FAISS 1.7.3 HNSW index. Internal; a workaround for
// FAISS before 1.8.0 (compat/README.md).
//
// What FAISS lacks: 1.7.3 (Debian 12's) accepts SearchParametersHNSW::efSearch but sizes the
// search queue from the index's own hnsw.efSearch (checked: per-call 16 and 256 give the same
// recall; setting the member changes it). FAISS 1.8.0 fixed it ("Used efSearch from params if
// provided in HNSW search", facebookresearch/faiss#3233, in its changelog).
//
// What it does: searches run concurrently under a shared lock, so the member may only change
// while no search (or Save, which writes it to the file) is using the index. The gate admits
// callers in groups that share one efSearch value: a caller wanting the value in effect joins the
// running group unless someone is already waiting for another value; otherwise it waits, and when
// a group drains, the value of the longest-waiting caller is set and every waiter wanting it is
// admitted. So no caller waits for more than the groups queued before it.
//
// Removable with FAISS >= 1.8.0: drop the gate (FaissIndex::ef_gate_, SearchTarget::ef_gate and
// the Enter call in faiss_search.cc); vector_index_test's per-call efSearch test stays as the
// check that FAISS honours the parameter.
//
// Thread-safe. The gate does not own the HNSW structure.
#ifndef XMODAL_CORE_INDEX_COMPAT_HNSW_EF_GATE_H_
#define XMODAL_CORE_INDEX_COMPAT_HNSW_EF_GATE_H_

#include <faiss/impl/HNSW.h>

#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>

#include "absl/base/thread_annotations.h"

namespace xmodal::index::internal {

class HnswEfGate {
 public:
  // `hnsw` must outlive the gate; its efSearch is only written by the gate from now on.
  explicit HnswEfGate(faiss::HNSW* hnsw);
  HnswEfGate(const HnswEfGate&) = delete;
  HnswEfGate& operator=(const HnswEfGate&) = delete;

  // Leaves the gate when destroyed.
  class Pass {
   public:
    Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Pass& operator=(Pass&&) = delete;
    ~Pass();

   private:
    friend class HnswEfGate;
    explicit Pass(HnswEfGate* gate) : gate_(gate) {}
    HnswEfGate* gate_;
  };

  // Blocks until hnsw.efSearch == ef can hold for the caller, and holds it until the Pass goes.
  // nullopt: any value (for readers that do not search).
  [[nodiscard]] Pass Enter(std::optional<int> ef);

  // The value in effect (for tests).
  int current() const;

 private:
  struct Waiter {
    int ef;
    uint64_t epoch;  // switches that had happened when it began waiting
  };
  void Leave();

  faiss::HNSW* const hnsw_;
  mutable std::mutex mu_;
  std::condition_variable switched_;
  int current_ ABSL_GUARDED_BY(mu_);
  int active_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
  std::list<Waiter> waiting_ ABSL_GUARDED_BY(mu_);  // in arrival order
};

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_COMPAT_HNSW_EF_GATE_H_
