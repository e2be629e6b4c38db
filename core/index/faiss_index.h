// VectorIndex on FAISS. Internal to the index module (VectorIndex::Create / Load return it).
// Our ids are kept in one of two ways:
//   - natively by IVF indexes that can (native_ids.h): ids in the inverted lists plus a sorted
//     id array, 16 bytes per vector in all;
//   - by a faiss::IndexIDMap2 around every other index (about 48 bytes per vector).
// HNSW indexes get their efSearch through an HnswEfGate (hnsw_ef_gate.h).
//
// Thread-safety: Search, Save and the accessors take a shared lock and may run concurrently;
// Train, Add and Remove take it exclusively, so they are also safe to call at any time.
#ifndef XMODAL_CORE_INDEX_FAISS_INDEX_H_
#define XMODAL_CORE_INDEX_FAISS_INDEX_H_

#include <faiss/IndexIDMap.h>

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "core/index/compat/hnsw_ef_gate.h"
#include "core/index/int8_flat_copy.h"
#include "core/index/native_ids.h"
#include "core/index/vector_index.h"

namespace xmodal::index::internal {

class FaissIndex final : public VectorIndex {
 public:
  // `root` owns everything under it: an IndexIDMap2 with own_fields set, or an index for which
  // NativeIvf holds. `factory` is what built it. INVALID_ARGUMENT when `root` is neither, or
  // when a native IVF's lists repeat an id (a corrupt file).
  static absl::StatusOr<std::unique_ptr<FaissIndex>> Wrap(std::unique_ptr<faiss::Index> root,
                                                          std::string factory);
  ~FaissIndex() override;

  int dim() const override { return dim_; }
  int64_t size() const override;
  const std::string& factory() const override { return factory_; }
  bool is_trained() const override;

  absl::Status Train(const FloatMatrix& sample) override;
  absl::Status Add(std::span<const int64_t> ids, const FloatMatrix& vectors) override;
  absl::StatusOr<int64_t> Remove(std::span<const int64_t> ids) override;
  absl::StatusOr<std::vector<std::vector<Neighbor>>> Search(
      const FloatMatrix& queries, int k, const SearchOptions& options) const override;
  absl::Status Save(const std::string& path) const override;

  // Constructed only by Wrap.
  FaissIndex(std::unique_ptr<faiss::Index> root, std::string factory);

 private:
  absl::Status CheckMatrix(const FloatMatrix& m, absl::string_view what) const;
  bool Holds(int64_t id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const int dim_;
  const std::string factory_;
  mutable std::shared_mutex mu_;
  const std::unique_ptr<faiss::Index> root_ ABSL_GUARDED_BY(mu_);
  faiss::IndexIDMap2* const id_map_;  // root_ in id-map mode, else null
  faiss::IndexIVF* const native_;     // the IVF under root_ in native mode, else null
  SortedIds native_ids_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<HnswEfGate> ef_gate_;  // HNSW indexes only

  // The int8 copy of a large flat inner-product index (int8_flat_copy.h): built by the first
  // search after a change (under a shared lock of mu_, so it has its own mutex), dropped by Add
  // and Remove.
  std::shared_ptr<const Int8FlatCopy> Int8Copy() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  void DropInt8Copy() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  mutable std::mutex int8_mu_;
  mutable bool int8_built_ ABSL_GUARDED_BY(int8_mu_) = false;
  mutable std::shared_ptr<const Int8FlatCopy> int8_copy_ ABSL_GUARDED_BY(int8_mu_);
};

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_FAISS_INDEX_H_
