#include "core/engine/searcher.h"

#include <glog/logging.h>

#include <algorithm>
#include <unordered_map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/engine/query_encoding.h"
#include "core/engine/snapshot.h"

namespace xmodal::engine {
namespace {

// Audio items hold one vector per segment, so more neighbours are fetched to still find k
// distinct items after keeping each item's best segment.
constexpr int kAudioOverfetch = 4;

absl::Status CheckCancelled(const CancelCheck& cancelled, absl::string_view stage) {
  if (cancelled && cancelled()) {
    return absl::CancelledError(
        absl::StrCat("request cancelled or past its deadline (after ", stage, ")"));
  }
  return absl::OkStatus();
}

bool Matches(const store::ItemRecord& item, const Query& query) {
  if (!absl::StartsWith(item.source_uri, query.source_prefix)) return false;
  for (const auto& [key, value] : query.metadata_equals) {
    auto it = item.metadata.find(key);
    if (it == item.metadata.end() || it->second != value) return false;
  }
  return true;
}

// The vector ids of items that pass the query's filters, per modality.
absl::StatusOr<std::map<Modality, std::vector<int64_t>>> AllowedVectors(const store::Store& store,
                                                                        const Query& query) {
  std::map<Modality, std::vector<int64_t>> allowed;
  XM_RETURN_IF_ERROR(store.ForEachItem([&](const store::ItemRecord& item) {
    if (Matches(item, query)) {
      std::vector<int64_t>& ids = allowed[item.modality];
      ids.insert(ids.end(), item.vector_ids.begin(), item.vector_ids.end());
    }
    return absl::OkStatus();
  }));
  for (auto& [m, ids] : allowed) std::sort(ids.begin(), ids.end());
  return allowed;
}

struct Candidate {
  float score = 0.0f;
  VectorRef ref;
};

}  // namespace

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

absl::Status Searcher::CheckQuery(const Query& query) const {
  if (query.k < 1 || query.k > limits_.max_k) {
    return absl::InvalidArgumentError(
        absl::StrCat("k must be between 1 and ", limits_.max_k, ", got ", query.k));
  }
  for (Modality m : query.targets) {
    if (!model_->Supports(m)) {
      return absl::InvalidArgumentError(absl::StrCat("target modality '", ModalityName(m),
                                                     "' is not encoded by model '",
                                                     model_->pin().name, "'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SearchResult> Searcher::Search(const Query& query,
                                              const CancelCheck& cancelled) const {
  const Query* queries[] = {&query};
  const CancelCheck checks[] = {cancelled};
  return std::move(SearchBatch(queries, checks).front());
}

namespace {

// One query of a batch on its way through the stages; `status` is its first error.
struct BatchQuery {
  const Query* query = nullptr;
  const CancelCheck* cancelled = nullptr;
  absl::Status status;
  EncodedQuery encoded;
  bool filtered = false;
  std::map<Modality, std::vector<int64_t>> allowed;  // filtered queries only
  std::unordered_map<int32_t, Candidate> best;       // per item
  SearchResult result;

  bool Targets(Modality modality) const {
    return query->targets.empty() || std::find(query->targets.begin(), query->targets.end(),
                                               modality) != query->targets.end();
  }
  // Neighbours asked of `modality`'s index.
  int Fetch(Modality modality) const {
    return query->k * (modality == Modality::kAudio ? kAudioOverfetch : 1) +
           static_cast<int>(encoded.vectors.rows);
  }
};

// Keeps each item's best neighbour among the first `fetch` of `row`, leaving out the query item.
void MergeRow(const Searcher::Snapshot& snap, const std::vector<index::Neighbor>& row, int fetch,
              BatchQuery& q) {
  const size_t count = std::min(row.size(), static_cast<size_t>(fetch));
  for (size_t i = 0; i < count; ++i) {
    const index::Neighbor& n = row[i];
    auto ref = snap.vectors.find(n.id);
    if (ref == snap.vectors.end()) continue;
    if (snap.item_ids[ref->second.item] == q.encoded.item_id) continue;
    Candidate& c = q.best.try_emplace(ref->second.item, Candidate{-1e30f, {}}).first->second;
    if (n.score > c.score) c = Candidate{n.score, ref->second};
  }
}

// Searches `idx` for every unfiltered query of the batch that targets `modality` at once (one
// pass over the index for all of them), and each filtered one alone.
void SearchIndexForBatch(const Searcher::Snapshot& snap, Modality modality,
                         const index::VectorIndex& idx, std::vector<BatchQuery>& batch) {
  FloatMatrix stacked;
  std::vector<std::pair<BatchQuery*, int64_t>> stacked_from;  // query, its first row
  int stacked_fetch = 0;
  for (BatchQuery& q : batch) {
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
      MergeRow(snap, row, q.Fetch(modality), q);
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
      MergeRow(snap, (*neighbors)[static_cast<size_t>(first_row + r)], q->Fetch(modality), *q);
    }
  }
}

// The k best items of `q`, best first, with their records.
absl::Status RankAndFetch(const Searcher::Snapshot& snap, BatchQuery& q) {
  std::vector<Candidate> ranked;
  ranked.reserve(q.best.size());
  for (const auto& [item, c] : q.best) ranked.push_back(c);
  std::sort(ranked.begin(), ranked.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return snap.item_ids[a.ref.item] < snap.item_ids[b.ref.item];
  });
  if (static_cast<int>(ranked.size()) > q.query->k) ranked.resize(q.query->k);
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
  std::vector<BatchQuery> batch(queries.size());
  std::vector<const QueryInput*> inputs;
  std::vector<BatchQuery*> encoding;  // the queries of `inputs`, in order
  for (size_t i = 0; i < queries.size(); ++i) {
    BatchQuery& q = batch[i];
    q.query = queries[i];
    q.cancelled = cancelled.empty() ? &kNeverCancelled : &cancelled[i];
    q.result.generation = snap->manifest.generation;
    q.status = CheckQuery(*q.query);
    if (q.status.ok()) q.status = CheckCancelled(*q.cancelled, "waiting to be searched");
    if (!q.status.ok()) continue;
    inputs.push_back(&q.query->input);
    encoding.push_back(&q);
  }
  std::vector<absl::StatusOr<EncodedQuery>> encoded =
      EncodeQueries(inputs, *model_, *snap->store, limits_);
  for (size_t i = 0; i < encoding.size(); ++i) {
    BatchQuery& q = *encoding[i];
    if (!encoded[i].ok()) {
      q.status = encoded[i].status();
      continue;
    }
    q.encoded = *std::move(encoded[i]);
    q.result.timings.decode_ms = q.encoded.decode_ms;
    q.result.timings.encode_ms = q.encoded.encode_ms;
    q.status = CheckCancelled(*q.cancelled, "encode");
    if (!q.status.ok()) continue;
    q.filtered = !q.query->metadata_equals.empty() || !q.query->source_prefix.empty();
    if (q.filtered) {
      absl::StatusOr<std::map<Modality, std::vector<int64_t>>> allowed =
          AllowedVectors(*snap->store, *q.query);
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
  for (BatchQuery& q : batch) {
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
  if (out.item.modality == Modality::kText) {
    out.bytes = out.item.text;
    return out;
  }
  absl::StatusOr<std::string> bytes = ReadFile(out.item.source_uri, limits_.max_item_bytes);
  if (!bytes.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the source of item '", item_id, "': ", bytes.status().message()));
  }
  if (Sha256Hex(*bytes) != out.item.content_sha256) {
    return absl::FailedPreconditionError(absl::StrCat("source file '", out.item.source_uri,
                                                      "' of item '", item_id,
                                                      "' has changed since it was indexed"));
  }
  out.bytes = *std::move(bytes);
  return out;
}

CollectionInfo Searcher::GetInfo() const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  CollectionInfo info;
  info.pin = model_->pin();
  info.generation = snap->manifest.generation;
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
