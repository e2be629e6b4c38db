#include "indexer/pipeline.h"

#include <glog/logging.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/base/stopwatch.h"
#include "core/base/threads.h"
#include "core/engine/collection.h"
#include "core/index/vector_index.h"
#include "core/model/model.h"
#include "indexer/batch_committer.h"
#include "indexer/embed_loop.h"
#include "indexer/sources.h"

namespace xmodal::indexer {
namespace {

constexpr int kMaxBatchSize = 65536;

const engine::PublishedIndex* FindIndex(const engine::CollectionManifest& manifest,
                                        Modality modality) {
  for (const engine::PublishedIndex& index : manifest.indexes) {
    if (index.modality == modality) return &index;
  }
  return nullptr;
}

// Whether the store holds vectors the published generation lacks, or the requested factory
// differs from the published one (counts only grow: items are never removed).
absl::StatusOr<bool> NeedsPublish(const engine::Collection& collection,
                                  const engine::CollectionManifest& current,
                                  const std::string& factory) {
  if (current.generation == 0) return true;
  for (Modality modality : kAllModalities) {
    XM_ASSIGN_OR_RETURN(int64_t stored, collection.store().CountVectors(modality));
    const engine::PublishedIndex* index = FindIndex(current, modality);
    if (stored != (index == nullptr ? 0 : index->vectors)) return true;
    if (index != nullptr && factory != "auto" && index->factory != factory) return true;
  }
  return false;
}

// NOT_FOUND for the first PATH or manifest that does not exist: checked before the model is
// loaded and the collection created, so a typo costs nothing.
absl::Status CheckInputsExist(const IndexerOptions& options) {
  for (const std::vector<std::string>* list : {&options.paths, &options.manifests}) {
    for (const std::string& path : *list) {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        return absl::NotFoundError(
            absl::StrCat("cannot index '", path, "': ", ec ? ec.message() : "it does not exist"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Publish(engine::Collection& collection, const std::string& factory,
                     IndexSummary& summary, ProgressSink& progress) {
  Stopwatch timer;
  XM_ASSIGN_OR_RETURN(engine::CollectionManifest manifest,
                      engine::Collection::ReadManifest(collection.dir()));
  XM_ASSIGN_OR_RETURN(bool needed, NeedsPublish(collection, manifest, factory));
  if (needed) {
    engine::IndexBuildOptions build{.factory = factory};
    build.progress = [&progress](Modality m, int64_t done, int64_t total) {
      progress.IndexBuild(m, done, total);
    };
    XM_ASSIGN_OR_RETURN(manifest, collection.BuildAndPublish(build));
    summary.published = true;
  }
  summary.generation = manifest.generation;
  for (const engine::PublishedIndex& index : manifest.indexes) {
    summary.index_vectors[index.modality] = index.vectors;
  }
  summary.stages.index_build = timer.ElapsedSeconds();
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateOptions(const IndexerOptions& options) {
  if (options.collection_dir.empty()) {
    return absl::InvalidArgumentError("no collection directory given (--collection)");
  }
  if (options.model_dir.empty()) {
    return absl::InvalidArgumentError("no model package directory given (--model)");
  }
  if (options.paths.empty() && options.manifests.empty()) {
    return absl::InvalidArgumentError("nothing to index: give PATHs or --manifest files");
  }
  if (options.batch_size < 1 || options.batch_size > kMaxBatchSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("batch size ", options.batch_size, " is out of range 1..", kMaxBatchSize));
  }
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("thread count ", options.threads, " is negative (0 means all cores)"));
  }
  if (options.index_factory.empty()) {
    return absl::InvalidArgumentError("the index factory is empty (use \"auto\")");
  }
  if (options.max_file_bytes <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the file size cap ", options.max_file_bytes, " is not positive"));
  }
  return absl::OkStatus();
}

absl::StatusOr<IndexSummary> RunIndexer(const IndexerOptions& options, ProgressSink* progress) {
  NullProgress no_progress;
  ProgressSink& sink = progress != nullptr ? *progress : no_progress;
  XM_RETURN_IF_ERROR(ValidateOptions(options));
  XM_RETURN_IF_ERROR(CheckInputsExist(options));
  Stopwatch wall;
  const int threads = ResolveThreadCount(options.threads);
  model::SetEncoderThreads(threads);
  index::SetIndexThreads(threads);

  XM_ASSIGN_OR_RETURN(std::unique_ptr<model::Model> model, model::Model::Load(options.model_dir));
  XM_ASSIGN_OR_RETURN(std::unique_ptr<engine::Collection> collection,
                      engine::Collection::Open(options.collection_dir, model->pin(),
                                               {.create_if_missing = true,
                                                .read_only = false,
                                                .model_dir = AbsolutePath(options.model_dir)}));
  LOG(INFO) << "indexing into " << collection->dir() << " with model " << model->pin().ToString()
            << ", " << threads << " threads";
  XM_ASSIGN_OR_RETURN(Sources sources, EnumerateSources(options.paths, options.manifests));

  IndexSummary summary;
  summary.items_total = static_cast<int64_t>(sources.items.size());
  summary.ignored_files = sources.ignored_files;
  for (const SourceFailure& failure : sources.failures) {
    XM_RETURN_IF_ERROR(
        RecordFailure(collection->store(), summary, std::nullopt, failure.uri, failure.reason));
  }
  const EmbedOptions embed{.threads = threads,
                           .batch_size = options.batch_size,
                           .prep = {.max_file_bytes = options.max_file_bytes,
                                    .image_limits = options.image_limits,
                                    .audio_limits = options.audio_limits}};
  XM_RETURN_IF_ERROR(EmbedAll(sources.items, *model, collection->store(), embed, summary, sink));
  XM_RETURN_IF_ERROR(Publish(*collection, options.index_factory, summary, sink));
  summary.wall_seconds = wall.ElapsedSeconds();
  return summary;
}

}  // namespace xmodal::indexer
