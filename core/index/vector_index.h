// A FAISS index over L2-normalised vectors, searched by inner product (cosine), with the
// caller's 64-bit ids. The only module that includes FAISS headers.
#ifndef XMODAL_CORE_INDEX_VECTOR_INDEX_H_
#define XMODAL_CORE_INDEX_VECTOR_INDEX_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/base/float_matrix.h"

namespace xmodal::index {

struct Neighbor {
  int64_t id = -1;
  float score = 0.0f;  // inner product; cosine similarity for unit vectors
};

struct SearchOptions {
  int nprobe = 16;     // IVF indexes: lists visited
  int ef_search = 64;  // HNSW indexes: candidate list size
  // When set, only these ids may be returned (metadata / source filters).
  const std::vector<int64_t>* allowed_ids = nullptr;
};

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  // An empty index for `dim`-dimensional vectors from a FAISS factory string ("Flat",
  // "IVF256,Flat", "HNSW32", "IVF1024,PQ32x8", ...), metric inner product, ids kept by an
  // id map. INVALID_ARGUMENT for dim <= 0 or a string FAISS rejects (its message included).
  static absl::StatusOr<std::unique_ptr<VectorIndex>> Create(int dim,
                                                            const std::string& factory);
  // Reads an index written by Save. NOT_FOUND / INVALID_ARGUMENT (corrupt file).
  static absl::StatusOr<std::unique_ptr<VectorIndex>> Load(const std::string& path);

  virtual int dim() const = 0;
  virtual int64_t size() const = 0;
  virtual const std::string& factory() const = 0;
  virtual bool is_trained() const = 0;

  // Trains (IVF, PQ) on a sample; a no-op for indexes that need no training.
  // INVALID_ARGUMENT for a width mismatch or too few vectors for the index (FAISS's message).
  virtual absl::Status Train(const FloatMatrix& sample) = 0;
  // Adds vectors with their ids. INVALID_ARGUMENT for mismatched sizes or widths,
  // FAILED_PRECONDITION when untrained.
  virtual absl::Status Add(std::span<const int64_t> ids, const FloatMatrix& vectors) = 0;
  // Removes ids (absent ones are ignored); returns how many were removed.
  virtual absl::StatusOr<int64_t> Remove(std::span<const int64_t> ids) = 0;
  // Top-k per query row, best first; fewer than k when the index holds fewer (no -1 ids are
  // returned). INVALID_ARGUMENT for k < 1 or a width mismatch. Const and safe to call from
  // many threads at once.
  virtual absl::StatusOr<std::vector<std::vector<Neighbor>>> Search(
      const FloatMatrix& queries, int k, const SearchOptions& options = {}) const = 0;
  // Writes the index (factory string included) to `path` as it is; the caller publishes it
  // atomically. INTERNAL on I/O errors.
  virtual absl::Status Save(const std::string& path) const = 0;
};

// The factory string for `count` vectors of `dim` floats: "Flat" below 100,000 vectors,
// otherwise IVF (sqrt-scaled lists) with flat codes when they fit `memory_budget_bytes`, else
// with PQ codes.
std::string ChooseFactory(int64_t count, int dim, int64_t memory_budget_bytes);

// Sets FAISS's OpenMP thread count for the process (one thread budget, DESIGN.md).
void SetIndexThreads(int threads);

}  // namespace xmodal::index

#endif  // XMODAL_CORE_INDEX_VECTOR_INDEX_H_
