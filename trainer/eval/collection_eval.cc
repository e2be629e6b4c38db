#include "trainer/eval/collection_eval.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/base/thread_pool.h"
#include "core/base/threads.h"
#include "core/engine/collection.h"
#include "core/engine/search_limits.h"
#include "core/engine/searcher.h"
#include "core/index/vector_index.h"
#include "core/model/model.h"
#include "trainer/eval/relevant_items.h"

namespace xmodal::eval {
namespace {

// Queries searched together (one SearchBatch: one pass over each index for all of them); their
// media files are held in memory meanwhile.
constexpr size_t kBatch = 16;
constexpr int64_t kProgressEvery = 1000;

// What one query's search gave: the ids of its hits, best first, or why it could not run.
struct Outcome {
  std::vector<std::string> hit_ids;
  std::optional<std::string> failure;
};

absl::StatusOr<engine::Query> BuildQuery(const LabelledQuery& q, int depth,
                                         const engine::SearchLimits& limits) {
  engine::Query query;
  query.k = depth;
  if (q.target.has_value()) query.targets = {*q.target};
  if (q.kind == Modality::kText) {
    query.input = {engine::QueryInput::Kind::kText, q.text};
    return query;
  }
  const bool image = q.kind == Modality::kImage;
  absl::StatusOr<std::string> bytes =
      ReadFile(q.path, image ? limits.image.max_bytes : limits.audio.max_bytes);
  if (!bytes.ok()) {
    return absl::Status(bytes.status().code(),
                        absl::StrCat("cannot read '", q.path, "': ", bytes.status().message()));
  }
  query.input = {image ? engine::QueryInput::Kind::kImage : engine::QueryInput::Kind::kAudio,
                 *std::move(bytes)};
  return query;
}

// Searches queries [begin, end) into `outcomes`.
void SearchRange(const engine::Searcher& searcher, const std::vector<LabelledQuery>& queries,
                 size_t begin, size_t end, int depth, std::vector<Outcome>& outcomes) {
  const engine::SearchLimits limits;
  std::vector<engine::Query> built;
  std::vector<size_t> built_index;
  for (size_t i = begin; i < end; ++i) {
    absl::StatusOr<engine::Query> q = BuildQuery(queries[i], depth, limits);
    if (!q.ok()) {
      outcomes[i].failure = std::string(q.status().message());
      continue;
    }
    built.push_back(*std::move(q));
    built_index.push_back(i);
  }
  std::vector<const engine::Query*> pointers;
  for (const engine::Query& q : built) pointers.push_back(&q);
  std::vector<absl::StatusOr<engine::SearchResult>> results = searcher.SearchBatch(pointers);
  for (size_t j = 0; j < results.size(); ++j) {
    Outcome& out = outcomes[built_index[j]];
    if (!results[j].ok()) {
      out.failure = std::string(results[j].status().message());
      continue;
    }
    for (const engine::Hit& hit : results[j]->hits) out.hit_ids.push_back(hit.item.id);
  }
}

std::vector<Outcome> SearchAll(const engine::Searcher& searcher,
                               const std::vector<LabelledQuery>& queries, int depth, int threads,
                               std::FILE* progress) {
  std::vector<Outcome> outcomes(queries.size());
  std::atomic<int64_t> done{0};
  std::mutex progress_mu;
  {
    ThreadPool pool(threads);
    for (size_t begin = 0; begin < queries.size(); begin += kBatch) {
      const size_t end = std::min(queries.size(), begin + kBatch);
      pool.Submit([&, begin, end] {
        SearchRange(searcher, queries, begin, end, depth, outcomes);
        const int64_t before = done.fetch_add(static_cast<int64_t>(end - begin));
        const int64_t after = before + static_cast<int64_t>(end - begin);
        if (progress != nullptr && after / kProgressEvery > before / kProgressEvery) {
          std::lock_guard<std::mutex> lock(progress_mu);
          std::fprintf(progress, "xmodal-eval: searched %lld of %zu queries\n",
                       static_cast<long long>(after), queries.size());
        }
      });
    }
    pool.Wait();
  }
  return outcomes;
}

// The grades of the hits and of every relevant item, and the query's scores.
ScoredQuery Score(const LabelledQuery& q, const ResolvedRelevance& relevance,
                  const std::vector<std::string>& hit_ids) {
  JudgedHits judged;
  for (const std::string& id : hit_ids) {
    auto it = relevance.items.find(id);
    judged.hit_grades.push_back(it == relevance.items.end() ? 0.0 : it->second);
  }
  for (const auto& [id, grade] : relevance.items) judged.relevant_grades.push_back(grade);
  for (const RelevantRef& r : relevance.missing) judged.relevant_grades.push_back(r.grade);
  return {.line = q.line,
          .id = q.id,
          .kind = q.kind,
          .target = q.target,
          .relevant = static_cast<int64_t>(judged.relevant_grades.size()),
          .missing_relevant = static_cast<int64_t>(relevance.missing.size()),
          .scores = ScoreQuery(judged)};
}

absl::StatusOr<std::vector<ResolvedRelevance>> ResolveInCollection(
    const CollectionEvalOptions& options, const model::ModelPin& pin,
    const std::vector<LabelledQuery>& queries) {
  // Collection::Open is the pin check: a collection of another model is refused, naming both.
  XM_ASSIGN_OR_RETURN(std::unique_ptr<engine::Collection> collection,
                      engine::Collection::Open(options.collection_dir, pin,
                                               {.create_if_missing = false, .read_only = true}));
  return ResolveRelevance(queries, collection->store(), QueriesFileDir(options.queries_path));
}

}  // namespace

absl::Status ValidateCollectionEvalOptions(const CollectionEvalOptions& options) {
  if (options.collection_dir.empty()) return absl::InvalidArgumentError("--collection is empty");
  if (options.model_dir.empty()) return absl::InvalidArgumentError("--model is empty");
  if (options.queries_path.empty()) return absl::InvalidArgumentError("--queries is empty");
  if (options.k < 1 || options.k > engine::kDefaultMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("--k must be between 1 and ", engine::kDefaultMaxK, ", got ", options.k));
  }
  return ResolveThreadCountOr(options.threads, "--threads").status();
}

