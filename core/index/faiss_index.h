// VectorIndex on FAISS: a factory-made index inside a faiss::IndexIDMap2 that keeps our ids.
// Internal to the index module (VectorIndex::Create / Load return it).
//
// Thread-safety: Search, Save and the accessors take a shared lock and may run concurrently;
// Train, Add and Remove take it exclusively, so they are also safe to call at any time.
#ifndef XMODAL_CORE_INDEX_FAISS_INDEX_H_
#define XMODAL_CORE_INDEX_FAISS_INDEX_H_

#include <faiss/IndexIDMap.h>

#include <memory>
#include <shared_mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "core/index/vector_index.h"

namespace xmodal::index::internal {

class FaissIndex final : public VectorIndex {
 public:
  // Takes an id map that owns its inner index (own_fields set); `factory` is what built it.
  FaissIndex(std::unique_ptr<faiss::IndexIDMap2> index, std::string factory);
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

 private:
  absl::Status CheckMatrix(const FloatMatrix& m, absl::string_view what) const;

  const int dim_;
  const std::string factory_;
  mutable std::shared_mutex mu_;
  std::unique_ptr<faiss::IndexIDMap2> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace xmodal::index::internal

#endif  // XMODAL_CORE_INDEX_FAISS_INDEX_H_
