// The FAISS configurations an ANN comparison sweeps: factory strings with the search knob
// (IVF nprobe, HNSW efSearch) and its values, and optional exact re-ranking ("refine").
#ifndef XMODAL_BENCHMARKS_LIB_ANN_CONFIGS_H_
#define XMODAL_BENCHMARKS_LIB_ANN_CONFIGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmodal::bench {

enum class AnnKnob { kNone, kNprobe, kEfSearch };

struct AnnConfig {
  std::string factory;  // as VectorIndex::Create takes it
  AnnKnob knob = AnnKnob::kNone;
  std::vector<int> values;  // the knob's sweep; {0} for kNone
  // > 0: ask the index for k * refine candidates and re-rank them by exact inner product with
  // the raw vectors (which xmodal keeps in RocksDB), so the index itself may hold small codes.
  std::vector<int> refines = {0};
};

// The IVF list count for `n` vectors: the power of two nearest 4 * sqrt(n), at most n / 39
// (FAISS's minimum training points per list) rounded down to a power of two, within [1, 65536].
int IvfListsFor(int64_t n);

// The knob a factory string's index has (HNSW: efSearch, IVF: nprobe, else none) and the
// default sweep: efSearch 16..128, nprobe 1..128 (doubling, at most the list count).
AnnConfig ConfigFor(const std::string& factory);

// The default comparison for n vectors of dim floats: Flat (exact), IVF<nlist>,Flat, HNSW32,
// IVF<nlist>,SQ8 and, when n >= 1000, IVF<nlist>,PQ<dim/8> (one byte per 8 dims, or the
// nearest smaller divisor of dim), plain and refined x10. Wider PQ codes (PQ<dim/4>) train
// several times longer on 2 cores and are left to --configs, as is 4-bit fast-scan PQ
// ("PQ32x4fs"), which FAISS 1.7.3 cannot search with per-call parameters (VectorIndex's way).
std::vector<AnnConfig> DefaultAnnConfigs(int64_t n, int dim);

// Parses a ';'-separated list of factory strings ("Flat;HNSW32;IVF1024,PQ32"), each with the
// default knob sweep; an entry may end in "+refine<R>" to re-rank x R ("IVF1024,PQ32+refine10").
// INVALID_ARGUMENT for an empty list or entry, or a refine factor outside 1..100.
absl::StatusOr<std::vector<AnnConfig>> ParseAnnConfigs(absl::string_view text);

// "nprobe", "ef_search" or "".
std::string KnobName(AnnKnob knob);

}  // namespace xmodal::bench

#endif  // XMODAL_BENCHMARKS_LIB_ANN_CONFIGS_H_
