#include "benchmarks/lib/index_bench.h"

#include <filesystem>
#include <map>
#include <optional>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "benchmarks/lib/json_util.h"
#include "benchmarks/lib/proc_stats.h"
#include "benchmarks/lib/scoped_dir.h"
#include "benchmarks/lib/stats.h"
#include "core/base/file_util.h"
#include "core/base/status_macros.h"
#include "core/model/model.h"
#include "indexer/pipeline.h"
#include "indexer/sources.h"

namespace xmodal::bench {
namespace {

constexpr int64_t kWarmupItems = 16;
constexpr size_t kListedFailures = 5;

// Remembers how long the embed loop took (ItemsDone's elapsed time).
class PipelineClock : public indexer::ProgressSink {
 public:
  void Items(const indexer::ProgressState&) override {}
  void ItemsDone(const indexer::ProgressState& state) override { seconds_ = state.elapsed_seconds; }
  void IndexBuild(Modality, int64_t, int64_t) override {}
  double seconds() const { return seconds_; }

 private:
  double seconds_ = 0.0;
};

struct RunResult {
  indexer::IndexSummary summary;
  double pipeline_seconds = 0.0;
};

// Indexes into `collection`; a temporary one is deleted afterwards.
absl::StatusOr<RunResult> IndexOnce(const IndexBenchOptions& o, const std::string& collection,
                                    std::vector<std::string> paths,
                                    std::vector<std::string> manifests, bool temporary = true) {
  indexer::IndexerOptions options;
  options.collection_dir = collection;
  options.model_dir = o.model_dir;
  options.paths = std::move(paths);
  options.manifests = std::move(manifests);
  options.batch_size = o.batch_size;
  options.threads = o.threads;
  PipelineClock clock;
  absl::StatusOr<indexer::IndexSummary> summary = indexer::RunIndexer(options, &clock);
  if (temporary) {
    std::error_code ec;
    std::filesystem::remove_all(collection, ec);
  }
  if (!summary.ok()) return summary.status();
  return RunResult{*std::move(summary), clock.seconds()};
}

// A JSONL manifest with the first `limit` (0: all) items of one modality.
absl::StatusOr<int64_t> WriteModalityManifest(const std::vector<indexer::WorkItem>& items,
                                              Modality modality, int64_t limit,
                                              const std::string& path) {
  std::string text;
  int64_t count = 0;
  for (const indexer::WorkItem& item : items) {
    if (item.modality != modality) continue;
    if (limit > 0 && count >= limit) break;
    Json line = item.inline_text ? Json{{"text", item.text}} : Json{{"path", item.path}};
    line["modality"] = std::string(ModalityName(modality));
    if (!item.metadata.empty()) line["metadata"] = item.metadata;
    absl::StrAppend(&text, DumpJson(line), "\n");
    ++count;
  }
  XM_RETURN_IF_ERROR(WriteFileAtomically(path, text));
  return count;
}

// Per-modality measurements over the repetitions.
struct Series {
  int64_t items = 0;
  int64_t indexed = 0, failed = 0, vectors = 0;
  std::vector<double> rate, wall_rate, pipeline, wall, prepare, encode, commit, build;
  std::vector<std::string> failures;

