#include "core/index/faiss_index.h"

#include <faiss/IndexHNSW.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_factory.h>
#include <glog/logging.h>

#include <cmath>
#include <exception>
#include <mutex>
#include <optional>
#include <unordered_set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/index/faiss_remove.h"
#include "core/index/faiss_search.h"
#include "core/index/faiss_util.h"
#include "core/index/index_file.h"
#include "core/index/index_threads.h"

namespace xmodal::index {
namespace internal {
namespace {

absl::Status FaissError(absl::StatusCode code, absl::string_view what, const std::exception& e) {
  return absl::Status(code, absl::StrCat(what, ": ", FaissMessage(e)));
}

// NaN or infinite values would silently poison inner products.
absl::Status CheckFinite(const FloatMatrix& m, absl::string_view what) {
  for (int64_t r = 0; r < m.rows; ++r) {
    for (const float v : m.row(r)) {
      if (!std::isfinite(v)) {
        return absl::InvalidArgumentError(
            absl::StrCat(what, " row ", r, " contains NaN or infinity"));
      }
    }
  }
  return absl::OkStatus();
}

faiss::IndexHNSW* HnswOf(faiss::IndexIDMap2* id_map) {
  if (id_map == nullptr) return nullptr;
  return dynamic_cast<faiss::IndexHNSW*>(UnwrapTransforms(id_map->index));
}

}  // namespace

absl::StatusOr<std::unique_ptr<FaissIndex>> FaissIndex::Wrap(std::unique_ptr<faiss::Index> root,
                                                             std::string factory) {
  const bool id_mapped = dynamic_cast<faiss::IndexIDMap2*>(root.get()) != nullptr;
  if (!id_mapped && NativeIvf(root.get()) == nullptr) {
    return absl::InvalidArgumentError(
        "the FAISS index is neither id-mapped nor an IVF index that keeps ids");
  }
  auto index = std::make_unique<FaissIndex>(std::move(root), std::move(factory));
  if (index->native_ != nullptr && !index->native_ids_.Assign(ListIds(*index->native_))) {
    return absl::InvalidArgumentError("the IVF lists hold an id more than once");
  }
  return index;
}

FaissIndex::FaissIndex(std::unique_ptr<faiss::Index> root, std::string factory)
    : dim_(static_cast<int>(root->d)),
      factory_(std::move(factory)),
      root_(std::move(root)),
      id_map_(dynamic_cast<faiss::IndexIDMap2*>(root_.get())),
      native_(id_map_ == nullptr ? NativeIvf(root_.get()) : nullptr) {
  CHECK(id_map_ != nullptr || native_ != nullptr) << "use FaissIndex::Wrap";
  if (faiss::IndexHNSW* hnsw = HnswOf(id_map_)) {
    ef_gate_ = std::make_unique<HnswEfGate>(&hnsw->hnsw);
  }
}

FaissIndex::~FaissIndex() = default;

int64_t FaissIndex::size() const {
  std::shared_lock lock(mu_);
  return root_->ntotal;
}

bool FaissIndex::is_trained() const {
  std::shared_lock lock(mu_);
  return root_->is_trained;
}

bool FaissIndex::Holds(int64_t id) const {
  return id_map_ != nullptr ? id_map_->rev_map.count(id) > 0 : native_ids_.Contains(id);
}

absl::Status FaissIndex::CheckMatrix(const FloatMatrix& m, absl::string_view what) const {
  if (m.rows < 0 || m.cols < 0 || static_cast<int64_t>(m.data.size()) != m.rows * m.cols) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " claims ", m.rows, "x", m.cols, " values but holds ", m.data.size()));
  }
  if (m.rows > 0 && m.cols != dim_) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " are ", m.cols, " wide; the index is ", dim_, " wide"));
  }
  return CheckFinite(m, what);
}

absl::Status FaissIndex::Train(const FloatMatrix& sample) {
  XM_RETURN_IF_ERROR(CheckMatrix(sample, "training vectors"));
  std::unique_lock lock(mu_);
  if (root_->is_trained) return absl::OkStatus();
  if (sample.rows == 0) return absl::InvalidArgumentError("the training sample is empty");
  ApplyIndexThreads();
  try {
    root_->train(sample.rows, sample.data.data());
  } catch (const std::exception& e) {
    return FaissError(absl::StatusCode::kInvalidArgument,
                      absl::StrCat("cannot train '", factory_, "' on ", sample.rows, " vectors"),
                      e);
  }
  return absl::OkStatus();
}

