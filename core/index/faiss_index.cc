#include "core/index/faiss_index.h"

#include <faiss/impl/FaissException.h>
#include <faiss/index_factory.h>

#include <cmath>
#include <exception>
#include <mutex>
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

}  // namespace

FaissIndex::FaissIndex(std::unique_ptr<faiss::IndexIDMap2> index, std::string factory)
    : dim_(static_cast<int>(index->d)), factory_(std::move(factory)), index_(std::move(index)) {}

FaissIndex::~FaissIndex() = default;

int64_t FaissIndex::size() const {
  std::shared_lock lock(mu_);
  return index_->ntotal;
}

bool FaissIndex::is_trained() const {
  std::shared_lock lock(mu_);
  return index_->is_trained;
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
  if (index_->is_trained) return absl::OkStatus();
  if (sample.rows == 0) return absl::InvalidArgumentError("the training sample is empty");
  ApplyIndexThreads();
  try {
    index_->train(sample.rows, sample.data.data());
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
  if (!index_->is_trained) {
    return absl::FailedPreconditionError(
        absl::StrCat("the '", factory_, "' index must be trained before vectors are added"));
  }
  // A repeated id would desynchronise IndexIDMap2's reverse map; -1 means "no result".
  std::unordered_set<int64_t> batch;
  for (const int64_t id : ids) {
    if (id < 0) return absl::InvalidArgumentError(absl::StrCat("vector id ", id, " is negative"));
    if (!batch.insert(id).second || index_->rev_map.count(id) > 0) {
      return absl::InvalidArgumentError(absl::StrCat("vector id ", id, " is already in the index"));
    }
  }
  ApplyIndexThreads();
  try {
    index_->add_with_ids(vectors.rows, vectors.data.data(), ids.data());
  } catch (const std::exception& e) {
    return FaissError(absl::StatusCode::kInternal, "cannot add vectors", e);
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> FaissIndex::Remove(std::span<const int64_t> ids) {
  std::unique_lock lock(mu_);
  try {
    return RemoveFromIdMap(*index_, ids, factory_);
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
    return SearchIdMap(*index_, queries, k, options);
  } catch (const std::exception& e) {
    return FaissError(absl::StatusCode::kInternal, absl::StrCat("search of '", factory_, "'"), e);
  }
}

absl::Status FaissIndex::Save(const std::string& path) const {
  std::shared_lock lock(mu_);
  return WriteIndexFile(path, *index_, factory_);
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
  auto id_map = std::make_unique<faiss::IndexIDMap2>(inner.get());
  inner.release();  // owned by id_map from here on
  id_map->own_fields = true;
  return std::make_unique<internal::FaissIndex>(std::move(id_map), factory);
}

}  // namespace xmodal::index
