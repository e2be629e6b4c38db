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
  // Starting points: rows that come back with fewer than k hits (approximate search, narrow
  // filter) are searched again with these doubled, up to an exhaustive search. Both >= 1.
  int nprobe = 16;     // IVF indexes: lists visited
  int ef_search = 64;  // HNSW indexes: candidate list size (searches wanting different values
                       // take turns: FAISS 1.7.3 reads it from the index, not per call)
  // When set, only these ids may be returned (metadata / source filters).
  const std::vector<int64_t>* allowed_ids = nullptr;
};

// Thread-safety: every method may be called concurrently; Search, Save and the accessors share
// the index, Train / Add / Remove take it exclusively.
class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  // An empty index for `dim`-dimensional vectors from a FAISS factory string ("Flat",
  // "IVF256,Flat", "HNSW32", "IVF1024,PQ32x8", ...), metric inner product. Ids are kept in
  // the inverted lists of IVF-Flat / SQ / PQ indexes (plus a sorted id array: 16 bytes per
  // vector) and by an id map (about 48 bytes per vector) around any other index. INVALID_ARGUMENT
  // for dim <= 0, a string FAISS rejects (its message included) or one containing "IDMap". PQ
  // indexes are created without polysemous training (slow, and only useful for polysemous search,
  // which is never used).
  static absl::StatusOr<std::unique_ptr<VectorIndex>> Create(int dim, const std::string& factory);
  // Reads an index written by Save. NOT_FOUND for a missing file; INVALID_ARGUMENT
  // "'<path>' is not an xmodal index file" (wrong magic) or "corrupt index file: '<path>': ..."
  // (bad header, FAISS cannot read it, trailing bytes).
  static absl::StatusOr<std::unique_ptr<VectorIndex>> Load(const std::string& path);

  virtual int dim() const = 0;
  virtual int64_t size() const = 0;
  virtual const std::string& factory() const = 0;
  virtual bool is_trained() const = 0;

  // Trains (IVF, PQ) on a sample; a no-op for indexes that need no training or are trained.
  // INVALID_ARGUMENT for a width mismatch, NaN / infinite values, an empty sample or too few
  // vectors for the index (FAISS's message).
  virtual absl::Status Train(const FloatMatrix& sample) = 0;
  // Adds vectors with their ids. INVALID_ARGUMENT for mismatched sizes or widths, NaN /
  // infinite values, or an id that is negative, repeated or already in the index;
  // FAILED_PRECONDITION when untrained.
  virtual absl::Status Add(std::span<const int64_t> ids, const FloatMatrix& vectors) = 0;
  // Removes ids (absent ones are ignored); returns how many were removed. Removed ids may be
  // added again. FAILED_PRECONDITION, nothing removed, for indexes that cannot remove (HNSW,
  // and others than flat, PQ/SQ and IVF with in-memory lists).
  virtual absl::StatusOr<int64_t> Remove(std::span<const int64_t> ids) = 0;
  // Top-k per query row, best first; fewer than k when the index holds fewer (no -1 ids are
  // returned). INVALID_ARGUMENT for k < 1, a width mismatch, NaN / infinite values or
  // nprobe / ef_search < 1. Const and safe to call from many threads at once.
  virtual absl::StatusOr<std::vector<std::vector<Neighbor>>> Search(
      const FloatMatrix& queries, int k, const SearchOptions& options = {}) const = 0;
  // Writes the index (factory string included) to `path` as it is, fsynced; the caller
  // publishes it atomically. INTERNAL on I/O errors. Layout in index_file.h.
  virtual absl::Status Save(const std::string& path) const = 0;
};

// The factory string for `count` vectors of `dim` floats: "Flat" below 100,000 vectors,
// otherwise "IVF<nlist>,Flat" (nlist: the power of two nearest 4 * sqrt(count), clamped to
// [256, 65536]) when count * dim * 4 bytes fit `memory_budget_bytes`, else "IVF<nlist>,PQ<m>"
// with m the largest divisor of dim not above dim / 4 (or below that to fit the budget).
// Reasons in choose_factory.cc.
std::string ChooseFactory(int64_t count, int dim, int64_t memory_budget_bytes);

// Sets FAISS's OpenMP thread count for the process (one thread budget, DESIGN.md); < 1 means
// 1. OpenMP keeps the count per thread, so every index call applies it to its calling thread.
void SetIndexThreads(int threads);

}  // namespace xmodal::index

#endif  // XMODAL_CORE_INDEX_VECTOR_INDEX_H_
