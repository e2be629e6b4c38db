#include "core/engine/searcher.h"

#include <glog/logging.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/engine/hit_merge.h"
#include "core/engine/item_content.h"
#include "core/engine/query_encoding.h"
#include "core/engine/query_plan.h"
#include "core/engine/search_filter.h"
#include "core/engine/snapshot.h"

namespace xmodal::engine {

Searcher::Searcher(std::string dir, std::shared_ptr<const model::Model> model, SearchLimits limits)
    : dir_(std::move(dir)), model_(std::move(model)), limits_(limits) {}

Searcher::~Searcher() = default;

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(const std::string& collection_dir,
                                                         std::shared_ptr<const model::Model> model,
                                                         const SearchLimits& limits) {
  XM_ASSIGN_OR_RETURN(model::ModelPin pin, Collection::ReadPin(collection_dir));
  if (!(pin == model->pin())) {
    return absl::FailedPreconditionError(
        absl::StrCat("collection '", collection_dir, "' was built with model ", pin.ToString(),
                     "; the server was given model ", model->pin().ToString()));
  }
  std::unique_ptr<Searcher> searcher(new Searcher(collection_dir, std::move(model), limits));
  XM_ASSIGN_OR_RETURN(bool loaded, searcher->Reload());
  if (!loaded) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collection '", collection_dir, "' has no published index yet; run xmodal-index first"));
  }
  return searcher;
}

std::shared_ptr<const Searcher::Snapshot> Searcher::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snapshot_;
}

int64_t Searcher::generation() const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  return snap ? snap->manifest.generation : 0;
}

absl::StatusOr<bool> Searcher::Reload() {
  // A publish may delete the generation we just read about; one re-read picks up the newer one.
  for (int attempt = 0;; ++attempt) {
    XM_ASSIGN_OR_RETURN(CollectionManifest manifest, Collection::ReadManifest(dir_));
    if (manifest.generation == 0 || manifest.generation <= generation()) return false;
    absl::StatusOr<std::shared_ptr<const Snapshot>> loaded = Snapshot::Load(dir_, manifest);
    if (absl::IsNotFound(loaded.status()) && attempt == 0) continue;
    if (!loaded.ok()) return loaded.status();
    std::lock_guard<std::mutex> lock(mu_);
    snapshot_ = *std::move(loaded);
    return true;
  }
}

absl::StatusOr<SearchResult> Searcher::Search(const Query& query,
                                              const CancelCheck& cancelled) const {
  const Query* queries[] = {&query};
  const CancelCheck checks[] = {cancelled};
  return std::move(SearchBatch(queries, checks).front());
}

namespace {

// Searches `idx` for every unfiltered query of the batch that targets `modality` at once (one
// pass over the index for all of them), and each filtered one alone.
void SearchIndexForBatch(const Searcher::Snapshot& snap, Modality modality,
                         const index::VectorIndex& idx, std::vector<QueryPlan>& batch) {
  FloatMatrix stacked;
  std::vector<std::pair<QueryPlan*, int64_t>> stacked_from;  // query, its first row
  int stacked_fetch = 0;
  for (QueryPlan& q : batch) {
    if (!q.status.ok() || !q.Targets(modality)) continue;
    if (!q.filtered) {
      stacked_from.emplace_back(&q, stacked.rows);
      for (int64_t r = 0; r < q.encoded.vectors.rows; ++r) {
        stacked.AppendRow(q.encoded.vectors.row(r));
      }
      stacked_fetch = std::max(stacked_fetch, q.Fetch(modality));
      continue;
    }
    index::SearchOptions options;
    options.allowed_ids = &q.allowed[modality];
    if (options.allowed_ids->empty()) continue;
    absl::StatusOr<std::vector<std::vector<index::Neighbor>>> neighbors =
        idx.Search(q.encoded.vectors, q.Fetch(modality), options);
    if (!neighbors.ok()) {
      q.status = neighbors.status();
      continue;
    }
    for (const std::vector<index::Neighbor>& row : *neighbors) {
      q.merge.Add(row, q.Fetch(modality), snap.vectors, snap.item_ids, q.encoded.item_id);
    }
  }
  if (stacked_from.empty()) return;
  absl::StatusOr<std::vector<std::vector<index::Neighbor>>> neighbors =
      idx.Search(stacked, stacked_fetch);
  for (const auto& [q, first_row] : stacked_from) {
    if (!neighbors.ok()) {
      q->status = neighbors.status();
      continue;
    }
    for (int64_t r = 0; r < q->encoded.vectors.rows; ++r) {
      q->merge.Add((*neighbors)[static_cast<size_t>(first_row + r)], q->Fetch(modality),
                   snap.vectors, snap.item_ids, q->encoded.item_id);
    }
  }
}

// The k best items of `q`, best first, with their records.
absl::Status RankAndFetch(const Searcher::Snapshot& snap, QueryPlan& q) {
  const std::vector<Candidate> ranked = q.merge.Ranked(snap.item_ids, q.query->k);
  XM_RETURN_IF_ERROR(CheckCancelled(*q.cancelled, "search"));
  Stopwatch watch;
  for (const Candidate& c : ranked) {
    const std::string& item_id = snap.item_ids[c.ref.item];
    XM_ASSIGN_OR_RETURN(std::optional<store::ItemRecord> item, snap.store->GetItem(item_id));
    if (!item.has_value()) {
      return absl::DataLossError(
          absl::StrCat("index names item '", item_id, "' which the store does not have"));
    }
    q.result.hits.push_back(Hit{std::move(*item), c.score, c.ref.start_seconds, c.ref.end_seconds});
  }
  q.result.timings.fetch_ms = watch.LapMillis();
  return absl::OkStatus();
}

}  // namespace