absl::StatusOr<CollectionEvalReport> RunCollectionEval(const CollectionEvalOptions& options,
                                                       std::FILE* progress) {
  XM_RETURN_IF_ERROR(ValidateCollectionEvalOptions(options));
  Stopwatch clock;
  XM_ASSIGN_OR_RETURN(const std::vector<LabelledQuery> queries,
                      ReadLabelledQueries(options.queries_path, options.limits));
  // As the server: the thread budget is spent as concurrent searches, each single-threaded.
  model::SetEncoderThreads(1);
  index::SetIndexThreads(1);
  absl::StatusOr<std::unique_ptr<model::Model>> loaded = model::Model::Load(options.model_dir);
  if (!loaded.ok()) {
    return absl::Status(loaded.status().code(), absl::StrCat("loading model ", options.model_dir,
                                                             ": ", loaded.status().message()));
  }
  std::shared_ptr<const model::Model> model = *std::move(loaded);
  XM_ASSIGN_OR_RETURN(const std::vector<ResolvedRelevance> relevance,
                      ResolveInCollection(options, model->pin(), queries));
  XM_ASSIGN_OR_RETURN(std::unique_ptr<engine::Searcher> searcher,
                      engine::Searcher::Open(options.collection_dir, model));

  CollectionEvalReport report;
  const engine::CollectionInfo info = searcher->GetInfo();
  report.collection_dir = options.collection_dir;
  report.generation = info.generation;
  report.items = info.items;
  report.model_name = model->manifest().name;
  report.model_version = model->manifest().version;
  report.model_pin = model->pin().ToString();
  report.embedding_dim = model->manifest().embedding_dim;
  report.queries_file = options.queries_path;
  report.k = options.k;
  report.depth = std::max(options.k, 10);
  for (size_t i = 0; i < queries.size(); ++i) {
    report.graded = report.graded || queries[i].graded;
    for (const RelevantRef& r : relevance[i].missing) {
      report.missing_relevant.push_back({queries[i].line, queries[i].id, r.ref});
      if (progress != nullptr) {
        std::fprintf(progress,
                     "xmodal-eval: warning: %s:%lld: relevant '%s' is not in the collection "
                     "(it counts as relevant and can never be found)\n",
                     options.queries_path.c_str(), static_cast<long long>(queries[i].line),
                     r.ref.c_str());
      }
    }
  }
  if (progress != nullptr) {
    std::fprintf(progress, "xmodal-eval: %zu queries; collection %s (generation %lld), model %s\n",
                 queries.size(), options.collection_dir.c_str(),
                 static_cast<long long>(report.generation), report.model_pin.c_str());
  }

  const std::vector<Outcome> outcomes =
      SearchAll(*searcher, queries, report.depth, ResolveThreadCount(options.threads), progress);
  for (size_t i = 0; i < queries.size(); ++i) {
    const LabelledQuery& q = queries[i];
    if (outcomes[i].failure.has_value()) {
      report.failures.push_back({q.line, q.id, q.kind, q.target, *outcomes[i].failure});
      continue;
    }
    report.queries.push_back(Score(q, relevance[i], outcomes[i].hit_ids));
  }
  report.seconds = clock.ElapsedSeconds();
  if (progress != nullptr) {
    std::fprintf(progress, "xmodal-eval: %zu queries scored, %zu failed, in %.1f s\n",
                 report.queries.size(), report.failures.size(), report.seconds);
  }
  return report;
}

}  // namespace xmodal::eval
