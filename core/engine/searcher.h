// The search facade the server (and tests) use: decode and encode a query, search the
// target modalities' indexes, merge, filter and fetch metadata. Owns the currently served
// generation and swaps in newer ones. Its collaborators: query_plan.h (validation: the one
// check of k and targets; what each query searches), search_filter.h (metadata and source
// filters), hit_merge.h (best vector per item, ranking and ties), query_encoding.h.
#ifndef XMODAL_CORE_ENGINE_SEARCHER_H_
#define XMODAL_CORE_ENGINE_SEARCHER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "core/base/float_matrix.h"
#include "core/base/modality.h"
#include "core/engine/collection.h"
#include "core/engine/search_limits.h"
#include "core/model/model.h"
#include "core/store/records.h"

namespace xmodal::engine {

// What a query is made of: text, encoded image or audio bytes, or an indexed item's id.
struct QueryInput {
  enum class Kind { kNone, kText, kImage, kAudio, kItem };
  Kind kind = Kind::kNone;
  std::string data;  // UTF-8 text, file bytes or item id
};

struct Query {
  QueryInput input;
  std::vector<Modality> targets;                       // empty: every modality the collection has
  int k = kDefaultK;                                   // 1..SearchLimits::max_k
  std::map<std::string, std::string> metadata_equals;  // every pair must match
  std::string source_prefix;                           // hits whose source URI starts with this
};

struct Hit {
  store::ItemRecord item;
  float score = 0.0f;          // cosine similarity
  double start_seconds = 0.0;  // audio: the best-matching segment
  double end_seconds = 0.0;
};

struct StageTimings {
  double decode_ms = 0.0;
  double encode_ms = 0.0;
  double search_ms = 0.0;
  double fetch_ms = 0.0;
};

struct SearchResult {
  std::vector<Hit> hits;  // best first, at most one per item
  StageTimings timings;
  int64_t generation = 0;
};

struct Embedding {
  FloatMatrix vectors;                              // one row; audio: one row per segment
  std::vector<std::pair<double, double>> segments;  // audio: (start, end) per row
  StageTimings timings;
};

struct CollectionInfo {
  model::ModelPin pin;
  int64_t generation = 0;
  std::map<Modality, int64_t> vectors;  // per modality, in the served generation
  std::map<Modality, int64_t> items;
  std::map<Modality, std::string> factories;
  int64_t published_unix_seconds = 0;  // when the served generation was published; 0: unknown
};

struct ItemWithBytes {
  store::ItemRecord item;
  std::string bytes;  // only when asked for
};

// Returns true when the caller has given up (deadline passed or cancelled).
using CancelCheck = std::function<bool()>;

// Thread-safe: Search, Embed, GetItem and GetInfo may run concurrently with each other and
// with Reload.
class Searcher {
 public:
  // Opens the collection read-only, checks it was built with `model`, loads the newest
  // generation (verifying each file's SHA-256). FAILED_PRECONDITION on a pin mismatch or when
  // nothing is published yet; DATA_LOSS when a file does not match its hash.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(const std::string& collection_dir,
                                                        std::shared_ptr<const model::Model> model,
                                                        const SearchLimits& limits = {});
  ~Searcher();

  // Errors, each with a message that names the problem: INVALID_ARGUMENT (no query, empty or
  // over-long text, undecodable or unsupported media, media over the caps on pixels, side,
  // duration, channels or sample rate, k out of range, a target the model lacks),
  // RESOURCE_EXHAUSTED (media over the byte caps), NOT_FOUND (unknown item id),
  // CANCELLED / DEADLINE_EXCEEDED (checked between stages).
  absl::StatusOr<SearchResult> Search(const Query& query, const CancelCheck& cancelled = {}) const;
  // Searches several queries at once, as Search searches each: one result per query, in order,
  // each with its own errors. The queries that target an index and have no filters share one
  // pass over it, so a batch reads each index from memory once; search_ms is the batch's.
  // `cancelled` is empty or holds one check per query.
  std::vector<absl::StatusOr<SearchResult>> SearchBatch(
      std::span<const Query* const> queries, std::span<const CancelCheck> cancelled = {}) const;
  // The query embedding; errors as Search.
  absl::StatusOr<Embedding> Embed(const QueryInput& input) const;
  // NOT_FOUND for an unknown id. With bytes: exactly the bytes that content_sha256 and
  // size_bytes describe (item_content.h): an inline text's stored text, else the file at the
  // source URI (a .txt file's own bytes, not its normalised text); FAILED_PRECONDITION when
  // that file is gone or its contents changed.
  absl::StatusOr<ItemWithBytes> GetItem(const std::string& item_id, bool with_bytes) const;
  CollectionInfo GetInfo() const;

  // Loads the newest published generation when it is newer than the served one and swaps it
  // in; requests in flight finish on the old one. Returns true when it swapped. On any error
  // the old generation keeps serving.
  absl::StatusOr<bool> Reload();
  int64_t generation() const;
  const SearchLimits& limits() const { return limits_; }

  struct Snapshot;  // one generation: read-only store + loaded indexes

 private:
  Searcher(std::string dir, std::shared_ptr<const model::Model> model, SearchLimits limits);
  std::shared_ptr<const Snapshot> snapshot() const;

  const std::string dir_;
  const std::shared_ptr<const model::Model> model_;
  const SearchLimits limits_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_ ABSL_GUARDED_BY(mu_);
};

}  // namespace xmodal::engine

#endif  // XMODAL_CORE_ENGINE_SEARCHER_H_
