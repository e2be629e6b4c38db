#include "core/engine/snapshot.h"

#include "absl/strings/str_cat.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"

namespace xmodal::engine {

absl::StatusOr<std::shared_ptr<const Searcher::Snapshot>> Searcher::Snapshot::Load(
    const std::string& dir, CollectionManifest manifest) {
  auto snap = std::make_shared<Snapshot>();
  for (const PublishedIndex& published : manifest.indexes) {
    const std::string path = absl::StrCat(dir, "/", published.file);
    XM_ASSIGN_OR_RETURN(std::string sha, Sha256OfFile(path));
    if (sha != published.sha256) {
      return absl::DataLossError(absl::StrCat("index file '", path, "' has SHA-256 ", sha,
                                              " but the manifest says ", published.sha256));
    }
    XM_ASSIGN_OR_RETURN(std::unique_ptr<index::VectorIndex> idx, index::VectorIndex::Load(path));
    snap->indexes[published.modality] = std::move(idx);
  }
  XM_ASSIGN_OR_RETURN(snap->store, store::Store::Open(dir + "/db", {.create_if_missing = false,
                                                                    .read_only = true}));
  std::unordered_map<std::string, int32_t> item_index;
  for (Modality modality : kAllModalities) {
    XM_RETURN_IF_ERROR(snap->store->ForEachVector(modality, [&](const store::VectorRecord& v) {
      auto [it, inserted] = item_index.try_emplace(v.item_id, snap->item_ids.size());
      if (inserted) snap->item_ids.push_back(v.item_id);
      snap->vectors[v.id] = VectorRef{it->second, static_cast<float>(v.start_seconds),
                                      static_cast<float>(v.end_seconds)};
      return absl::OkStatus();
    }));
  }
  snap->manifest = std::move(manifest);
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

}  // namespace xmodal::engine