absl::Status FaissIndex::Add(std::span<const int64_t> ids, const FloatMatrix& vectors) {
  if (static_cast<int64_t>(ids.size()) != vectors.rows) {
    return absl::InvalidArgumentError(
        absl::StrCat(ids.size(), " ids for ", vectors.rows, " vectors"));
  }
  XM_RETURN_IF_ERROR(CheckMatrix(vectors, "vectors"));
  if (ids.empty()) return absl::OkStatus();
  std::unique_lock lock(mu_);
  DropInt8Copy();
  if (!root_->is_trained) {
    return absl::FailedPreconditionError(
        absl::StrCat("the '", factory_, "' index must be trained before vectors are added"));
  }
  // A repeated id would desynchronise IndexIDMap2's reverse map or the native id set; -1 means
  // "no result".
  std::unordered_set<int64_t> batch;
  for (const int64_t id : ids) {
    if (id < 0) return absl::InvalidArgumentError(absl::StrCat("vector id ", id, " is negative"));
    if (!batch.insert(id).second || Holds(id)) {
      return absl::InvalidArgumentError(absl::StrCat("vector id ", id, " is already in the index"));
    }
  }
  ApplyIndexThreads();
  try {
    root_->add_with_ids(vectors.rows, vectors.data.data(), ids.data());
    if (native_ != nullptr) TrimLists(*native_);
  } catch (const std::exception& e) {
    // FAISS checks its arguments before it changes anything, so a native index still holds
    // exactly native_ids_.
    return FaissError(absl::StatusCode::kInternal, "cannot add vectors", e);
  }
  if (native_ != nullptr) native_ids_.Insert(ids);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> FaissIndex::Remove(std::span<const int64_t> ids) {
  std::unique_lock lock(mu_);
  DropInt8Copy();
  try {
    if (native_ != nullptr) return RemoveNative(*root_, native_ids_, ids);
    return RemoveFromIdMap(*id_map_, ids, factory_);
  } catch (const std::exception& e) {
    return FaissError(absl::StatusCode::kInternal, "cannot remove vectors", e);
  }
}

absl::StatusOr<std::vector<std::vector<Neighbor>>> FaissIndex::Search(
    const FloatMatrix& queries, int k, const SearchOptions& options) const {
  if (k < 1) return absl::InvalidArgumentError(absl::StrCat("k is ", k, "; it must be >= 1"));
  if (options.nprobe < 1 || options.ef_search < 1) {
    return absl::InvalidArgumentError(absl::StrCat("nprobe (", options.nprobe, ") and ef_search (",
                                                   options.ef_search, ") must be >= 1"));
  }
  XM_RETURN_IF_ERROR(CheckMatrix(queries, "queries"));
  std::shared_lock lock(mu_);
  ApplyIndexThreads();
  try {
    SearchTarget target{.id_map = id_map_,
                        .native = id_map_ == nullptr ? root_.get() : nullptr,
                        .native_ids = &native_ids_,
                        .ef_gate = ef_gate_.get()};
    const std::shared_ptr<const Int8FlatCopy> int8_copy = Int8Copy();
    target.int8_copy = int8_copy.get();
    return SearchIndex(target, queries, k, options);
  } catch (const std::exception& e) {
    return FaissError(absl::StatusCode::kInternal, absl::StrCat("search of '", factory_, "'"), e);
  }
}

std::shared_ptr<const Int8FlatCopy> FaissIndex::Int8Copy() const {
  std::lock_guard lock(int8_mu_);
  if (!int8_built_ && id_map_ != nullptr) {
    int8_copy_ = Int8FlatCopy::BuildFor(*id_map_->index);
  }
  int8_built_ = true;
  return int8_copy_;
}

void FaissIndex::DropInt8Copy() {
  std::lock_guard lock(int8_mu_);
  int8_copy_.reset();
  int8_built_ = false;
}

absl::Status FaissIndex::Save(const std::string& path) const {
  std::shared_lock lock(mu_);
  // The file records hnsw.efSearch, which concurrent searches may be switching.
  std::optional<HnswEfGate::Pass> pass;
  if (ef_gate_ != nullptr) pass.emplace(ef_gate_->Enter(std::nullopt));
  return WriteIndexFile(path, *root_, factory_);
}

}  // namespace internal

absl::StatusOr<std::unique_ptr<VectorIndex>> VectorIndex::Create(int dim,
                                                                 const std::string& factory) {
  if (dim <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("index dimension is ", dim, "; it must be > 0"));
  }
  // Our ids are kept by the IndexIDMap2 wrapped around the index; a second id map inside would
  // refuse plain adds.
  if (absl::StrContains(absl::AsciiStrToLower(factory), "idmap")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "factory string '", factory, "' must not contain IDMap; ids are mapped by xmodal"));
  }
  std::unique_ptr<faiss::Index> inner;
  try {
    inner.reset(faiss::index_factory(dim, factory.c_str(), faiss::METRIC_INNER_PRODUCT));
  } catch (const std::exception& e) {
    return internal::FaissError(absl::StatusCode::kInvalidArgument,
                                absl::StrCat("FAISS rejected factory string '", factory, "'"), e);
  }
  internal::DisablePolysemousTraining(inner.get());
  // IVF indexes keep our ids in their lists; the rest get an id map (faiss_index.h).
  if (internal::NativeIvf(inner.get()) != nullptr) {
    return internal::FaissIndex::Wrap(std::move(inner), factory);
  }
  auto id_map = std::make_unique<faiss::IndexIDMap2>(inner.get());
  inner.release();  // owned by id_map from here on
  id_map->own_fields = true;
  return internal::FaissIndex::Wrap(std::move(id_map), factory);
}

}  // namespace xmodal::index
