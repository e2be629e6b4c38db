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

absl::StatusOr<SearchResult> Searcher::Search(const Query& query,
                                              const CancelCheck& cancelled) const {
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
  std::shared_ptr<const Snapshot> snap = snapshot();
  SearchResult result;
  result.generation = snap->manifest.generation;
  XM_ASSIGN_OR_RETURN(EncodedQuery encoded,
                      EncodeQuery(query.input, *model_, *snap->store, limits_));
  result.timings.decode_ms = encoded.decode_ms;
  result.timings.encode_ms = encoded.encode_ms;
  XM_RETURN_IF_ERROR(CheckCancelled(cancelled, "encode"));

  Stopwatch watch;
  std::map<Modality, std::vector<int64_t>> allowed;
  const bool filtered = !query.metadata_equals.empty() || !query.source_prefix.empty();
  if (filtered) {
    XM_ASSIGN_OR_RETURN(allowed, AllowedVectors(*snap->store, query));
  }

  std::unordered_map<int32_t, Candidate> best;  // per item
  for (const auto& [modality, idx] : snap->indexes) {
    if (!query.targets.empty() &&
        std::find(query.targets.begin(), query.targets.end(), modality) == query.targets.end()) {
      continue;
    }
    index::SearchOptions options;
    if (filtered) {
      options.allowed_ids = &allowed[modality];
      if (options.allowed_ids->empty()) continue;
    }
    int fetch = query.k * (modality == Modality::kAudio ? kAudioOverfetch : 1) +
                static_cast<int>(encoded.vectors.rows);
    XM_ASSIGN_OR_RETURN(auto neighbors, idx->Search(encoded.vectors, fetch, options));
    for (const std::vector<index::Neighbor>& row : neighbors) {
      for (const index::Neighbor& n : row) {
        auto ref = snap->vectors.find(n.id);
        if (ref == snap->vectors.end()) continue;
        if (snap->item_ids[ref->second.item] == encoded.item_id) continue;
        Candidate& c = best.try_emplace(ref->second.item, Candidate{-1e30f, {}}).first->second;
        if (n.score > c.score) c = Candidate{n.score, ref->second};
      }
    }
  }
  std::vector<Candidate> ranked;
  ranked.reserve(best.size());
  for (const auto& [item, c] : best) ranked.push_back(c);
  std::sort(ranked.begin(), ranked.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return snap->item_ids[a.ref.item] < snap->item_ids[b.ref.item];
  });
  if (static_cast<int>(ranked.size()) > query.k) ranked.resize(query.k);
  result.timings.search_ms = watch.LapMillis();
  XM_RETURN_IF_ERROR(CheckCancelled(cancelled, "search"));

  for (const Candidate& c : ranked) {
    const std::string& item_id = snap->item_ids[c.ref.item];
    XM_ASSIGN_OR_RETURN(std::optional<store::ItemRecord> item, snap->store->GetItem(item_id));
    if (!item.has_value()) {
      return absl::DataLossError(
          absl::StrCat("index names item '", item_id, "' which the store does not have"));
    }
    result.hits.push_back(Hit{std::move(*item), c.score, c.ref.start_seconds, c.ref.end_seconds});
  }
  result.timings.fetch_ms = watch.LapMillis();
  return result;
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
