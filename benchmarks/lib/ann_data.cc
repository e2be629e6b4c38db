#include "benchmarks/lib/ann_data.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/engine/collection.h"
#include "core/index/vector_index.h"

namespace xmodal::bench {
namespace {

void FillGaussian(std::span<float> out, std::mt19937_64& rng, double scale) {
  std::normal_distribution<float> normal(0.0f, static_cast<float>(scale));
  for (float& v : out) v = normal(rng);
}

}  // namespace

int64_t ResolvedClusters(const SyntheticSpec& spec) {
  if (spec.clusters > 0) return spec.clusters;
  return std::clamp<int64_t>(spec.vectors / 50, 1, 1000);
}

absl::StatusOr<AnnData> MakeSyntheticData(const SyntheticSpec& spec) {
  if (spec.vectors < 1 || spec.dim < 1 || spec.queries < 1 || spec.clusters < 0 ||
      !std::isfinite(spec.noise) || spec.noise < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "synthetic data needs vectors, dim and queries >= 1, clusters >= 0 and a finite noise "
        ">= 0; got ",
        spec.vectors, " vectors, dim ", spec.dim, ", ", spec.queries, " queries, ", spec.clusters,
        " clusters, noise ", spec.noise));
  }
  std::mt19937_64 rng(spec.seed);
  const int64_t clusters = ResolvedClusters(spec);
  FloatMatrix centres(clusters, spec.dim);
  FillGaussian(centres.data, rng, 1.0);
  L2NormalizeRows(centres);
  const double point_scale = spec.noise / std::sqrt(static_cast<double>(spec.dim));
  std::uniform_int_distribution<int64_t> pick(0, clusters - 1);
  auto fill = [&](FloatMatrix& m) {
    for (int64_t r = 0; r < m.rows; ++r) {
      std::span<float> row = m.row(r);
      FillGaussian(row, rng, point_scale);
      const auto centre = centres.row(pick(rng));
      for (int c = 0; c < spec.dim; ++c) row[c] += centre[c];
    }
    L2NormalizeRows(m);
  };
  AnnData data{.base = FloatMatrix(spec.vectors, spec.dim),
               .queries = FloatMatrix(spec.queries, spec.dim),
               .source = "synthetic"};
  fill(data.base);
  fill(data.queries);
  return data;
}

absl::StatusOr<AnnData> LoadCollectionData(const std::string& dir, std::optional<Modality> modality,
                                           int64_t queries, uint64_t seed) {
  XM_ASSIGN_OR_RETURN(model::ModelPin pin, engine::Collection::ReadPin(dir));
  XM_ASSIGN_OR_RETURN(
      std::unique_ptr<engine::Collection> collection,
      engine::Collection::Open(dir, pin, {.create_if_missing = false, .read_only = true}));
  const store::Store& store = collection->store();
  if (!modality.has_value()) {
    int64_t best = -1;
    for (const Modality m : kAllModalities) {
      XM_ASSIGN_OR_RETURN(int64_t count, store.CountVectors(m));
      if (count > best) {
        best = count;
        modality = m;
      }
    }
  }
  FloatMatrix all;
  XM_RETURN_IF_ERROR(store.ForEachVector(*modality, [&](const store::VectorRecord& v) {
    all.AppendRow(v.values);
    return absl::OkStatus();
  }));
  if (all.rows == 0) {
    return absl::NotFoundError(
        absl::StrCat("collection '", dir, "' holds no ", ModalityName(*modality), " vectors"));
  }
  if (all.rows <= queries) {
    return absl::InvalidArgumentError(
        absl::StrCat("collection '", dir, "' holds ", all.rows, " ", ModalityName(*modality),
                     " vectors; more than the ", queries, " held out as queries are needed"));
  }
  std::vector<int64_t> order(static_cast<size_t>(all.rows));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  const std::unordered_set<int64_t> held(order.begin(), order.begin() + queries);
  AnnData data{.source = dir, .modality = modality};
  for (int64_t r = 0; r < all.rows; ++r) {
    (held.count(r) > 0 ? data.queries : data.base).AppendRow(all.row(r));
  }
  return data;
}

absl::StatusOr<std::vector<std::vector<int64_t>>> ExactNeighbors(const FloatMatrix& base,
                                                                 const FloatMatrix& queries,
                                                                 int k) {
  XM_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> flat,
                      index::VectorIndex::Create(static_cast<int>(base.cols), "Flat"));
  std::vector<int64_t> ids(static_cast<size_t>(base.rows));
  std::iota(ids.begin(), ids.end(), 0);
  XM_RETURN_IF_ERROR(flat->Add(ids, base));
  XM_ASSIGN_OR_RETURN(auto found, flat->Search(queries, k));
  std::vector<std::vector<int64_t>> out;
  for (const auto& row : found) {
    std::vector<int64_t>& r = out.emplace_back();
    for (const index::Neighbor& n : row) r.push_back(n.id);
  }
  return out;
}

double RecallAtK(const std::vector<std::vector<int64_t>>& found,
                 const std::vector<std::vector<int64_t>>& truth, int k) {
  if (truth.empty()) return 0.0;
  double sum = 0;
  for (size_t q = 0; q < truth.size(); ++q) {
    const size_t kk = std::min<size_t>(static_cast<size_t>(k), truth[q].size());
    if (kk == 0) continue;
    const std::unordered_set<int64_t> want(truth[q].begin(), truth[q].begin() + kk);
    size_t hit = 0;
    if (q < found.size()) {
      for (size_t i = 0; i < std::min(kk, found[q].size()); ++i) hit += want.count(found[q][i]);
    }
    sum += static_cast<double>(hit) / static_cast<double>(kk);
  }
  return std::min(1.0, sum / static_cast<double>(truth.size()));  // no rounding above 1
}

}  // namespace xmodal::bench