std::vector<absl::StatusOr<SearchResult>> Searcher::SearchBatch(
    std::span<const Query* const> queries, std::span<const CancelCheck> cancelled) const {
  CHECK(cancelled.empty() || cancelled.size() == queries.size())
      << queries.size() << " queries, " << cancelled.size() << " cancel checks";
  static const CancelCheck kNeverCancelled;
  std::shared_ptr<const Snapshot> snap = snapshot();
  std::vector<QueryPlan> batch(queries.size());
  std::vector<const QueryInput*> inputs;
  std::vector<QueryPlan*> encoding;  // the queries of `inputs`, in order
  for (size_t i = 0; i < queries.size(); ++i) {
    QueryPlan& q = batch[i];
    q.query = queries[i];
    q.cancelled = cancelled.empty() ? &kNeverCancelled : &cancelled[i];
    q.result.generation = snap->manifest.generation;
    q.status = ValidateQuery(*q.query, *model_, limits_);
    if (q.status.ok()) q.status = CheckCancelled(*q.cancelled, "waiting to be searched");
    if (!q.status.ok()) continue;
    inputs.push_back(&q.query->input);
    encoding.push_back(&q);
  }
  std::vector<absl::StatusOr<EncodedQuery>> encoded =
      EncodeQueries(inputs, *model_, *snap->store, limits_);
  for (size_t i = 0; i < encoding.size(); ++i) {
    QueryPlan& q = *encoding[i];
    if (!encoded[i].ok()) {
      q.status = encoded[i].status();
      continue;
    }
    q.encoded = *std::move(encoded[i]);
    q.result.timings.decode_ms = q.encoded.decode_ms;
    q.result.timings.encode_ms = q.encoded.encode_ms;
    q.status = CheckCancelled(*q.cancelled, "encode");
    if (!q.status.ok()) continue;
    q.filtered = HasFilters(*q.query);
    if (q.filtered) {
      absl::StatusOr<AllowedVectors> allowed = CollectAllowedVectors(*snap->store, *q.query);
      if (allowed.ok()) {
        q.allowed = *std::move(allowed);
      } else {
        q.status = allowed.status();
      }
    }
  }

  Stopwatch watch;
  for (const auto& [modality, idx] : snap->indexes) {
    SearchIndexForBatch(*snap, modality, *idx, batch);
  }
  const double search_ms = watch.LapMillis();

  std::vector<absl::StatusOr<SearchResult>> results;
  results.reserve(batch.size());
  for (QueryPlan& q : batch) {
    if (q.status.ok()) {
      q.result.timings.search_ms = search_ms;
      q.status = RankAndFetch(*snap, q);
    }
    if (q.status.ok()) {
      results.push_back(std::move(q.result));
    } else {
      results.push_back(q.status);
    }
  }
  return results;
}

absl::StatusOr<Embedding> Searcher::Embed(const QueryInput& input) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  XM_ASSIGN_OR_RETURN(EncodedQuery encoded, EncodeQuery(input, *model_, *snap->store, limits_));
  Embedding out;
  out.vectors = std::move(encoded.vectors);
  out.segments = std::move(encoded.segments);
  out.timings.decode_ms = encoded.decode_ms;
  out.timings.encode_ms = encoded.encode_ms;
  return out;
}

absl::StatusOr<ItemWithBytes> Searcher::GetItem(const std::string& item_id, bool with_bytes) const {
  if (item_id.empty()) return absl::InvalidArgumentError("item_id is empty");
  std::shared_ptr<const Snapshot> snap = snapshot();
  XM_ASSIGN_OR_RETURN(std::optional<store::ItemRecord> item, snap->store->GetItem(item_id));
  if (!item.has_value())
    return absl::NotFoundError(absl::StrCat("no item with id '", item_id, "'"));
  ItemWithBytes out{std::move(*item), ""};
  if (!with_bytes) return out;
  XM_ASSIGN_OR_RETURN(out.bytes, ReadItemContent(out.item, limits_.max_item_bytes));
  return out;
}

CollectionInfo Searcher::GetInfo() const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  CollectionInfo info;
  info.pin = model_->pin();
  info.generation = snap->manifest.generation;
  info.published_unix_seconds = snap->manifest.published_unix_seconds;
  for (const PublishedIndex& idx : snap->manifest.indexes) {
    info.vectors[idx.modality] = idx.vectors;
    info.factories[idx.modality] = idx.factory;
    absl::StatusOr<int64_t> items = snap->store->CountItems(idx.modality);
    if (items.ok()) {
      info.items[idx.modality] = *items;
    } else {
      LOG(WARNING) << "cannot count items: " << items.status();
    }
  }
  return info;
}

}  // namespace xmodal::engine