  void Add(const RunResult& r, Modality m) {
    const indexer::ModalityCounts& c = r.summary.modalities.at(m);
    indexed = c.indexed;
    failed = c.failed;
    vectors = c.vectors;
    const double n = static_cast<double>(c.indexed);
    rate.push_back(r.pipeline_seconds > 0 ? n / r.pipeline_seconds : 0.0);
    wall_rate.push_back(r.summary.wall_seconds > 0 ? n / r.summary.wall_seconds : 0.0);
    pipeline.push_back(r.pipeline_seconds);
    wall.push_back(r.summary.wall_seconds);
    prepare.push_back(r.summary.stages.prepare);
    encode.push_back(r.summary.stages.encode);
    commit.push_back(r.summary.stages.commit);
    build.push_back(r.summary.stages.index_build);
    for (const indexer::FailureEntry& f : r.summary.failures) {
      if (failures.size() < kListedFailures) failures.push_back(f.uri + ": " + f.reason);
    }
  }
  Json ToJson() const {
    return Json{{"items", items},
                {"indexed", indexed},
                {"failed", failed},
                {"vectors", vectors},
                {"items_per_second", SpreadToJson(Summarize(rate))},
                {"wall_items_per_second", SpreadToJson(Summarize(wall_rate))},
                {"pipeline_seconds", SpreadToJson(Summarize(pipeline))},
                {"wall_seconds", SpreadToJson(Summarize(wall))},
                {"stage_seconds",
                 {{"prepare", SpreadToJson(Summarize(prepare))},
                  {"encode", SpreadToJson(Summarize(encode))},
                  {"commit", SpreadToJson(Summarize(commit))},
                  {"index_build", SpreadToJson(Summarize(build))}}},
                {"failures_sample", failures}};
  }
};

Json FullRunJson(const RunResult& r, const std::string& dir) {
  const indexer::ModalityCounts t = r.summary.Totals();
  Json items = Json::object();
  for (const auto& [m, c] : r.summary.modalities) items[std::string(ModalityName(m))] = c.indexed;
  return Json{{"collection", dir},
              {"indexed", items},
              {"failed", r.summary.failed_total},
              {"vectors", t.vectors},
              {"pipeline_seconds", r.pipeline_seconds},
              {"wall_seconds", r.summary.wall_seconds},
              {"items_per_second",
               r.pipeline_seconds > 0 ? static_cast<double>(t.indexed) / r.pipeline_seconds : 0.0},
              {"stage_seconds",
               {{"prepare", r.summary.stages.prepare},
                {"encode", r.summary.stages.encode},
                {"commit", r.summary.stages.commit},
                {"index_build", r.summary.stages.index_build}}},
              {"generation", r.summary.generation}};
}

}  // namespace

absl::Status ValidateIndexBenchOptions(const IndexBenchOptions& o) {
  if (o.corpus.empty() && o.manifests.empty()) {
    return absl::InvalidArgumentError("nothing to index: give --corpus paths or --manifest files");
  }
  if (o.model_dir.empty()) return absl::InvalidArgumentError("no model package given (--model)");
  if (o.repetitions < 1 || o.repetitions > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("repetitions ", o.repetitions, " is outside 1..100"));
  }
  if (o.warmup_runs < 0 || o.warmup_runs > 10) {
    return absl::InvalidArgumentError(
        absl::StrCat("warm-up runs ", o.warmup_runs, " is outside 0..10"));
  }
  if (o.max_per_modality < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max items per modality ", o.max_per_modality, " is negative"));
  }
  if (o.batch_size < 1 || o.threads < 0) {
    return absl::InvalidArgumentError(absl::StrCat("batch size ", o.batch_size, " and threads ",
                                                   o.threads, " must be >= 1 and >= 0"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> RunIndexBench(const IndexBenchOptions& options) {
  XM_RETURN_IF_ERROR(ValidateIndexBenchOptions(options));
  XM_ASSIGN_OR_RETURN(model::ModelPin pin, model::ComputeModelPin(options.model_dir));
  XM_ASSIGN_OR_RETURN(indexer::Sources sources,
                      indexer::EnumerateSources(options.corpus, options.manifests));
  std::string work = options.work_dir;
  if (work.empty()) {
    XM_ASSIGN_OR_RETURN(work, MakeTempDirectory("xmodal-index-bench-"));
  }
  // A temporary directory of our own goes when this returns, on every path.
  const ScopedDirRemover remove_work(options.work_dir.empty() ? work : std::string());

  Json per_modality = Json::object();
  int run = 0;
  for (const Modality m : kAllModalities) {
    const std::string name(ModalityName(m));
    const std::string manifest = absl::StrCat(work, "/", name, ".jsonl");
    XM_ASSIGN_OR_RETURN(
        int64_t count, WriteModalityManifest(sources.items, m, options.max_per_modality, manifest));
    if (count == 0) continue;
    const std::string warm = absl::StrCat(work, "/", name, "-warmup.jsonl");
    XM_RETURN_IF_ERROR(WriteModalityManifest(sources.items, m, kWarmupItems, warm).status());
    for (int w = 0; w < options.warmup_runs; ++w) {
      XM_RETURN_IF_ERROR(
          IndexOnce(options, absl::StrCat(work, "/run-", run++), {}, {warm}).status());
    }
    Series series{.items = count};
    for (int rep = 0; rep < options.repetitions; ++rep) {
      XM_ASSIGN_OR_RETURN(RunResult r,
                          IndexOnce(options, absl::StrCat(work, "/run-", run++), {}, {manifest}));
      series.Add(r, m);
    }
    per_modality[name] = series.ToJson();
  }
  if (per_modality.empty()) {
    return absl::InvalidArgumentError("the corpus holds no text, image or audio items to index");
  }
  Json full = nullptr;
  if (!options.keep_collection.empty()) {
    XM_ASSIGN_OR_RETURN(RunResult r, IndexOnce(options, options.keep_collection, options.corpus,
                                               options.manifests, /*temporary=*/false));
    full = FullRunJson(r, options.keep_collection);
  }
  return Json{{"corpus", options.corpus},
              {"manifests", options.manifests},
              {"model",
               {{"dir", options.model_dir},
                {"name", pin.name},
                {"version", pin.version},
                {"dim", pin.embedding_dim}}},
              {"repetitions", options.repetitions},
              {"warmup_runs", options.warmup_runs},
              {"max_per_modality", options.max_per_modality},
              {"batch_size", options.batch_size},
              {"threads", options.threads},
              {"per_modality", per_modality},
              {"full_run", full},
              {"peak_rss_bytes", SelfPeakRssBytes()}};
}

}  // namespace xmodal::bench
